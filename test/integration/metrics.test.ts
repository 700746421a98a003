import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ClosedInvocation } from '../../src/domain/invocation.js';
import type { Clock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { MetricsRecorder } from '../../src/telemetry/metrics.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, run } from '../helpers/run.js';
import { failure, sqsClient } from '../helpers/sqs.js';

interface PromSample {
  labels?: Record<string, string>;
  value?: string;
}
interface PromFamily {
  name: string;
  type: string;
  metrics: PromSample[];
}
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

const FN = 'metered';
const payload = (event: unknown) => Buffer.from(JSON.stringify(event));

interface Stats {
  Invocations: number;
  Errors: number;
  Throttles: number;
  Duration: { Avg: number | null; P50: number | null; P90: number | null; P99: number | null; Max: number | null };
  ColdStarts: number;
  InitDurationAvg: number | null;
  MaxMemoryUsedMb: number | null;
  BilledDurationMs: number;
  GbSeconds: number;
  MaxConcurrentExecutions: number;
}
interface Summary {
  FunctionName: string;
  Total: Stats;
  Versions: (Stats & { Version: string })[];
  Aliases: (Stats & { Alias: string })[];
  PerMinute: (Stats & { Minute: string })[];
}

async function summary(url: string, minutes = 60): Promise<Summary> {
  const res = await fetch(`${url}/_selfless/functions/${FN}/metrics?minutes=${minutes}`);
  assert.equal(res.status, 200);
  return (await res.json()) as Summary;
}

/** Sum of a family's samples whose labels include `match`. */
function sum(families: PromFamily[], name: string, match: Record<string, string>): number {
  const family = families.find((f) => f.name === name);
  assert.ok(family, `${name} is exposed`);
  return family.metrics
    .filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v))
    .reduce((s, m) => s + Number(m.value), 0);
}

