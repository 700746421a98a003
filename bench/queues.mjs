#!/usr/bin/env node
// Queue throughput, each figure beside BullMQ 5 on a Redis started on this machine in the same run
// (twice: Redis without persistence, and Redis with an append-only file fsynced every second, since
// Selfless persists every acknowledged message):
// - SendMessage (16 concurrent senders) against Queue.add with the same concurrency;
// - SendMessageBatch (batches of 10, 16 concurrent) against addBulk of 10;
// - ReceiveMessage (10 per receive) + DeleteMessageBatch with 8 consumers against a Worker of concurrency 8;
// - end to end: SendMessageBatch into a queue that an event source mapping drains into a no-op
//   Node.js function, against addBulk into a queue that a Worker of concurrency 50 drains.
// Each Selfless phase also gives the server's CPU per message (its own process, from /proc), and with
// --profile a V8 CPU profile of the server summarised per phase. --before REF also measures the server
// as it was at commit REF (built beside this checkout, bench/lib/before.mjs) in the same run.
// Usage: npm run build && node bench/queues.mjs [--seconds N] [--profile] [--before REF] [--selfless-only]
//   (N seconds per measured phase, default 5)
// Installs redis-server with apt-get if it is missing, and BullMQ into bench/peers/ on first run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { builtBefore } from './lib/before.mjs';
import { cpuMicros, freePort, mergeResults, processTree, run, sleep, startChild, stopChild } from './lib/processes.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';
const root = fileURLToPath(new URL('..', import.meta.url));
const peersDir = join(root, 'bench/peers');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;
if (!(SECONDS > 0 && SECONDS <= 60)) throw new Error('--seconds must be between 0 and 60');
const PHASE_MS = SECONDS * 1000;
const PROFILE = process.argv.includes('--profile');
const beforeArg = process.argv.indexOf('--before');
const BEFORE = beforeArg > 0 ? process.argv[beforeArg + 1] : undefined;
/** Only Selfless's phases, CPU and profile (for profiling a change); no peers, nothing written. */
const SELFLESS_ONLY = process.argv.includes('--selfless-only');
const SENDERS = 16;
const CONSUMERS = 8;
/** The BullMQ Worker's concurrency in the end-to-end run (issue #20 compares against concurrency 50). */
const E2E_WORKER_CONCURRENCY = 50;
const BATCH = 10;
/** Messages of the end-to-end run: enough for a few seconds at the rates seen here. */
const E2E_MESSAGES = Math.max(2000, Math.round(SECONDS * 6000 / 10) * 10);
const E2E_TIMEOUT_MS = 60_000;
/** Batches the event source mapping runs at once: two per core keeps both cores busy while one waits. */
const MAPPING_CONCURRENCY = Math.max(2, 2 * cpus().length);
const BODY = JSON.stringify({ order: 12345, item: 'widget', qty: 1 });


// ---------------------------------------------------------------------------------------------
// Setup: redis-server from Debian, BullMQ into bench/peers, a free port.


const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

