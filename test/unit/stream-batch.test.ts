import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InvocationOutcome, InvocationResult } from '../../src/domain/invocation.js';
import type { ResolvedInvocation } from '../../src/invoke/invoker.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { StreamSettings } from '../../src/event-sources/model.js';
import type { PollerContext } from '../../src/event-sources/poller.js';
import type { StreamItem } from '../../src/event-sources/sharded-stream.js';
import { StreamBatch } from '../../src/event-sources/stream-batch.js';
import { CATALOGS } from '../../src/wire/errors.js';

const item = (sequence: string, arrivedAt: number, partitionKey = 'k'): StreamItem => ({
  sequence,
  partitionKey,
  arrivedAt,
  bytes: 100,
  event: (role) => ({ sequence, role }),
  filterView: () => ({}),
});

const settings = (s: Partial<StreamSettings> = {}): StreamSettings => ({
  startingPosition: 'TRIM_HORIZON',
  parallelizationFactor: 1,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: -1,
  maximumRecordAgeInSeconds: -1,
  onFailure: 'arn:aws:sqs:us-east-1:000000000000:failures',
  ...s,
});

/** A batch over a scripted function: each answer is 'ok', 'error', 'throttle' or a list of failed sequence numbers. */
function harness(items: StreamItem[], s: StreamSettings, answers: (string | string[])[], clock = new ManualClock(1_000_000)) {
  const calls: string[][] = [];
  const sent: Record<string, any>[] = [];
  const checkpoints: string[] = [];
  const target = { run: { config: { role: 'arn:aws:iam::000000000000:role/r' } }, version: '$LATEST' } as unknown as ResolvedInvocation;
  const ctx: PollerContext = {
    clock,
    logger: silentLogger,
    region: 'us-east-1',
    mappingUuid: 'm',
    functionArn: (ref) => `arn:aws:lambda:us-east-1:000000000000:function:${ref.name}`,
    report: () => undefined,
    iteratorAge: () => undefined,
    invoker: {
      resolve: async () => target,
      invoke: async (_t, payload): Promise<InvocationResult & { requestId: string }> => {
        const records = (JSON.parse(payload.toString()) as { Records: { sequence: string }[] }).Records.map((r) => r.sequence);
        calls.push(records);
        const answer = answers.shift() ?? 'ok';
        if (answer === 'throttle') throw CATALOGS.lambda.tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
        const closed = (outcome: InvocationOutcome) => Promise.resolve({ outcome, report: { durationMs: 1, billedDurationMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 1 }, log: [] });
        if (answer === 'error') {
          const outcome: InvocationOutcome = { ok: false, payload: Buffer.from('{}'), errorType: 'Error' };
          return { requestId: `req-${calls.length}`, outcome, closed: closed(outcome) };
        }
        const body = Array.isArray(answer) ? { batchItemFailures: answer.map((itemIdentifier) => ({ itemIdentifier })) } : {};
        const outcome: InvocationOutcome = { ok: true, payload: Buffer.from(JSON.stringify(body)) };
        return { requestId: `req-${calls.length}`, outcome, closed: closed(outcome) };
      },
    },
  };
  const batch = new StreamBatch(
    items,
    {
      function: { name: 'fn' },
      settings: s,
      reportBatchItemFailures: true,
      failure: { shardId: 'shardId-000000000000', streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', batchInfoKey: 'KinesisBatchInfo' },
      sendFailure: async (_arn, record) => (sent.push(record), true),
    },
    ctx,
    async (last) => void checkpoints.push(last.sequence),
    async () => undefined,
    () => false,
  );
  return { batch, calls, sent, checkpoints };
}

describe('a stream batch taken to its end', () => {
  it('counts each failed invocation against MaximumRetryAttempts and reports the invoke count; throttles spend none', async () => {
    const h = harness([item('1', 0), item('2', 0)], settings({ maximumRetryAttempts: 2 }), ['throttle', 'error', 'throttle', 'error', 'error']);
    assert.equal(await h.batch.run(), true);
    assert.deepEqual(h.calls.length, 5);
    assert.equal(h.sent.length, 1);
    assert.equal(h.sent[0]!['requestContext']['approximateInvokeCount'], 3);
    assert.equal(h.sent[0]!['requestContext']['condition'], 'RetryAttemptsExhausted');
    assert.equal(h.sent[0]!['requestContext']['requestId'], 'req-5');
    assert.deepEqual(h.checkpoints, ['2'], 'discarded records are settled');
  });

  it('discards records older than MaximumRecordAgeInSeconds without invoking them', async () => {
    const clock = new ManualClock(1_000_000);
    const h = harness([item('1', 1_000_000 - 120_000), item('2', 1_000_000 - 30_000)], settings({ maximumRecordAgeInSeconds: 60 }), ['ok'], clock);
    assert.equal(await h.batch.run(), true);
    assert.deepEqual(h.calls, [['2']]);
    assert.equal(h.sent[0]!['requestContext']['condition'], 'RecordAgeExceeded');
    assert.equal(h.sent[0]!['requestContext']['approximateInvokeCount'], 0);
    assert.deepEqual([h.sent[0]!['KinesisBatchInfo']['startSequenceNumber'], h.sent[0]!['KinesisBatchInfo']['batchSize']], ['1', 1]);
    assert.deepEqual(h.checkpoints, ['1', '2']);
  });

  it('checkpoints before the lowest failed record of a partial failure and retries from there', async () => {
    const h = harness([item('1', 0), item('2', 0), item('3', 0), item('4', 0)], settings(), [['3', '2'], 'ok']);
    assert.equal(await h.batch.run(), true);
    assert.deepEqual(h.calls, [['1', '2', '3', '4'], ['2', '3', '4']]);
    assert.deepEqual(h.checkpoints, ['1', '4']);
    assert.deepEqual(h.sent, []);
  });

  it('keeps the order of each partition key across lanes', async () => {
    const items = ['a', 'b', 'c', 'd'].flatMap((key, k) => [0, 1].map((i) => item(String(k * 2 + i + 1), 0, key)));
    const h = harness(items, settings({ parallelizationFactor: 4 }), []);
    assert.equal(await h.batch.run(), true);
    const seen = h.calls.flat();
    assert.equal(seen.length, 8);
    for (let k = 0; k < 4; k++) assert.ok(seen.indexOf(String(k * 2 + 1)) < seen.indexOf(String(k * 2 + 2)));
    assert.deepEqual(h.checkpoints.at(-1), '8');
  });
});
