#!/usr/bin/env node
// EventBridge, SNS and Scheduler on one Selfless server (SQLite store), each beside a bare baseline on
// the same server, since no npm package serves these APIs:
// - PutEvents of 10 entries per call, 16 concurrent callers, for N seconds, on the default bus, where
//   one rule (a `source` pattern) matches every entry and routes it to an SQS queue: entries/s accepted,
//   and entries/s routed (from the first call until the last entry has arrived in the queue). Baseline:
//   SendMessageBatch of 10 messages, 16 concurrent, into a queue of the same server (messages/s).
// - SNS Publish, 16 concurrent publishers, for N seconds, to a topic with 10 subscribed SQS queues
//   (SNS's JSON envelope, not raw): deliveries/s, counted by the messages arriving in the 10 queues, from
//   the first Publish until the last delivery arrives. Baseline: the same SendMessageBatch messages/s.
// - Schedule firing lag: 10,000 EventBridge Scheduler at() schedules (SQS targets), all due at the same
//   second (the start of a minute), on the real clock (no --time-scale). The lag of each is the queue's
//   SentTimestamp of its message minus the due time: p50, p99 and max, and whether each fired once.
// With --profile, the server runs under V8's CPU profiler and the summary of its main thread's time while
// the schedules fire (from the due time to the last arrival) is printed.
// Usage: npm run build && node bench/events.mjs [--seconds N] [--schedules N] [--profile]   (defaults: 5 s, 10,000)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mergeResults, sleep, startSelfless, stopChild } from './lib/processes.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const flag = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = flag('--seconds', 5);
const SCHEDULES = flag('--schedules', 10_000);
const PROFILE = process.argv.includes('--profile');
if (!(SECONDS > 0 && SECONDS <= 60)) throw new Error('--seconds must be between 0 and 60');
const CONCURRENCY = 16;
const BATCH = 10;
const FANOUT = 10;
const ARRIVAL_TIMEOUT_MS = 180_000;
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const DETAIL = JSON.stringify({ order: 12345, item: 'widget', qty: 1 });

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const options = (endpoint) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: agent }),
});

/** Runs `workers` loops for the phase's length; `fn` returns how many items it moved. */
async function phase(workers, fn) {
  const until = Date.now() + SECONDS * 1000;
  const started = Date.now();
  let items = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; Date.now() < until; n++) {
        const moved = await fn(w, n); // not `items += await ...`: that reads items before the wait
        items += moved;
      }
    }),
  );
  return { items, ms: Date.now() - started, started };
}

/** Runs `fn` over `items` with `workers` at once. */
async function pool(items, workers, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function createQueue(sqs, name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl, arn: Attributes.QueueArn };
}

const visible = async (sqs, url) =>
  Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes.ApproximateNumberOfMessages);

/** Waits until the queues hold `expected` messages in all; resolves with when the count was reached (epoch ms). */
async function arrived(sqs, urls, expected) {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  for (;;) {
    const counts = await Promise.all(urls.map((u) => visible(sqs, u)));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total >= expected) return { at: Date.now(), total };
    if (Date.now() > deadline) throw new Error(`only ${total} of ${expected} messages arrived within ${ARRIVAL_TIMEOUT_MS / 1000} s`);
    await sleep(20);
  }
}

async function sendBatchBaseline(sqs) {
  const q = await createQueue(sqs, 'baseline');
  const entries = (w, n) => Array.from({ length: BATCH }, (_, j) => ({ Id: String(j), MessageBody: `${DETAIL}${w}-${n}-${j}` }));
  const r = await phase(CONCURRENCY, async (w, n) => {
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: entries(w, n) }));
    return out.Successful?.length ?? 0;
  });
  return (r.items / r.ms) * 1000;
}

