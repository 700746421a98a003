/** Target delivery's retry policy and dead letters, on a clock the test moves. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventCounters } from '../../src/services/events/counters.js';
import type { EventEnvelope, PendingDelivery, TargetRecord } from '../../src/services/events/model.js';
import { DeliveryError, TargetDelivery, type TargetSender } from '../../src/services/events/target-delivery.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { EventDeliveryRepo } from '../../src/storage/store.js';

class MemoryPending implements EventDeliveryRepo {
  readonly rows = new Map<string, PendingDelivery>();
  async put(d: PendingDelivery) {
    this.rows.set(d.id, d);
  }
  async take(id: string) {
    return this.rows.delete(id);
  }
  async list() {
    return [...this.rows.values()];
  }
}

const event: EventEnvelope = { version: '0', id: 'e1', 'detail-type': 'T', source: 's', account: '000000000000', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { a: 1 } };
const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/r';
const target = (over: Partial<TargetRecord> = {}): TargetRecord => ({
  id: 't',
  arn: 'arn:aws:sqs:us-east-1:000000000000:q',
  input: { kind: 'event' },
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
  ...over,
});

/** A sender that fails with `errors` in turn, then succeeds; and the dead letters sent. */
function harness(errors: DeliveryError[], clock = new ManualClock(Date.UTC(2026, 0, 1)), pending = new MemoryPending()) {
  const sent: string[] = [];
  const dead: { arn: string; body: string; attributes: Record<string, string | number> }[] = [];
  let calls = 0;
  const sender: TargetSender = {
    async send(_t, body) {
      calls++;
      const err = errors.shift();
      if (err) throw err;
      sent.push(body);
    },
  };
  const counters = new EventCounters();
  const delivery = new TargetDelivery({
    senders: { lambda: sender, sqs: sender },
    deadLetters: { deadLetter: async (arn, body, attributes) => void dead.push({ arn, body, attributes }) },
    pending,
    counters,
    clock,
    logger: silentLogger,
    retryScale: 1,
  });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { clock, sent, dead, calls: () => calls, counters, delivery, settle, pending };
}

const throttled = () => new DeliveryError('THROTTLING', 'Rate exceeded', true);

describe('event target delivery', () => {
  it('retries a retryable failure with growing backoff on the clock, then delivers', async () => {
    const h = harness([throttled(), throttled()]);
    h.delivery.submit({ event, target: target(), rule: { ruleArn, ruleName: 'r', ingestedAt: h.clock.now() } });
    await h.settle();
    assert.equal(h.calls(), 1);
    h.clock.advance(999);
    await h.settle();
    assert.equal(h.calls(), 1, 'the first retry waits a second');
    h.clock.advance(1);
    await h.settle();
    assert.equal(h.calls(), 2);
    h.clock.advance(1999);
    await h.settle();
    assert.equal(h.calls(), 2, 'the second retry waits two seconds');
    h.clock.advance(1);
    await h.settle();
    assert.equal(h.calls(), 3);
    assert.deepEqual(h.sent.map((b) => JSON.parse(b)), [event]);
    assert.deepEqual(h.dead, []);
    assert.deepEqual(h.counters.get(ruleArn), { matched: 0, delivered: 1, failed: 0 });
  });

  it('after MaximumRetryAttempts, the event goes to the dead-letter queue with EventBridge attributes', async () => {
    const h = harness([throttled(), throttled(), throttled(), throttled()]);
    h.delivery.submit({ event, target: target({ maximumRetryAttempts: 2 }), rule: { ruleArn, ruleName: 'r', ingestedAt: h.clock.now() } });
    for (let i = 0; i < 5; i++) {
      await h.settle();
      h.clock.advance(10_000);
    }
    await h.settle();
    assert.equal(h.calls(), 3, 'the first attempt and two retries');
    assert.equal(h.dead.length, 1);
    assert.equal(h.dead[0]!.arn, 'arn:aws:sqs:us-east-1:000000000000:dlq');
    assert.deepEqual(JSON.parse(h.dead[0]!.body), event);
    assert.deepEqual(h.dead[0]!.attributes, {
      RULE_ARN: ruleArn,
      TARGET_ARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      ERROR_CODE: 'THROTTLING',
      ERROR_MESSAGE: 'Rate exceeded',
      RETRY_ATTEMPTS: 2,
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    assert.deepEqual(h.counters.get(ruleArn), { matched: 0, delivered: 0, failed: 1 });
  });

  it('stops retrying when the next retry would pass MaximumEventAgeInSeconds', async () => {
    const h = harness(Array.from({ length: 20 }, throttled));
    h.delivery.submit({ event, target: target({ maximumEventAgeSeconds: 60 }), rule: { ruleArn, ruleName: 'r', ingestedAt: h.clock.now() } });
    for (let i = 0; i < 20; i++) {
      await h.settle();
      h.clock.advance(5_000);
    }
    await h.settle();
    // Retries at 1, 3, 7, 15, 31 s; the next (63 s) would be past the minute.
    assert.equal(h.calls(), 6);
    assert.equal(h.dead[0]!.attributes['EXHAUSTED_RETRY_CONDITION'], 'MaximumEventAgeInSeconds');
    assert.equal(h.dead[0]!.attributes['RETRY_ATTEMPTS'], 5);
  });

  it('a failure retrying cannot mend goes to the dead-letter queue at once', async () => {
    const h = harness([new DeliveryError('NO_PERMISSIONS', 'not allowed', false)]);
    h.delivery.submit({ event, target: target(), rule: { ruleArn, ruleName: 'r', ingestedAt: h.clock.now() } });
    await h.settle();
    assert.equal(h.calls(), 1);
    assert.equal(h.dead.length, 1);
    assert.equal(h.dead[0]!.attributes['ERROR_CODE'], 'NO_PERMISSIONS');
    assert.equal(h.dead[0]!.attributes['RETRY_ATTEMPTS'], 0);
    assert.equal(h.dead[0]!.attributes['EXHAUSTED_RETRY_CONDITION'], undefined);
  });

  it('a retry waiting when the server stops stays in the store, and the next start runs it once', async () => {
    const h = harness([throttled()]);
    h.delivery.submit({ event, target: target(), rule: { ruleArn, ruleName: 'r', ingestedAt: h.clock.now() } });
    await h.settle();
    await h.delivery.stop();
    h.clock.advance(10_000);
    await h.settle();
    assert.equal(h.calls(), 1, 'nothing runs after stop');
    assert.equal(h.pending.rows.size, 1);

    const next = harness([], h.clock, h.pending);
    await next.delivery.start();
    next.clock.advance(0);
    await next.settle();
    assert.deepEqual(next.sent.map((b) => JSON.parse(b)), [event]);
    assert.equal(h.pending.rows.size, 0);
    next.clock.advance(10_000);
    await next.settle();
    assert.equal(next.calls(), 1);
  });
});
