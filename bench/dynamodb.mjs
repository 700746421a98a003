#!/usr/bin/env node
// DynamoDB throughput, beside dynalite 4 (a DynamoDB-compatible server from npm, in memory) started in
// the same run, with the same SDK v3 client against both (HTTP/1.1 keep-alive), on one table with a
// string partition key and a number sort key. The 16 concurrent loops run on 2 client threads
// (bench/lib/dynamodb-load.mjs; --client-threads N): one thread of SDK clients saturates its core at
// some 2,200 calls a second whatever the server does, which made both servers' figures the client's.
// Each phase runs on Selfless, then at once on dynalite:
// - PutItem of ~100-byte items, 16 concurrent requests, for N seconds;
// - GetItem (eventually consistent) of those items, 16 concurrent requests, for N seconds;
// - Query returning one partition's 100 items, 16 concurrent requests, for N seconds;
// and, on Selfless only, stream lag: an item's PutItem (its time written into the item) to the start
// of the function its table's stream is mapped to, p50/p99 over WRITES writes sent one after another.
// Every phase first runs for WARM seconds on each server, unmeasured: the client's code and each
// server's are warm before either is measured, whichever goes first. Warm means optimised: V8 tiers a
// function up after enough calls, and a server's CPU per call falls two- to threefold over its first
// few thousand calls (1,215 to 335 µs for Selfless's PutItem, 747 to 370 µs for dynalite's, here on
// 2026-12-06), so a second of warm-up measured mostly the compiler. Then each server runs the phase
// in SLICES turns of N/SLICES seconds, taking turns, so that load from elsewhere on a shared machine
// falls on both alike.
// Usage: npm run build && node bench/dynamodb.mjs [--seconds N] [--warm N] [--slices N] [--writes N] [--client-threads N] [--profile]
// (default: 5 s per phase, 10 s of warm-up, 5 slices, 300 writes; --profile runs Selfless under V8's CPU profiler and prints where
// its time went). Installs dynalite into bench/peers-dynamodb/ on first run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, GetEventSourceMappingCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { cpuMicros, freePort, mergeResults, processTree, root, run, sleep, startChild, startSelfless, stopChild } from './lib/processes.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const flag = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = flag('--seconds', 5);
const WARM = flag('--warm', 10);
const SLICES = flag('--slices', 5);
const WRITES = flag('--writes', 300);
const PROFILE = process.argv.includes('--profile');
const CONCURRENCY = 16;
/** Client threads: one SDK client thread saturates a core at some 2,200 calls a second, whichever the server. */
const CLIENT_THREADS = flag('--client-threads', 2);
const QUERY_ITEMS = 100;
const peersDir = join(root, 'bench/peers-dynamodb');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const payload = { S: 'x'.repeat(80) };

const client = (endpoint) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });

/** The client threads (bench/lib/dynamodb-load.mjs), each running CONCURRENCY / CLIENT_THREADS of the loops. */
const loadThreads = Array.from({ length: CLIENT_THREADS }, () => new Worker(new URL('./lib/dynamodb-load.mjs', import.meta.url)));

function onThread(thread, job) {
  return new Promise((resolve, reject) => {
    thread.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    thread.postMessage(job);
  });
}

/**
 * Calls made by the CONCURRENCY loops of one phase on one server, spread over the client threads, for
 * `seconds`; the time taken, the server's CPU time (µs, all of its processes: per call, a figure that
 * other load on the machine disturbs less than the rate), and the monotonic window the phase ran in.
 */
async function phase(t, name, seconds = SECONDS) {
  const pids = processTree(t.pid);
  const cpuBefore = cpuMicros(pids);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const started = Date.now();
  const loops = (i) => Array.from({ length: CONCURRENCY }, (_, w) => w).filter((w) => w % CLIENT_THREADS === i);
  const done = await Promise.all(loadThreads.map((thread, i) => onThread(thread, { name: t.name, endpoint: t.endpoint, phase: name, seconds, loops: loops(i), written: t.written, items: QUERY_ITEMS })));
  for (const [i, r] of done.entries()) for (const w of loops(i)) t.written[w] = r.written[w];
  const calls = done.reduce((sum, r) => sum + r.calls, 0);
  return { calls, seconds: (Date.now() - started) / 1000, cpu: cpuMicros(pids) - cpuBefore, window: { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) } };
}