async function putEvents(sqs, events) {
  const q = await createQueue(sqs, 'events-target');
  await events.send(new PutRuleCommand({ Name: 'bench-orders', EventPattern: JSON.stringify({ source: ['bench.orders'], 'detail-type': ['OrderPlaced'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'bench-orders', Targets: [{ Id: 'queue', Arn: q.arn }] }));
  const entries = Array.from({ length: BATCH }, () => ({ Source: 'bench.orders', DetailType: 'OrderPlaced', Detail: DETAIL }));
  const r = await phase(CONCURRENCY, async () => {
    const out = await events.send(new PutEventsCommand({ Entries: entries }));
    return BATCH - out.FailedEntryCount;
  });
  const done = await arrived(sqs, [q.url], r.items);
  return { accepted: (r.items / r.ms) * 1000, routed: (r.items / (done.at - r.started)) * 1000, entries: r.items };
}

async function fanOut(sqs, sns) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-fanout' }));
  const queues = [];
  for (let i = 0; i < FANOUT; i++) {
    const q = await createQueue(sqs, `fanout-${i}`);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
    queues.push(q);
  }
  const r = await phase(CONCURRENCY, async () => {
    await sns.send(new PublishCommand({ TopicArn, Message: DETAIL }));
    return 1;
  });
  const done = await arrived(sqs, queues.map((q) => q.url), r.items * FANOUT);
  const monoNowUs = Number(process.hrtime.bigint() / 1000n);
  const window = { fromUs: monoNowUs - (Date.now() - r.started) * 1000, toUs: monoNowUs - (Date.now() - done.at) * 1000 };
  return { window, publishes: (r.items / r.ms) * 1000, deliveries: ((r.items * FANOUT) / (done.at - r.started)) * 1000, published: r.items };
}

const atExpression = (ms) => `at(${new Date(ms).toISOString().slice(0, 19)})`;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function scheduleLag(sqs, scheduler) {
  const q = await createQueue(sqs, 'schedule-target');
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { VisibilityTimeout: '600' } }));
  const names = Array.from({ length: SCHEDULES }, (_, i) => `s${String(i).padStart(5, '0')}`);
  const create = (due) => (name) =>
    scheduler.send(
      new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: atExpression(due),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: q.arn, RoleArn: ROLE, Input: JSON.stringify({ name, at: '<aws.scheduler.scheduled-time>' }) },
      }),
    );
  // How fast schedules are created here decides how far ahead the shared due time must be.
  const probe = Date.now();
  await pool(names.slice(0, 200), CONCURRENCY, create(Date.now() + 3_600_000 * 24));
  const perMs = 200 / (Date.now() - probe);
  const due = Math.ceil((Date.now() + (SCHEDULES - 200) / perMs * 1.5 + 15_000) / 60_000) * 60_000;
  const t0 = Date.now();
  // The first 200 again, now due with the rest (an update would do the same; a fresh name keeps it simple).
  const all = names.map((n) => `d${n}`);
  await pool(all, CONCURRENCY, create(due));
  const createdPerS = (SCHEDULES / (Date.now() - t0)) * 1000;
  if (Date.now() >= due) throw new Error('the schedules were not all created before they were due: try fewer with --schedules');
  console.log(`schedules: ${SCHEDULES} created at ${createdPerS.toFixed(0)}/s, due ${new Date(due).toISOString()} (in ${((due - Date.now()) / 1000).toFixed(0)} s)`);
  const lags = [];
  const seen = new Map();
  const deadline = due + ARRIVAL_TIMEOUT_MS;
  while (seen.size < SCHEDULES && Date.now() < deadline) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['SentTimestamp'] }));
    const msgs = got.Messages ?? [];
    for (const m of msgs) {
      const { name } = JSON.parse(m.Body);
      seen.set(name, (seen.get(name) ?? 0) + 1);
      lags.push(Number(m.Attributes.SentTimestamp) - due);
    }
    if (msgs.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  // Anything fired twice would show now (a second copy arriving after the first ones).
  await sleep(2000);
  const late = await visible(sqs, q.url);
  lags.sort((a, b) => a - b);
  // The firing window on the monotonic clock a profile counts in (µs).
  const monoNowUs = Number(process.hrtime.bigint() / 1000n);
  const window = { fromUs: monoNowUs - (Date.now() - due) * 1000, toUs: monoNowUs - (Date.now() - (due + lags[lags.length - 1])) * 1000 };
  const twice = [...seen.values()].filter((c) => c > 1).length;
  return { window, created_per_s: createdPerS, fired: seen.size, duplicates: twice + late, p50: pct(lags, 50), p99: pct(lags, 99), max: lags[lags.length - 1], min: lags[0] };
}