describe('per-function metrics', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, FN, 'actions', { Timeout: 1, MemorySize: 256 });
    const v = await t.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: v.Version! }));

    const invoke = (event: unknown, qualifier?: string) =>
      t.lambda.send(new InvokeCommand({ FunctionName: FN, Payload: payload(event), ...(qualifier ? { Qualifier: qualifier } : {}) }));
    assert.equal((await invoke({ action: 'echo' })).FunctionError, undefined);
    assert.equal((await invoke({ action: 'echo' })).FunctionError, undefined);
    assert.equal((await invoke({ action: 'throw' })).FunctionError, 'Unhandled');
    assert.equal((await invoke({ action: 'sleep', ms: 3000 })).FunctionError, 'Unhandled'); // timed out after 1 s
    assert.equal((await invoke({ action: 'echo' }, 'live')).FunctionError, undefined);
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: FN, ReservedConcurrentExecutions: 0 }));
    assert.equal((await failure(invoke({ action: 'echo' }))).name, 'TooManyRequestsException');
    await t.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: FN }));

    const sqs = sqsClient(t.platform.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'metered-queue' }));
    for (const body of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    sqs.destroy();
  });
  after(() => t?.stop());

  it('GET /metrics exposes counters, histograms and gauges in the Prometheus text format', async () => {
    const res = await fetch(`${t.platform.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = parsePrometheus(text);
    const fn = { function: FN };
    assert.equal(sum(families, 'selfless_invocations_total', fn), 5);
    assert.equal(sum(families, 'selfless_errors_total', fn), 2);
    assert.equal(sum(families, 'selfless_throttles_total', fn), 1);
    assert.equal(sum(families, 'selfless_throttles_total', { ...fn, version: '$LATEST', alias: '' }), 1);
    assert.equal(sum(families, 'selfless_invocations_total', { ...fn, version: '$LATEST', alias: '' }), 4);
    assert.equal(sum(families, 'selfless_invocations_total', { ...fn, version: '1', alias: 'live' }), 1);
    assert.ok(sum(families, 'selfless_cold_starts_total', fn) >= 2, 'a cold start for $LATEST and one for version 1');
    assert.ok(sum(families, 'selfless_billed_duration_milliseconds_total', fn) >= 1000, 'the timeout bills its second');
    assert.ok(sum(families, 'selfless_gb_seconds_total', fn) >= 0.25, '1 s at 256 MB is 0.25 GB-s');
    assert.ok(sum(families, 'selfless_max_memory_used_megabytes', fn) > 0);
    assert.equal(sum(families, 'selfless_concurrent_executions', fn), 0);
    assert.equal(sum(families, 'selfless_queue_messages', { queue: 'metered-queue' }), 2);
    assert.equal(sum(families, 'selfless_queue_oldest_message_age_seconds', { queue: 'metered-queue' }) >= 0, true);
    assert.equal(families.find((f) => f.name === 'selfless_duration_milliseconds')?.type, 'HISTOGRAM');
    assert.match(text, /^selfless_duration_milliseconds_count\{function="metered",version="\$LATEST",alias=""\} 4$/m);
    // The alias never failed nor was throttled: its series exist all the same, at 0, so rate() works before the first error.
    for (const counter of ['errors', 'throttles']) assert.match(text, new RegExp(`^selfless_${counter}_total\\{function="metered",version="1",alias="live"\\} 0$`, 'm'));
  });

  it('GET /_selfless/functions/:name/metrics sums the last minutes per function, version and alias', async () => {
    const s = await summary(t.platform.url);
    assert.equal(s.FunctionName, FN);
    assert.equal(s.Total.Invocations, 5);
    assert.equal(s.Total.Errors, 2);
    assert.equal(s.Total.Throttles, 1);
    assert.ok(s.Total.ColdStarts >= 2);
    assert.ok(s.Total.InitDurationAvg !== null && s.Total.InitDurationAvg > 0);
    const d = s.Total.Duration;
    assert.ok(d.P50! <= d.P90! && d.P90! <= d.P99! && d.P99! <= d.Max!, JSON.stringify(d));
    assert.ok(d.Max! >= 900, 'the timed-out invocation ran about a second');
    assert.ok(s.Total.MaxMemoryUsedMb! > 0);
    assert.ok(s.Total.GbSeconds >= 0.25);
    assert.equal(s.Total.MaxConcurrentExecutions, 1);
    assert.deepEqual(s.Versions.map((v) => [v.Version, v.Invocations, v.Errors, v.Throttles]), [['$LATEST', 4, 2, 1], ['1', 1, 0, 0]]);
    assert.deepEqual(s.Aliases.map((a) => [a.Alias, a.Invocations]), [['live', 1]]);
    assert.equal(s.PerMinute.reduce((n, p) => n + p.Invocations, 0), 5);

    const bad = await fetch(`${t.platform.url}/_selfless/functions/${FN}/metrics?minutes=0`);
    assert.equal(bad.status, 400);
    const missing = await fetch(`${t.platform.url}/_selfless/functions/nope/metrics`);
    assert.equal(missing.status, 404);
  });

  it('selfless metrics FN prints a summary table', async () => {
    const r = await run(process.execPath, [SELFLESS_BIN, 'metrics', FN, '--minutes', '30', '--endpoint', t.platform.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^metered, last 30 minutes$/m);
    assert.match(r.stdout, /^\s+all\s+version \$LATEST\s+version 1\s+alias live$/m);
    assert.match(r.stdout, /^Invocations\s+5\s+4\s+1\s+1$/m);
    assert.match(r.stdout, /^Errors\s+2\s+2\s+0\s+0$/m);
    assert.match(r.stdout, /^Throttles\s+1\s+1\s+0\s+0$/m);
    for (const row of ['Duration p99 (ms)', 'Cold starts', 'Init duration avg (ms)', 'Max memory used (MB)', 'Billed GB-seconds']) {
      assert.match(r.stdout, new RegExp(`^${row.replace(/[()]/g, '\\$&')}\\s+\\d`, 'm'));
    }
    const missing = await run(process.execPath, [SELFLESS_BIN, 'metrics', 'nope', '--endpoint', t.platform.url]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Function not found/);
  });

  it('metrics survive a restart on the same data dir', async () => {
    await t.stop(false);
    t = await startTestPlatform({}, t.dataDir);
    const s = await summary(t.platform.url);
    assert.equal(s.Total.Invocations, 5);
    assert.equal(s.Total.Errors, 2);
    assert.equal(s.Total.Throttles, 1);
    assert.deepEqual(s.Aliases.map((a) => [a.Alias, a.Invocations]), [['live', 1]]);
  });
});

describe('the metrics recorder', () => {
  it('merges flushes of the same minute and deletes points past retention', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-metrics-'));
    const store = openSqliteStore(dir);
    let now = Date.UTC(2026, 0, 1, 12, 0, 30);
    const clock: Clock = { now: () => now, monotonic: () => now, setTimeout: () => ({ cancel() {} }) };
    const recorder = new MetricsRecorder({ repo: store.metrics, clock, logger: silentLogger, retentionHours: 1 });
    const result = (durationMs: number): ClosedInvocation => ({
      outcome: { ok: true, payload: Buffer.from('{}') },
      report: { durationMs, billedDurationMs: Math.ceil(durationMs), memorySizeMb: 1024, maxMemoryUsedMb: 60 },
      log: [],
    });
    try {
      const target = { functionName: 'f', version: '$LATEST' };
      for (let i = 1; i <= 100; i++) {
        recorder.invoked(target, result(i), 1);
        if (i % 30 === 0) await recorder.flush();
      }
      let s = await recorder.summary('f', 1);
      assert.equal(s.total.invocations, 100);
      assert.equal(s.total.duration.maxMs, 100);
      // Buckets are 20% wide: percentiles are upper bounds within that.
      for (const [p, exact] of [[s.total.duration.p50Ms, 50], [s.total.duration.p90Ms, 90], [s.total.duration.p99Ms, 99]] as const) {
        assert.ok(p! >= exact && p! <= exact * 1.2, `${p} for ${exact}`);
      }
      assert.equal(s.total.gbSeconds, 5.05); // 5050 billed ms at 1 GB

      now += 2 * 3_600_000;
      recorder.invoked(target, result(7), 1);
      await recorder.flush();
      s = await recorder.summary('f', 24 * 60);
      assert.equal(s.total.invocations, 1, 'the old minute is gone');
    } finally {
      await recorder.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