async function ensureRedis() {
  if (onPath('redis-server')) return;
  console.log('redis-server is missing: installing it with apt-get (Debian package redis-server)');
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['install', '-y', '-qq', 'redis-server'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  // The package may start its system service; this benchmark runs its own instances only.
  spawnSync('sh', ['-c', 'service redis-server stop || systemctl stop redis-server'], { stdio: 'ignore' });
  if (!onPath('redis-server')) throw new Error('redis-server still missing after apt-get install');
}

async function ensurePeers() {
  if (!existsSync(join(peersDir, 'node_modules/bullmq/package.json'))) {
    console.log('installing BullMQ into bench/peers (first run)');
    await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
  }
  const req = createRequire(join(peersDir, 'package.json'));
  return { bullmq: req('bullmq'), Redis: req('ioredis').default ?? req('ioredis'), bullmqVersion: req('bullmq/package.json').version };
}




// ---------------------------------------------------------------------------------------------
// Load helpers: bounded loops, errors counted by operation and message.

class Errors {
  counts = new Map();
  add(op, err) {
    const status = err?.$metadata?.httpStatusCode;
    const key = `${op}: ${err?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${String(err?.message ?? err).slice(0, 200)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  addFailed(op, failed) {
    for (const f of failed) {
      const key = `${op}: entry failed ${f.Code}${f.SenderFault ? ' (sender fault)' : ''}: ${String(f.Message ?? '').slice(0, 200)}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }
  toJSON() {
    return Object.fromEntries(this.counts);
  }
  get size() {
    return this.counts.size;
  }
}

/** `workers` loops each running `step` (which returns how many messages it moved) until the deadline. */
async function timed(workers, ms, step) {
  let count = 0;
  const t0 = performance.now();
  const deadline = t0 + ms;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < deadline) {
      const n = await step(w);
      if (n < 0) return; // the worker is done (nothing left)
      count += n;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  return { count, seconds: elapsed, rate: count / elapsed };
}

const entries = (n, tag) => Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `${BODY}${tag}` }));

// ---------------------------------------------------------------------------------------------
// Selfless.

/**
 * Runs `phase` and adds to its result the server's CPU per message (µs; its own process, all threads),
 * that of its children (the function environments) and that of this script (the SDK clients), and
 * the profile window when profiling. A share is CPU time over wall time (1 = one core busy).
 */
async function measured(server, phase) {
  const self = [server.child.pid];
  const cpu0 = cpuMicros(self);
  const tree0 = cpuMicros(processTree(server.child.pid)) - cpu0;
  const client0 = process.cpuUsage();
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await phase();
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const client = process.cpuUsage(client0);
  const serverUs = cpuMicros(self) - cpu0;
  const childrenUs = cpuMicros(processTree(server.child.pid)) - serverUs - cpu0 - tree0;
  r.serverCpuUsPerMessage = r.count > 0 ? serverUs / r.count : undefined;
  r.environmentsCpuUsPerMessage = r.count > 0 ? Math.max(0, childrenUs) / r.count : undefined;
  // This script's own CPU: the SDK clients that send and receive.
  r.clientCpuUsPerMessage = r.count > 0 ? (client.user + client.system) / r.count : undefined;
  r.serverCpuShare = serverUs / ((toUs - fromUs) || 1);
  r.clientCpuShare = (client.user + client.system) / ((toUs - fromUs) || 1);
  r.window = { fromUs, toUs };
  return r;
}