const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-events-'));
const figures = {};
let schedules;
let fanOutWindow;
try {
  const selfless = await startSelfless(join(dir, 'selfless'), [], PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profile')] : []);
  const sqs = new SQSClient(options(selfless.url));
  const events = new EventBridgeClient(options(selfless.url));
  const sns = new SNSClient(options(selfless.url));
  const scheduler = new SchedulerClient(options(selfless.url));
  const baseline = await sendBatchBaseline(sqs);
  console.log(`baseline: SendMessageBatch ${baseline.toFixed(0)} messages/s (10 per call, c=${CONCURRENCY})`);
  const pe = await putEvents(sqs, events);
  console.log(`PutEvents: ${pe.accepted.toFixed(0)} entries/s accepted, ${pe.routed.toFixed(0)} entries/s routed into the queue (${pe.entries} entries, 10 per call, c=${CONCURRENCY})`);
  const fo = await fanOut(sqs, sns);
  fanOutWindow = fo.window;
  console.log(`SNS fan-out: ${fo.publishes.toFixed(0)} publishes/s, ${fo.deliveries.toFixed(0)} deliveries/s to ${FANOUT} queues (${fo.published} published, c=${CONCURRENCY})`);
  schedules = await scheduleLag(sqs, scheduler);
  console.log(`schedules: ${schedules.fired} of ${SCHEDULES} fired, ${schedules.duplicates} twice; lag min ${schedules.min} ms, p50 ${schedules.p50} ms, p99 ${schedules.p99} ms, max ${schedules.max} ms`);
  const ratio = (v) => Math.round((v / baseline) * 100) / 100;
  figures.events_put_events_entries_per_s = { selfless: Math.round(pe.accepted), baseline_send_message_batch: Math.round(baseline), ratio: ratio(pe.accepted) };
  figures.events_put_events_routed_per_s = { selfless: Math.round(pe.routed), baseline_send_message_batch: Math.round(baseline), ratio: ratio(pe.routed) };
  figures.sns_fanout_deliveries_per_s = { selfless: Math.round(fo.deliveries), baseline_send_message_batch: Math.round(baseline), ratio: ratio(fo.deliveries) };
  figures.scheduler_fire_lag_p50_ms = { selfless: schedules.p50 };
  figures.scheduler_fire_lag_p99_ms = { selfless: schedules.p99 };
  figures.scheduler_fire_lag_max_ms = { selfless: schedules.max };
  [sqs, events, sns, scheduler].forEach((c) => c.destroy());
  await stopChild(selfless); // a profile is written as the server exits
  if (PROFILE) {
    const [file] = readdirSync(join(dir, 'profile'));
    for (const [what, window] of [['SNS fanned out', fanOutWindow], ['the schedules fired', schedules.window]]) {
      const p = summariseProfile(join(dir, 'profile', file), window, 25);
      console.log(`server profile while ${what} (${p.totalMs} ms), % of its main thread's time:`);
      console.log('  ' + Object.entries(p.percentByKind).map(([k, v]) => `${k} ${v}`).join(', '));
      for (const [fn, v] of p.topFunctionsPercent) console.log(`  ${String(v).padStart(5)}  ${fn}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(figures);
mergeResults(figures, { events: { seconds: SECONDS, schedules: SCHEDULES, schedules_fired: schedules.fired, schedules_fired_twice: schedules.duplicates, schedules_created_per_s: Math.round(schedules.created_per_s), clock: 'real', cpus: cpus().length, loadavg: loadavg() } });
process.exit(0);
