import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DeleteFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, run } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';
import { createQueue, json } from './async-helpers.js';

interface PromFamily {
  name: string;
  metrics: { labels?: Record<string, string>; value?: string }[];
}
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

interface AsyncStats {
  Invocations: number;
  AsyncEventsReceived: number;
  AsyncEventAgeMaxMs: number;
  AsyncEventsDropped: number;
  DestinationDeliveryFailures: number;
  DeadLetterErrors: number;
}
interface Summary {
  Total: AsyncStats;
  Versions: (Record<string, unknown> & { Version: string })[];
  PerMinute: AsyncStats[];
}

const OK = 'async-metered-ok';
const FAILS = 'async-metered-fails';
const LOST = 'async-metered-lost';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('asynchronous invocation metrics', () => {
  let t: TestPlatform;
  let sqs: SQSClient;

  const summary = async (fn: string): Promise<Summary> => {
    const res = await fetch(`${t.platform.url}/_selfless/functions/${fn}/metrics?minutes=10`);
    assert.equal(res.status, 200);
    return (await res.json()) as Summary;
  };
  const invokeEvent = async (fn: string, event: unknown) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: json(event) }));
    assert.equal(res.StatusCode, 202);
  };
  /** A queue that exists when a config names it and is gone when the platform sends to it. */
  const deletedQueue = async (name: string) => {
    const q = await createQueue(sqs, name);
    return { ...q, remove: () => sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })) };
  };

  before(async () => {
    t = await startTestPlatform({ asyncRetryScale: 0.01 });
    sqs = sqsClient(t.platform.url);

    // Succeeds twice; the first event waits out a throttle, so its age when it runs is known to be large.
    await createFunction(t.lambda, OK, 'actions');
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: OK, ReservedConcurrentExecutions: 0 }));
    await invokeEvent(OK, { action: 'echo' });
    await sleep(300);
    await t.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: OK }));
    await invokeEvent(OK, { action: 'echo' });

    // Fails without retries; its dead-letter queue is gone.
    const dlq = await deletedQueue('async-metered-dlq');
    await createFunction(t.lambda, FAILS, 'actions', { DeadLetterConfig: { TargetArn: dlq.arn } });
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: FAILS, MaximumRetryAttempts: 0 }));
    await dlq.remove();
    await invokeEvent(FAILS, { action: 'throw' });

    // Succeeds; its OnSuccess queue is gone.
    const success = await deletedQueue('async-metered-success');
    await createFunction(t.lambda, LOST, 'actions');
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: LOST, DestinationConfig: { OnSuccess: { Destination: success.arn } } }));
    await success.remove();
    await invokeEvent(LOST, { action: 'echo' });

    const settled = async () => {
      const [ok, fails, lost] = await Promise.all([summary(OK), summary(FAILS), summary(LOST)]);
      return ok.Total.Invocations === 2 && fails.Total.AsyncEventsDropped === 1 && lost.Total.DestinationDeliveryFailures === 1;
    };
    for (let i = 0; i < 30 && !(await settled()); i++) await sleep(500);
  });
  after(async () => {
    sqs?.destroy();
    await t?.stop();
  });

  it('the JSON summary counts received, dropped and undeliverable events, and the age of the oldest run', async () => {
    const ok = await summary(OK);
    assert.equal(ok.Total.Invocations, 2);
    assert.equal(ok.Total.AsyncEventsReceived, 2);
    assert.equal(ok.Total.AsyncEventsDropped, 0);
    assert.ok(ok.Total.AsyncEventAgeMaxMs >= 300, `the throttled event ran ${ok.Total.AsyncEventAgeMaxMs} ms after it was queued`);
    assert.equal(ok.PerMinute.reduce((n, p) => n + p.AsyncEventsReceived, 0), 2);
    assert.equal(ok.Versions[0]?.['AsyncEventsReceived'], undefined, 'async metrics are per function only');

    const fails = await summary(FAILS);
    assert.equal(fails.Total.Invocations, 1, 'no retry');
    assert.equal(fails.Total.AsyncEventsReceived, 1);
    assert.equal(fails.Total.AsyncEventsDropped, 1);
    assert.ok(fails.Total.AsyncEventAgeMaxMs >= 0);
    assert.equal(fails.Total.DeadLetterErrors, 1);
    assert.equal(fails.Total.DestinationDeliveryFailures, 0);

    const lost = await summary(LOST);
    assert.equal(lost.Total.AsyncEventsReceived, 1);
    assert.equal(lost.Total.AsyncEventsDropped, 0);
    assert.equal(lost.Total.DestinationDeliveryFailures, 1);
    assert.equal(lost.Total.DeadLetterErrors, 0);
  });

  it('GET /metrics exposes them as counters and a gauge per function', async () => {
    const families = parsePrometheus(await (await fetch(`${t.platform.url}/metrics`)).text());
    const value = (name: string, fn: string) => {
      const family = families.find((f) => f.name === name);
      assert.ok(family, `${name} is exposed`);
      return Number(family.metrics.find((m) => m.labels?.['function'] === fn)?.value ?? 0);
    };
    assert.equal(value('selfless_async_events_received_total', OK), 2);
    assert.equal(value('selfless_async_events_received_total', FAILS), 1);
    assert.equal(value('selfless_async_events_dropped_total', FAILS), 1);
    assert.equal(value('selfless_async_events_dropped_total', OK), 0);
    assert.equal(value('selfless_destination_delivery_failures_total', LOST), 1);
    assert.equal(value('selfless_dead_letter_errors_total', FAILS), 1);
    assert.ok(value('selfless_async_event_age_milliseconds', OK) >= 0);
    assert.equal(families.find((f) => f.name === 'selfless_async_events_received_total')?.metrics.length, 3);
  });

  it('selfless metrics FN shows them in the function column', async () => {
    const r = await run(process.execPath, [SELFLESS_BIN, 'metrics', FAILS, '--endpoint', t.platform.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Async events received\s+1\s+-$/m);
    assert.match(r.stdout, /^Async events dropped\s+1\s+-$/m);
    assert.match(r.stdout, /^Async event age max \(ms\)\s+\d/m);
    assert.match(r.stdout, /^Destination delivery failures\s+0\s+-$/m);
    assert.match(r.stdout, /^Dead-letter errors\s+1\s+-$/m);
  });

  it('survive a restart', async () => {
    await t.stop(false);
    t = await startTestPlatform({ asyncRetryScale: 0.01 }, t.dataDir);
    const fails = await summary(FAILS);
    assert.deepEqual([fails.Total.AsyncEventsReceived, fails.Total.AsyncEventsDropped, fails.Total.DeadLetterErrors], [1, 1, 1]);
  });
});

describe('stored metric points', () => {
  it('written before the async metrics existed read them as 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-metrics-'));
    try {
      await openSqliteStore(dir).close(); // creates the schema
      const minute = Date.UTC(2026, 0, 1, 12, 0);
      const old = {
        invocations: 3, errors: 1, throttles: 0, durationSumMs: 30, durationMaxMs: 12, durationBuckets: [[20, 3]], coldStarts: 1,
        initDurationSumMs: 100, maxMemoryUsedMb: 60, billedDurationMs: 33, gbSeconds: 0.004, maxConcurrentExecutions: 1,
      };
      const db = new Database(join(dir, 'selfless.db'));
      db.prepare('INSERT INTO metric_points (function_name, kind, value, minute, data) VALUES (?, ?, ?, ?, ?)').run('f', 'function', '', minute, JSON.stringify(old));
      db.close();
      const store = openSqliteStore(dir);
      try {
        const [p] = await store.metrics.query('f', minute);
        assert.equal(p?.invocations, 3);
        assert.deepEqual(
          [p?.asyncEventsReceived, p?.asyncEventAgeMaxMs, p?.asyncEventsDropped, p?.destinationDeliveryFailures, p?.deadLetterErrors],
          [0, 0, 0, 0, 0],
        );
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