async function createTable(d, TableName, extra = {}) {
  await d.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
  for (let tries = 0; tries < 100; tries++) {
    if ((await d.send(new DescribeTableCommand({ TableName }))).Table.TableStatus === 'ACTIVE') return;
    await sleep(100);
  }
  throw new Error(`table ${TableName} not ACTIVE`);
}

/** A server under test: its client, its process (for CPU time), its table loaded with the Query's partition. */
async function target(name, endpoint, pid) {
  const d = client(endpoint);
  await createTable(d, 'bench');
  for (let i = 0; i < QUERY_ITEMS; i += 25) {
    const RequestItems = { bench: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: { S: 'q' }, sk: { N: String(i + j) }, payload } } })) };
    const out = await d.send(new BatchWriteItemCommand({ RequestItems }));
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error(`${name}: BatchWriteItem left items unprocessed`);
  }
  return { name, d, endpoint, pid, written: new Array(CONCURRENCY).fill(0), figures: {} };
}

/** Each phase on one target; phases run on both servers one after the other, so both see much the same load. */
const PHASES = {
  put_item: (t, seconds) => phase(t, 'put_item', seconds),
  get_item: (t, seconds) => phase(t, 'get_item', seconds),
  query_100: (t, seconds) => phase(t, 'query_100', seconds),
};

/** A function that, as it starts, posts (its start − each record's write time) to `url`. */
function lagZip(dir) {
  mkdirSync(join(dir, 'lag'), { recursive: true });
  writeFileSync(
    join(dir, 'lag', 'index.js'),
    `const http = require('node:http');
exports.handler = async (event) => {
  const start = Date.now();
  const lags = event.Records.map((r) => start - Number(r.dynamodb.NewImage.t.N));
  await new Promise((resolve, reject) => {
    const req = http.request(process.env.REPORT_URL, { method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(JSON.stringify(lags));
  });
  return {};
};
`,
  );
  const r = spawnSync('zip', ['-q', '-j', join(dir, 'lag.zip'), join(dir, 'lag', 'index.js')]);
  if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
  return readFileSync(join(dir, 'lag.zip'));
}

/** Write → function start over a table's stream mapping, on Selfless. */
async function streamLag(d, endpoint, dir) {
  const lags = [];
  const report = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      lags.push(...JSON.parse(body));
      res.end();
    });
  });
  await new Promise((r) => report.listen(0, '127.0.0.1', r));
  const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await createTable(d, 'lag', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    const arn = (await d.send(new DescribeTableCommand({ TableName: 'lag' }))).Table.LatestStreamArn;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'lag',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/b',
        Code: { ZipFile: lagZip(dir) },
        Timeout: 30,
        Environment: { Variables: { REPORT_URL: `http://127.0.0.1:${report.address().port}/` } },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'lag' });
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'lag', EventSourceArn: arn, StartingPosition: 'LATEST', BatchSize: 100 }));
    for (let i = 0; i < 200 && (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State !== 'Enabled'; i++) await sleep(50);
    // Warm-up: the mapping reads from LATEST once it polls, and the function's environment has started.
    for (let i = 0; lags.length === 0 && i < 600; i++) {
      await d.send(new PutItemCommand({ TableName: 'lag', Item: { pk: { S: 'warm' }, sk: { N: String(i) }, t: { N: String(Date.now()) } } }));
      await sleep(100);
    }
    if (lags.length === 0) throw new Error('stream lag: the mapped function never started');
    await sleep(500);
    lags.length = 0;
    for (let i = 0; i < WRITES; i++) {
      await d.send(new PutItemCommand({ TableName: 'lag', Item: { pk: { S: `k${i % 10}` }, sk: { N: String(i) }, t: { N: String(Date.now()) } } }));
      await sleep(5);
    }
    for (let i = 0; lags.length < WRITES && i < 300; i++) await sleep(100);
    if (lags.length < WRITES) throw new Error(`stream lag: ${lags.length} of ${WRITES} records reached the function`);
    const sorted = [...lags].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { p50_ms: at(0.5), p99_ms: at(0.99), writes: WRITES };
  } finally {
    lambda.destroy();
    report.close();
  }
}