async function benchSelfless(from = root) {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-queues-'));
  const nodeArgs = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profile')] : [];
  const server = await startChild(process.execPath, [...nodeArgs, join(from, 'bin/selfless.js'), 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], /serving on (http:\/\/\S+)/);
  const endpoint = server.match;
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 256 });
  const common = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1, requestHandler: { httpAgent } };
  const sqs = new SQSClient(common);
  const lambda = new LambdaClient(common);
  const out = {};
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));

    // Warm-up: connections, JIT, the storage's first pages.
    await timed(SENDERS, 1000, async () => { await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })).catch(() => {}); return 1; });

    const sendErrors = new Errors();
    out.send = await measured(server, () => timed(SENDERS, PHASE_MS, async () => {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY }));
        return 1;
      } catch (err) {
        sendErrors.add('SendMessage', err);
        await sleep(10);
        return 0;
      }
    }));
    out.send.errors = sendErrors.toJSON();

    const batchErrors = new Errors();
    out.sendBatch = await measured(server, () => timed(SENDERS, PHASE_MS, async () => {
      try {
        const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(BATCH, '') }));
        if (r.Failed?.length) batchErrors.addFailed('SendMessageBatch', r.Failed);
        return r.Successful?.length ?? 0;
      } catch (err) {
        batchErrors.add('SendMessageBatch', err);
        await sleep(10);
        return 0;
      }
    }));
    out.sendBatch.errors = batchErrors.toJSON();

    const backlog = await queueDepth(sqs, QueueUrl);
    const recvErrors = new Errors();
    let empties = 0;
    out.receiveDelete = await measured(server, () => timed(CONSUMERS, PHASE_MS, async () => {
      let messages;
      try {
        ({ Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: BATCH, WaitTimeSeconds: 0 })));
      } catch (err) {
        recvErrors.add('ReceiveMessage', err);
        await sleep(10);
        return 0;
      }
      if (messages.length === 0) {
        empties++;
        return -1;
      }
      try {
        const r = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
        if (r.Failed?.length) recvErrors.addFailed('DeleteMessageBatch', r.Failed);
        return r.Successful?.length ?? 0;
      } catch (err) {
        recvErrors.add('DeleteMessageBatch', err);
        await sleep(10);
        return 0;
      }
    }));
    out.receiveDelete.errors = recvErrors.toJSON();
    out.receiveDelete.backlog = backlog;
    out.receiveDelete.drained = empties > 0;

    out.e2e = await selflessEndToEnd(sqs, lambda, dir, server);
  } finally {
    sqs.destroy();
    lambda.destroy();
    httpAgent.destroy();
    await stopChild(server.child); // a profile is written as the server exits
    if (PROFILE) {
      const [file] = existsSync(join(dir, 'profile')) ? readdirSync(join(dir, 'profile')) : [];
      if (file) {
        for (const k of Object.keys(out)) out[k].profile = summariseProfile(join(dir, 'profile', file), out[k].window, 15);
        const kept = join(tmpdir(), `selfless-queues-${Date.now()}.cpuprofile`);
        copyFileSync(join(dir, 'profile', file), kept);
        console.log(`server profile kept in ${kept}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function queueDepth(sqs, QueueUrl) {
  const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl,
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
}

function noopZip(dir) {
  mkdirSync(join(dir, 'noop'), { recursive: true });
  writeFileSync(join(dir, 'noop', 'index.js'), 'exports.handler = async () => ({});\n');
  const r = spawnSync('zip', ['-q', '-j', join(dir, 'noop.zip'), join(dir, 'noop', 'index.js')]);
  if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
  return readFileSync(join(dir, 'noop.zip'));
}

/** Sends `n` messages in batches of 10 from 16 senders. */
async function sendAll(sqs, QueueUrl, n, errors) {
  let next = 0;
  let sent = 0;
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    let attempts = 0;
    while (next < n && attempts++ < n) { // bounded even if every send fails
      const size = Math.min(BATCH, n - next);
      next += size;
      try {
        const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(size, '') }));
        if (r.Failed?.length) errors.addFailed('SendMessageBatch (end to end)', r.Failed);
        sent += r.Successful?.length ?? 0;
      } catch (err) {
        errors.add('SendMessageBatch (end to end)', err);
      }
    }
  }));
  return sent;
}

/** Polls the queue's depth every 50 ms until it reaches 0; returns the time it did, or undefined. */
async function drainedAt(sqs, QueueUrl, deadline, errors) {
  let last;
  while (performance.now() < deadline) {
    try {
      last = await queueDepth(sqs, QueueUrl);
      if (last === 0) return { at: performance.now(), left: 0 };
    } catch (err) {
      errors.add('GetQueueAttributes', err);
    }
    await sleep(50);
  }
  return { at: undefined, left: last };
}

async function selflessEndToEnd(sqs, lambda, dir, server) {
  const errors = new Errors();
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'queue-noop', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: noopZip(dir) }, Timeout: 30 }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'queue-noop' });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'e2e', Attributes: { VisibilityTimeout: '30' } }));
  const { Attributes: { QueueArn } } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'queue-noop', EventSourceArn: QueueArn, BatchSize: BATCH, ScalingConfig: { MaximumConcurrency: MAPPING_CONCURRENCY } }));
  for (let i = 0; i < 200; i++) {
    if ((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State === 'Enabled') break;
    await sleep(50);
  }

  // Warm-up: environments started, poller scaled up once.
  await sendAll(sqs, QueueUrl, 200, errors);
  const warm = await drainedAt(sqs, QueueUrl, performance.now() + 30_000, errors);
  if (warm.at === undefined) throw new Error(`end to end warm-up did not drain in 30 s (${warm.left} left)`);

  let sendSeconds;
  let done;
  const t0 = performance.now();
  const r = await measured(server, async () => {
    const sent = await sendAll(sqs, QueueUrl, E2E_MESSAGES, errors);
    sendSeconds = (performance.now() - t0) / 1000;
    done = await drainedAt(sqs, QueueUrl, t0 + E2E_TIMEOUT_MS, errors);
    return { count: sent };
  });
  const sent = r.count;
  const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID }));
  const seconds = ((done.at ?? performance.now()) - t0) / 1000;
  return {
    ...r,
    count: sent,
    seconds,
    rate: done.at === undefined ? (sent - (done.left ?? sent)) / seconds : sent / seconds,
    sendSeconds,
    timedOut: done.at === undefined,
    left: done.left,
    maximumConcurrency: MAPPING_CONCURRENCY,
    lastProcessingResult: mapping.LastProcessingResult,
    errors: errors.toJSON(),
  };
}

// ---------------------------------------------------------------------------------------------
// BullMQ on a Redis of this machine.

async function startRedis(persistence) {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', '', ...persistence];
  const { child } = await startChild('redis-server', args, /(Ready to accept connections)/);
  return { child, port, dir };
}

async function benchBullmq(peers, persistence) {
  const { Queue, Worker } = peers.bullmq;
  const redis = await startRedis(persistence);
  const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const out = {};
  const queues = [];
  const mkQueue = (name) => {
    const q = new Queue(name, { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 } });
    queues.push(q);
    return q;
  };
  try {
    const client = new peers.Redis({ host: '127.0.0.1', port: redis.port });
    out.redisVersion = /redis_version:(\S+)/.exec(await client.info('server'))?.[1];
    await client.quit();

    const q = mkQueue('bench');
    await q.waitUntilReady();
    await timed(SENDERS, 1000, async () => { await q.add('job', { body: BODY }).catch(() => {}); return 1; });

    const addErrors = new Errors();
    out.send = await timed(SENDERS, PHASE_MS, async () => {
      try {
        await q.add('job', { body: BODY });
        return 1;
      } catch (err) {
        addErrors.add('Queue.add', err);
        await sleep(10);
        return 0;
      }
    });
    out.send.errors = addErrors.toJSON();

    const bulkErrors = new Errors();
    const bulk = Array.from({ length: BATCH }, () => ({ name: 'job', data: { body: BODY } }));
    out.sendBatch = await timed(SENDERS, PHASE_MS, async () => {
      try {
        return (await q.addBulk(bulk)).length;
      } catch (err) {
        bulkErrors.add('Queue.addBulk', err);
        await sleep(10);
        return 0;
      }
    });
    out.sendBatch.errors = bulkErrors.toJSON();

    const backlog = await q.getWaitingCount();
    out.receiveDelete = await runWorker(Worker, 'bench', connection, backlog, PHASE_MS);
    out.receiveDelete.backlog = backlog;

    // End to end: the Worker runs before the jobs are added, as the mapping exists before the sends.
    const e2eErrors = new Errors();
    const e = mkQueue('e2e');
    let completed = 0;
    const failed = [];
    const worker = new Worker('e2e', async () => {}, { connection, concurrency: E2E_WORKER_CONCURRENCY });
    worker.on('completed', () => completed++);
    worker.on('failed', (_job, err) => failed.push(String(err)));
    worker.on('error', (err) => e2eErrors.add('Worker (end to end)', err));
    await worker.waitUntilReady();
    const addAll = async (n) => {
      let next = 0;
      let added = 0;
      await Promise.all(Array.from({ length: SENDERS }, async () => {
        let attempts = 0;
        while (next < n && attempts++ < n) {
          const size = Math.min(BATCH, n - next);
          next += size;
          try {
            const jobs = await e.addBulk(bulk.slice(0, size));
            added += jobs.length; // not `added += await ...`: that reads `added` before the await
          } catch (err) {
            e2eErrors.add('Queue.addBulk (end to end)', err);
          }
        }
      }));
      return added;
    };
    const waitFor = async (target, deadline) => {
      while (completed < target && performance.now() < deadline) await sleep(5);
      return completed >= target ? performance.now() : undefined;
    };
    await addAll(200);
    await waitFor(200, performance.now() + 30_000);
    const base = completed;
    // CPU of the whole BullMQ side (Redis, and this process's clients and Worker), to set beside Selfless's.
    const redisCpu0 = cpuMicros([redis.child.pid]);
    const process0 = process.cpuUsage();
    const t0 = performance.now();
    const sent = await addAll(E2E_MESSAGES);
    const sendSeconds = (performance.now() - t0) / 1000;
    const at = await waitFor(base + sent, t0 + E2E_TIMEOUT_MS);
    const seconds = ((at ?? performance.now()) - t0) / 1000;
    const own = process.cpuUsage(process0);
    const done = completed - base;
    out.e2e = {
      count: sent, seconds, rate: done / seconds, sendSeconds, timedOut: at === undefined, concurrency: E2E_WORKER_CONCURRENCY, failedJobs: failed.length, errors: e2eErrors.toJSON(),
      redisCpuUsPerMessage: (cpuMicros([redis.child.pid]) - redisCpu0) / (done || 1),
      clientAndWorkerCpuUsPerMessage: (own.user + own.system) / (done || 1),
    };
    await worker.close();
  } finally {
    await Promise.allSettled(queues.map((q) => q.close()));
    await stopChild(redis.child);
    rmSync(redis.dir, { recursive: true, force: true }); // the AOF run leaves a few hundred MB
  }
  return out;
}

/** A Worker of concurrency 8 on a queue holding `backlog` jobs: completed jobs per second until drained or `ms`. */
async function runWorker(Worker, name, connection, backlog, ms) {
  const errors = new Errors();
  let completed = 0;
  let failed = 0;
  const t0 = performance.now();
  const worker = new Worker(name, async () => {}, { connection, concurrency: CONSUMERS });
  worker.on('completed', () => completed++);
  worker.on('failed', () => failed++);
  worker.on('error', (err) => errors.add('Worker', err));
  const deadline = t0 + ms;
  while (performance.now() < deadline && completed + failed < backlog) await sleep(5);
  const seconds = (performance.now() - t0) / 1000;
  const count = completed;
  await worker.close();
  return { count, seconds, rate: count / seconds, failedJobs: failed, drained: completed + failed >= backlog, errors: errors.toJSON() };
}


const ROW_NAMES = { send: 'SendMessage', sendBatch: 'SendMessageBatch', receiveDelete: 'Receive+DeleteBatch', e2e: 'end to end' };

/** Server CPU per message for each phase (and against the before server), and the profiles' summaries. */
function printCpuAndProfiles(selfless, old) {
  const us = (x) => (x === undefined ? '-' : x.toFixed(1));
  console.log(`\nCPU per message (µs) of the server process (end to end also the function environments) and of the SDK clients:`);
  for (const [k, name] of Object.entries(ROW_NAMES)) {
    const n = selfless[k];
    const env = `${k === 'e2e' ? `, environments ${us(n.environmentsCpuUsPerMessage)}` : ''}; SDK clients ${us(n.clientCpuUsPerMessage)}; cores busy: server ${n.serverCpuShare.toFixed(2)}, clients ${n.clientCpuShare.toFixed(2)}`;
    const b = old?.[k];
    const vs = b ? ` | before ${us(b.serverCpuUsPerMessage)} (${(n.serverCpuUsPerMessage / b.serverCpuUsPerMessage).toFixed(2)}x), ${b.rate.toFixed(0)} msg/s (now ${(n.rate / b.rate).toFixed(2)}x)` : '';
    console.log(`  ${name.padEnd(20)} ${us(n.serverCpuUsPerMessage)}${env}${vs}`);
  }
  if (PROFILE) {
    for (const [k, name] of Object.entries(ROW_NAMES)) {
      const p = selfless[k].profile;
      if (!p) continue;
      console.log(`\nprofile of the server, ${name} (${p.totalMs} ms sampled): ${Object.entries(p.percentByKind).map(([kind, x]) => `${kind} ${x}%`).join(', ')}`);
      for (const [f, x] of p.topFunctionsPercent) console.log(`  ${String(x).padStart(5)}%  ${f}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const tStart = performance.now();
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  if (!existsSync(join(root, 'dist'))) throw new Error('run `npm run build` first');
  await ensureRedis();
  const peers = await ensurePeers();

  console.log(`queues benchmark: ${SECONDS} s per phase, ${cpus().length} CPUs, Node ${process.version}, BullMQ ${peers.bullmqVersion}`);
  const before = BEFORE ? builtBefore(BEFORE) : undefined;
  let old;
  if (before) {
    console.log(`Selfless at ${before.sha.slice(0, 10)} (before) ...`);
    old = await benchSelfless(before.dir);
  }
  console.log('Selfless ...');
  const selfless = await benchSelfless();
  if (SELFLESS_ONLY) {
    for (const [k, name] of Object.entries(ROW_NAMES)) {
      const b = old?.[k];
      console.log(`${name.padEnd(20)} ${selfless[k].rate.toFixed(0).padStart(8)} msg/s${b ? ` (before ${b.rate.toFixed(0)}, now ${(selfless[k].rate / b.rate).toFixed(2)}x)` : ''}`);
    }
    printCpuAndProfiles(selfless, old);
    console.log(`load average (1, 5, 15 min) at start ${loadAtStart.join(' ')}, at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    process.exit(0);
  }
  console.log('BullMQ on Redis without persistence (--save "" --appendonly no) ...');
  const memory = await benchBullmq(peers, ['--appendonly', 'no']);
  console.log('BullMQ on Redis with AOF (--appendonly yes --appendfsync everysec) ...');
  const aof = await benchBullmq(peers, ['--appendonly', 'yes', '--appendfsync', 'everysec']);

  const rows = [
    ['send', `queue: SendMessage vs Queue.add (${SENDERS} concurrent)`, 'SendMessage', 'Queue.add'],
    ['sendBatch', `queue: SendMessageBatch vs addBulk (batches of ${BATCH}, ${SENDERS} concurrent)`, 'SendMessageBatch', 'addBulk'],
    ['receiveDelete', `queue: ReceiveMessage+DeleteMessageBatch vs Worker (${CONSUMERS} concurrent)`, 'Receive+DeleteBatch', 'Worker c=8'],
    ['e2e', `queue: end to end, SendMessageBatch to event source mapping to no-op function vs addBulk to Worker`, 'end to end', 'addBulk→Worker c=50'],
  ];
  const figures = {};
  for (const [k, name] of rows) {
    figures[name] = {
      unit: 'messages/s',
      selfless: selfless[k].rate,
      bullmqRedisNoPersistence: memory[k].rate,
      bullmqRedisAofEverysec: aof[k].rate,
      ratioToRedisNoPersistence: selfless[k].rate / memory[k].rate,
      ratioToRedisAofEverysec: selfless[k].rate / aof[k].rate,
      serverCpuUsPerMessage: selfless[k].serverCpuUsPerMessage,
      ...(old && { before: before.sha, selflessBefore: old[k].rate, ratioToBefore: selfless[k].rate / old[k].rate, serverCpuUsPerMessageBefore: old[k].serverCpuUsPerMessage }),
      detail: { selfless: selfless[k], ...(old && { selflessBefore: old[k] }), bullmqRedisNoPersistence: memory[k], bullmqRedisAofEverysec: aof[k] },
    };
  }
  const date = new Date().toISOString();
  // Other work on the machine skews every figure here: the load averages say whether it was quiet.
  const machine = { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)) };
  for (const f of Object.values(figures)) f.machine = machine;
  mergeResults(figures, { queuesDate: date });

  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(8);
  const ratio = (x) => `${x.toFixed(2)}x`.padStart(7);
  console.log(`\nQueues, ${date}, ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, ${SECONDS} s per phase; messages/s`);
  console.log(`BullMQ ${peers.bullmqVersion} on Redis ${memory.redisVersion}: "no persistence" = --save "" --appendonly no; "AOF" = --appendonly yes --appendfsync everysec`);
  console.log(`Selfless persists every acknowledged message (SQLite). Ratio = Selfless / BullMQ.\n`);
  console.log(`${'Selfless'.padEnd(20)} ${'BullMQ'.padEnd(18)} ${'Selfless'.padStart(8)} | ${'no persistence'.padStart(14)} ${'ratio'.padStart(7)} | ${'AOF everysec'.padStart(12)} ${'ratio'.padStart(7)}`);
  for (const [, name, s, b] of rows) {
    const f = figures[name];
    console.log(`${s.padEnd(20)} ${b.padEnd(18)} ${fmt(f.selfless)} | ${fmt(f.bullmqRedisNoPersistence).padStart(14)} ${ratio(f.ratioToRedisNoPersistence)} | ${fmt(f.bullmqRedisAofEverysec).padStart(12)} ${ratio(f.ratioToRedisAofEverysec)}`);
  }
  printCpuAndProfiles(selfless, old);
  const e = selfless.e2e;
  console.log(`\nend to end: ${e.count} messages, event source mapping BatchSize ${BATCH}, MaximumConcurrency ${MAPPING_CONCURRENCY}; Worker concurrency ${E2E_WORKER_CONCURRENCY}` +
    `\n  Selfless ${e.seconds.toFixed(2)} s (sending took ${e.sendSeconds.toFixed(2)} s)${e.timedOut ? `, TIMED OUT with ${e.left} left` : ''}, last processing result ${e.lastProcessingResult}` +
    `\n  BullMQ ${memory.e2e.seconds.toFixed(2)} s / ${aof.e2e.seconds.toFixed(2)} s (no persistence / AOF)` +
    `\n  CPU per message (µs): Selfless server ${e.serverCpuUsPerMessage?.toFixed(1)} + environments ${e.environmentsCpuUsPerMessage?.toFixed(1)} + SDK clients ${e.clientCpuUsPerMessage?.toFixed(1)}; ` +
    `BullMQ with AOF: Redis ${aof.e2e.redisCpuUsPerMessage.toFixed(1)} + clients and Worker ${aof.e2e.clientAndWorkerCpuUsPerMessage.toFixed(1)}`);
  console.log(`receive phase backlog: Selfless ${selfless.receiveDelete.backlog} (${selfless.receiveDelete.drained ? 'drained' : 'not drained'} after ${selfless.receiveDelete.count}), ` +
    `BullMQ ${memory.receiveDelete.backlog} / ${aof.receiveDelete.backlog}`);

  let anyErrors = false;
  for (const [label, r] of [['Selfless', selfless], ['BullMQ no persistence', memory], ['BullMQ AOF', aof]]) {
    for (const k of ['send', 'sendBatch', 'receiveDelete', 'e2e']) {
      for (const [msg, n] of Object.entries(r[k].errors ?? {})) {
        anyErrors = true;
        console.log(`ERROR ${label}: ${msg} x${n}`);
      }
    }
  }
  if (!anyErrors) console.log('no errors');
  console.log(`load average (1, 5, 15 min) at start ${loadAtStart.join(' ')}, at end ${machine.loadAverageAtEnd.join(' ')} on ${cpus().length} CPUs`);
  console.log(`\nwritten to bench/results/latest.json (total ${((performance.now() - tStart) / 1000).toFixed(0)} s)`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
