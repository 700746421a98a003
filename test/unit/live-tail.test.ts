/**
 * Live Tail sessions on the injected clock, over a real store: updates every second, sampled down to
 * the per-update limit, SessionTimeoutException when the session's time is up, and every session
 * ended when the server stops.
 */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { LiveTails } from '../../src/services/logs/live-tail.js';
import { compileFilterPattern } from '../../src/telemetry/filter-pattern/index.js';
import { useTestStore } from '../helpers/test-store.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

interface Received {
  type: string;
  kind: string;
  body: Record<string, unknown>;
}

/** Decodes the messages written to the stream so far; `ended` once the stream has ended. */
function reader(stream: Readable) {
  let pending = Buffer.alloc(0);
  const messages: Received[] = [];
  let ended = false;
  stream.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      const m = codec.decode(pending.subarray(0, length));
      pending = pending.subarray(length);
      const kind = String(m.headers[':message-type']?.value);
      const type = String(m.headers[kind === 'exception' ? ':exception-type' : ':event-type']?.value);
      messages.push({ type, kind, body: JSON.parse(Buffer.from(m.body).toString('utf8')) as Record<string, unknown> });
    }
  });
  stream.on('end', () => (ended = true));
  return { messages, ended: () => ended };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('Live Tail sessions', () => {
  const t = useTestStore();
  const line = (message: string) => ({ functionName: 'f', stream: 's', requestId: null, lines: [{ timestamp: 1, message }] });

  it('sends an update each second, samples beyond the limit, and times out', async () => {
    const clock = new ManualClock();
    const tails = new LiveTails(t().store.logs, clock, silentLogger, { maxEventsPerUpdate: 3, maxSessionMs: 5000 });
    await t().store.logs.append([line('before')]);
    const stream = await tails.start({ groups: [{ key: 'f', identifier: '/aws/lambda/f' }], match: compileFilterPattern(undefined) }, 'req-1');
    const r = reader(stream);
    await settle();
    assert.deepEqual(r.messages.map((m) => m.type), ['sessionStart']);
    assert.equal(r.messages[0]!.body['requestId'], 'req-1');

    await t().store.logs.append(['a', 'b', 'c', 'd', 'e', 'f'].map(line));
    clock.advance(1000);
    await settle();
    const update = r.messages[1]!;
    assert.equal(update.type, 'sessionUpdate');
    assert.deepEqual(update.body['sessionMetadata'], { sampled: true });
    assert.deepEqual((update.body['sessionResults'] as { message: string }[]).map((e) => e.message), ['a', 'c', 'e']);

    clock.advance(1000);
    await settle();
    assert.deepEqual(r.messages[2]!.body, { sessionMetadata: { sampled: false }, sessionResults: [] });

    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await settle();
    }
    const last = r.messages[r.messages.length - 1]!;
    assert.deepEqual([last.kind, last.type], ['exception', 'SessionTimeoutException']);
    assert.ok(r.ended());
    assert.equal(tails.active, 0);
  });

  it('ends every session when the server stops, and forgets one whose client went away', async () => {
    const clock = new ManualClock();
    const tails = new LiveTails(t().store.logs, clock, silentLogger);
    const request = { groups: [{ key: 'f', identifier: 'f' }], match: compileFilterPattern(undefined) };
    const kept = reader(await tails.start(request, 'a'));
    const gone = await tails.start(request, 'b');
    assert.equal(tails.active, 2);
    gone.destroy();
    await settle();
    assert.equal(tails.active, 1);
    tails.close();
    await settle();
    assert.ok(kept.ended());
    assert.equal(tails.active, 0);
  });
});