if (!existsSync(join(peersDir, 'node_modules/dynalite/package.json'))) {
  console.log('installing dynalite into bench/peers-dynamodb (first run)');
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
}
const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-dynamodb-'));
const loadAtStart = loadavg();
const results = {};
let lag;
try {
  const profileDir = join(dir, 'profile');
  const selfless = await startSelfless(join(dir, 'selfless'), [], PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
  const port = await freePort();
  const dynalite = await startChild(
    process.execPath,
    [join(peersDir, 'node_modules/dynalite/cli.js'), '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0'],
    /(Dynalite listening)/,
    { cwd: peersDir },
  );
  const targets = [await target('selfless', selfless.url, selfless.child.pid), await target('dynalite', `http://127.0.0.1:${port}`, dynalite.child.pid)];
  let window;
  if (WARM > 0) for (const run of Object.values(PHASES)) for (const t of targets) await run(t, WARM);
  for (const [key, run] of Object.entries(PHASES)) {
    const sums = targets.map(() => ({ calls: 0, seconds: 0, cpu: 0 }));
    for (let slice = 0; slice < SLICES; slice++) {
      for (const [i, t] of targets.entries()) {
        const r = await run(t, SECONDS / SLICES);
        sums[i].calls += r.calls;
        sums[i].seconds += r.seconds;
        sums[i].cpu += r.cpu;
        if (t.name === 'selfless') window = { fromUs: window?.fromUs ?? r.window.fromUs, toUs: r.window.toUs };
      }
    }
    for (const [i, t] of targets.entries()) {
      t.figures[`${key}_per_s`] = sums[i].calls / sums[i].seconds;
      t.figures[`${key}_cpu_us`] = sums[i].cpu / sums[i].calls;
    }
  }
  for (const t of targets) {
    const f = t.figures;
    console.log(`${t.name}: PutItem ${f.put_item_per_s.toFixed(0)}/s, GetItem ${f.get_item_per_s.toFixed(0)}/s, Query (${QUERY_ITEMS} items) ${f.query_100_per_s.toFixed(0)}/s (c=${CONCURRENCY}); server CPU per call ${f.put_item_cpu_us.toFixed(0)}, ${f.get_item_cpu_us.toFixed(0)}, ${f.query_100_cpu_us.toFixed(0)} µs`);
    results[t.name] = f;
  }
  targets[1].d.destroy();
  await stopChild(dynalite);
  lag = await streamLag(targets[0].d, selfless.url, dir);
  console.log(`selfless: stream lag (write → function start) p50 ${lag.p50_ms} ms, p99 ${lag.p99_ms} ms over ${lag.writes} writes`);
  targets[0].d.destroy();
  await stopChild(selfless);
  if (PROFILE) {
    const summary = summariseProfile(join(profileDir, readdirSync(profileDir)[0]), window, 25);
    console.log(JSON.stringify(summary, null, 2));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const figures = {};
for (const [k, v] of Object.entries(results.selfless)) {
  // Above 1, Selfless is ahead: more calls per second, or less server CPU per call.
  const ratio = k.endsWith('_cpu_us') ? results.dynalite[k] / v : v / results.dynalite[k];
  figures[`dynamodb_${k}`] = { selfless: Math.round(v), dynalite: Math.round(results.dynalite[k]), ratio: Math.round(ratio * 100) / 100 };
}
console.table(figures);
figures.dynamodb_stream_lag = { selfless: lag };
mergeResults(figures, { dynamodb: { seconds: SECONDS, warm: WARM, slices: SLICES, concurrency: CONCURRENCY, clientThreads: CLIENT_THREADS, writes: WRITES, cpus: cpus().length, loadavgAtStart: loadAtStart, loadavgAtEnd: loadavg() } });
process.exit(0);
