#!/usr/bin/env node
// A fleet on PostgreSQL (#12): queues and invokes through one node, then three (127.0.0.2, .3, .4 sharing one
// schema), beside pg-boss 10 on the same PostgreSQL, all in one run, c=16 clients throughout:
// - SendMessageBatch (10 a call) against pg-boss `insert` of 10 jobs (one statement, as a batch is; `send` is one job),
//   through the SDK and again from a lean HTTP client (autocannon posting the JSON protocol's request), whose CPU
//   a message is a tenth of the SDK's: on two cores the client otherwise takes the CPU the nodes and PostgreSQL need;
// - ReceiveMessage (10) + DeleteMessageBatch against pg-boss `fetch` (batchSize 10) + `complete` of those ids,
//   each message counted once (a message received twice is counted as a duplicate); pg-boss's fetch costs more
//   the longer its queue, so its receive starts on as many jobs as Selfless's did through one node;
// - warm Invoke of a no-op Node.js function (autocannon, keep-alive).
// During each receive, bench/lib/pg-watch.mjs samples PostgreSQL once a second (the receive query's plan and
// buffers, the xmin horizon, what active sessions run and wait on, the table's dead rows and autovacuums).
// Clients are spread round-robin over the nodes. Each figure comes with the CPU per message or invoke of the
// nodes, their environments, PostgreSQL (the backends serving them, found by their client ports, and the server's
// background processes) and this script, and the machine's busy cores (other work on the machine shows there).
// Usage: npm run build && node bench/fleet.mjs [--seconds N]   (N seconds per phase, default 5)
// Needs SELFLESS_BENCH_POSTGRES_URL (default: the test database); where no PostgreSQL answers it says so and
// exits 0, so `npm run bench` goes on. Each run uses schemas of its own, dropped at the end. Installs pg-boss
// into bench/peers on first run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { postgresServing, watchCpu } from './lib/cpu-split.mjs';
import { describeWatch, watchPostgres } from './lib/pg-watch.mjs';
import { mergeResults, processTree, root, run, sleep, startChild, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TEST_URL = 'postgres://selfless_test:selfless_test@127.0.0.1:5432/selfless_test';
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;
if (!(SECONDS > 0 && SECONDS <= 60)) throw new Error('--seconds must be between 0 and 60');
const PHASE_MS = SECONDS * 1000;
const C = 16;
const BATCH = 10;
const BODY = JSON.stringify({ order: 12345, item: 'widget', qty: 1 });
const peersDir = join(root, 'bench/peers');
const tag = `${process.pid}_${Date.now().toString(36)}`;

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the URL, schemas of this run.

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function postgresUrl() {
  const url = process.env.SELFLESS_BENCH_POSTGRES_URL ?? TEST_URL;
  try {
    const { rows } = await sql(url, 'SHOW server_version');
    return { url, version: rows[0].server_version };
  } catch (err) {
    return { url, error: String(err?.message ?? err) };
  }
}

const pgPort = (url) => Number(new URL(url).port || 5432);

/**
 * What holds PostgreSQL's xmin horizon back: a transaction left open elsewhere (an idle-in-transaction
 * session, a prepared transaction) keeps every deleted or moved message's index entry visible, so each
 * receive's scan walks all of them and its cost grows with the messages received so far. A run under
 * such a horizon measures that, not Selfless: the report says so.
 */
async function horizon(url) {
  const { rows } = await sql(
    url,
    `SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()) AS "idleInTransaction",
            (SELECT COALESCE(max(EXTRACT(EPOCH FROM now() - xact_start)), 0)::int FROM pg_stat_activity
              WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()) AS "oldestTransactionSeconds",
            (SELECT count(*)::int FROM pg_prepared_xacts) AS "preparedTransactions"`,
  );
  return rows[0];
}
const heldBack = (h) => h.idleInTransaction > 0 || h.preparedTransactions > 0 || h.oldestTransactionSeconds > 10;

const inSchema = (base, schema) => {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
};

// ---------------------------------------------------------------------------------------------
// Load loops: `workers` loops of `step(w)` (messages moved, or -1 when that worker is done) until the deadline.

function errorsCounter() {
  const counts = {};
  return {
    counts,
    add(op, err) {
      const key = `${op}: ${err?.name ?? 'Error'}: ${String(err?.message ?? err).slice(0, 160)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    },
  };
}

async function timed(workers, ms, step) {
  let count = 0;
  const t0 = performance.now();
  const deadline = t0 + ms;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < deadline) {
      const n = await step(w);
      if (n < 0) return;
      count += n;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { count, seconds, rate: count / seconds };
}

/** Runs `phase`, with the CPU split of `groups` per unit of work it reports (`count`). */
async function measured(groups, phase) {
  const stop = watchCpu(groups);
  const r = await phase();
  return { ...r, cpuMicrosPer: stop(Math.max(1, r.count)) };
}

/** A receive loop's step: `take()` gives [ids, ack()] ; stops a worker once the queue is empty and all are seen. */
function receiver(backlog, take) {
  const seen = new Set();
  let duplicates = 0;
  const step = async (w) => {
    const [ids, ack] = await take(w);
    if (ids.length === 0) {
      if (seen.size >= backlog) return -1;
      await sleep(5); // what is left is held by other receivers
      return 0;
    }
    for (const id of ids) (seen.has(id) ? duplicates++ : seen.add(id));
    return ack();
  };
  return { step, duplicates: () => duplicates };
}

// ---------------------------------------------------------------------------------------------
// pg-boss 10 on the same PostgreSQL, its own schema.

async function ensurePgBoss() {
  if (!existsSync(join(peersDir, 'node_modules/pg-boss/package.json'))) {
    console.log('installing pg-boss into bench/peers (first run)');
    await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
  }
  const req = createRequire(join(peersDir, 'package.json'));
  return { PgBoss: req('pg-boss'), version: req('pg-boss/package.json').version };
}

/** Its fetch cost grows with the backlog (see the README), so its receive starts on `receiveBacklog` jobs, Selfless's. */
async function benchPgBoss(PgBoss, base, receiveBacklog) {
  const schema = `bench_fleet_boss_${tag}`;
  const boss = new PgBoss({ connectionString: base, schema });
  const errors = errorsCounter();
  boss.on('error', (err) => errors.add('pg-boss', err));
  const groups = { postgres: () => postgresServing([process.pid], pgPort(base)) };
  try {
    await boss.start();
    await boss.createQueue('bench');
    let seq = 0;
    const jobs = () => Array.from({ length: BATCH }, () => ({ name: 'bench', data: { body: BODY, n: seq++ } }));
    await timed(C, 1000, async () => (await boss.insert(jobs()), 0)); // warm-up
    const send = await measured(groups, () => timed(C, PHASE_MS, async () => {
      try {
        await boss.insert(jobs()); // answers no ids in 10.x
        return BATCH;
      } catch (err) {
        errors.add('insert', err);
        return 0;
      }
    }));
    const sent = (await boss.getQueueSize('bench')) ?? 0;
    await boss.createQueue('receive'); // a table partition of its own: the jobs just sent are not in its way
    for (let left = receiveBacklog; left > 0; left -= 1000) {
      await boss.insert(Array.from({ length: Math.min(1000, left) }, (_, n) => ({ name: 'receive', data: { body: BODY, n } })));
    }
    const backlog = (await boss.getQueueSize('receive')) ?? 0;
    const recv = receiver(backlog, async () => {
      const got = await boss.fetch('receive', { batchSize: BATCH }).catch((err) => (errors.add('fetch', err), []));
      const ids = got.map((j) => j.id);
      return [ids, async () => {
        try {
          return (await boss.complete('receive', ids)).affected;
        } catch (err) {
          errors.add('complete', err);
          return 0;
        }
      }];
    });
    const receive = await measured(groups, () => timed(C, PHASE_MS, recv.step));
    return { send: { ...send, sent }, receive: { ...receive, backlog, duplicates: recv.duplicates() }, errors: errors.counts };
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await sql(base, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

// ---------------------------------------------------------------------------------------------
// Selfless nodes sharing one schema.

async function startNode(i, storeUrl, dir) {
  const args = [join(root, 'bin/selfless.js'), 'serve', '--port', '0', '--host', `127.0.0.${i + 2}`, '--store', storeUrl, '--node-id', `fleet-n${i + 1}`,
    '--master-key-file', join(dir, 'master.key'), '--data-dir', join(dir, `n${i + 1}`), '--log-level', 'warn'];
  const { child, match } = await startChild(process.execPath, args, /serving on (http:\/\/\S+)/);
  return { child, url: match };
}

async function waitAlive(url, n) {
  for (let i = 0; i < 300; i++) {
    const view = await (await fetch(`${url}/_selfless/nodes`)).json().catch(() => ({ Nodes: [] }));
    if (view.Nodes.filter((x) => x.State === 'alive').length >= n) return;
    await sleep(100);
  }
  throw new Error(`${n} nodes not alive after 30 s`);
}

function noopZip(dir) {
  mkdirSync(join(dir, 'noop'), { recursive: true });
  writeFileSync(join(dir, 'noop', 'index.js'), 'exports.handler = async () => ({});\n');
  const r = spawnSync('zip', ['-q', '-j', join(dir, 'noop.zip'), join(dir, 'noop', 'index.js')]);
  if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
  return readFileSync(join(dir, 'noop.zip'));
}

/** SendMessageBatch then receive + delete through `nodes`, round-robin; then warm invokes spread over them. */
async function benchThrough(nodes, queueName, storeUrl) {
  const groups = {
    nodes: () => nodes.map((n) => n.child.pid),
    environments: () => nodes.flatMap((n) => processTree(n.child.pid).slice(1)),
    postgres: () => postgresServing(nodes.map((n) => n.child.pid), pgPort(storeUrl)),
  };
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 256 });
  const clients = nodes.map((n) => new SQSClient({ endpoint: n.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestHandler: { httpAgent } }));
  const errors = errorsCounter();
  try {
    const { QueueUrl } = await clients[0].send(new CreateQueueCommand({ QueueName: queueName }));
    let seq = 0;
    const sendStep = async (w) => {
      const Entries = Array.from({ length: BATCH }, (_, i) => ({ Id: String(i), MessageBody: `${BODY}${seq++}` }));
      try {
        const r = await clients[w % clients.length].send(new SendMessageBatchCommand({ QueueUrl, Entries }));
        for (const f of r.Failed ?? []) errors.add('SendMessageBatch entry', { name: f.Code, message: f.Message });
        return r.Successful?.length ?? 0;
      } catch (err) {
        errors.add('SendMessageBatch', err);
        await sleep(10);
        return 0;
      }
    };
    await timed(C, 1000, sendStep); // warm-up: connections, JIT, the pools
    const send = await measured(groups, () => timed(C, PHASE_MS, sendStep));
    // The same sends from a lean HTTP client: what the nodes and PostgreSQL take when the client's CPU is not on these cores.
    // To a queue of its own, so that the receive below works on the SDK's backlog alone, as pg-boss's does.
    const lean = await clients[0].send(new CreateQueueCommand({ QueueName: `${queueName}-lean` }));
    const sendLean = await measured(groups, () => leanSends(nodes, lean.QueueUrl));
    const backlog = seq;
    const recv = receiver(backlog, async (w) => {
      const client = clients[w % clients.length];
      let Messages = [];
      try {
        ({ Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: BATCH, WaitTimeSeconds: 0 })));
      } catch (err) {
        errors.add('ReceiveMessage', err);
        await sleep(10);
      }
      return [Messages.map((m) => m.Body), async () => {
        try {
          const r = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
          for (const f of r.Failed ?? []) errors.add('DeleteMessageBatch entry', { name: f.Code, message: f.Message });
          return r.Successful?.length ?? 0;
        } catch (err) {
          errors.add('DeleteMessageBatch', err);
          return 0;
        }
      }];
    });
    // The receive's own query, as the PostgreSQL store runs it (src/storage/postgres/queue-repo.ts), sampled meanwhile.
    const watch = await watchPostgres(storeUrl, {
      table: 'queue_messages',
      query: () => ['SELECT * FROM queue_messages WHERE queue = $1 AND visible_at <= $2 ORDER BY visible_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED', [queueName, Date.now(), BATCH]],
    });
    const receive = await measured(groups, () => timed(C, PHASE_MS, recv.step));
    const postgres = await watch.stop();
    const invoke = await measured(groups, () => invokes(nodes));
    return { send, sendLean, receive: { ...receive, backlog, duplicates: recv.duplicates(), postgres }, invoke, errors: errors.counts };
  } finally {
    clients.forEach((c) => c.destroy());
    httpAgent.destroy();
  }
}

/**
 * SendMessageBatch of BATCH messages as the JSON protocol carries it, from autocannon (C connections split
 * over the nodes, after a 1 s warm-up): no SDK in the loop, whose signing and parsing cost the client more
 * CPU a message than the nodes spend (on a fleet the clients run elsewhere). The server takes any signature
 * on loopback, so the request carries a credential scope but no computed signature.
 */
async function leanSends(nodes, queueUrl) {
  const body = JSON.stringify({ QueueUrl: queueUrl, Entries: Array.from({ length: BATCH }, (_, i) => ({ Id: String(i), MessageBody: `${BODY}${i}` })) });
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'AmazonSQS.SendMessageBatch',
    authorization: 'AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
  };
  const share = (i) => Math.floor(C / nodes.length) + (i < C % nodes.length ? 1 : 0);
  const opts = (n, i, duration) => ({ url: `${n.url}/`, connections: share(i), duration, method: 'POST', body, headers });
  await Promise.all(nodes.map((n, i) => autocannon(opts(n, i, 1))));
  const rs = await Promise.all(nodes.map((n, i) => autocannon(opts(n, i, SECONDS))));
  const bad = rs.reduce((a, r) => a + r.non2xx + r.errors, 0);
  if (bad > 0) throw new Error(`lean sends: ${bad} non-2xx answers or errors`);
  // Each answer is a whole batch: every entry stored, or the call fails.
  const count = rs.reduce((a, r) => a + r.requests.total, 0) * BATCH;
  const seconds = Math.max(...rs.map((r) => r.duration));
  return { count, seconds, rate: count / seconds };
}

/**
 * Warm invokes of `noop`, C connections split over the nodes (one autocannon each, at once), after a 1 s warm-up;
 * counts the invokes a node sent on to another (`x-selfless-forwarded-to`).
 */
async function invokes(nodes) {
  let forwarded = 0;
  const onResponse = (_status, _body, _ctx, headers) => {
    if (Object.keys(headers).some((h) => h.toLowerCase() === 'x-selfless-forwarded-to')) forwarded++;
  };
  const share = (i) => Math.floor(C / nodes.length) + (i < C % nodes.length ? 1 : 0);
  const opts = (n, i, duration) => ({
    url: `${n.url}/2015-03-31/functions/noop/invocations`, connections: share(i), duration,
    requests: [{ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, onResponse }],
  });
  await Promise.all(nodes.map((n, i) => autocannon(opts(n, i, 1))));
  forwarded = 0;
  const rs = await Promise.all(nodes.map((n, i) => autocannon(opts(n, i, SECONDS))));
  const bad = rs.reduce((a, r) => a + r.non2xx + r.errors, 0);
  if (bad > 0) throw new Error(`invokes: ${bad} non-2xx answers or errors`);
  const count = rs.reduce((a, r) => a + r.requests.total, 0);
  const seconds = Math.max(...rs.map((r) => r.duration));
  return { count, seconds, rate: count / seconds, p99: Math.max(...rs.map((r) => r.latency.p99)), forwarded };
}

async function benchSelfless(base) {
  const schema = `bench_fleet_${tag}`;
  await sql(base, `CREATE SCHEMA ${schema}`);
  const storeUrl = inSchema(base, schema);
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-fleet-'));
  const nodes = [];
  try {
    nodes.push(await startNode(0, storeUrl, dir)); // first alone: it writes the master key the others read
    await waitAlive(nodes[0].url, 1);
    const lambda = new LambdaClient({ endpoint: nodes[0].url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'noop', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: noopZip(dir) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'noop' });
    lambda.destroy();
    console.log('Selfless, one node ...');
    const one = await benchThrough(nodes, 'one-node', storeUrl);
    nodes.push(...(await Promise.all([1, 2].map((i) => startNode(i, storeUrl, dir)))));
    await waitAlive(nodes[0].url, 3);
    console.log('Selfless, three nodes ...');
    const three = await benchThrough(nodes, 'three-nodes', storeUrl);
    return { one, three };
  } finally {
    await Promise.all(nodes.map((n) => stopChild(n.child)));
    rmSync(dir, { recursive: true, force: true });
    await sql(base, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const tStart = performance.now();
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  if (!existsSync(join(root, 'dist'))) throw new Error('run `npm run build` first');
  const pgInfo = await postgresUrl();
  if (pgInfo.error) {
    console.log(`fleet benchmark skipped: no PostgreSQL at ${new URL(pgInfo.url).host} (${pgInfo.error}); set SELFLESS_BENCH_POSTGRES_URL to one`);
    return;
  }
  const boss = await ensurePgBoss();
  const horizonAtStart = await horizon(pgInfo.url);
  if (heldBack(horizonAtStart)) console.log(`WARNING: PostgreSQL's xmin horizon is held back (${JSON.stringify(horizonAtStart)}): receives will slow as dead index entries pile up`);
  console.log(`fleet benchmark: ${SECONDS} s per phase, c=${C}, ${cpus().length} CPUs, Node ${process.version}, PostgreSQL ${pgInfo.version}, pg-boss ${boss.version}`);
  const { one, three } = await benchSelfless(pgInfo.url);
  console.log(`pg-boss (its receive on a backlog of ${one.receive.backlog} jobs, as Selfless's through one node) ...`);
  const pb = await benchPgBoss(boss.PgBoss, pgInfo.url, one.receive.backlog);

  const machine = { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)), postgresHorizonAtStart: horizonAtStart };
  const rows = [
    ['send', `fleet: SendMessageBatch on PostgreSQL (batches of ${BATCH}, c=${C}) vs pg-boss insert of ${BATCH}`, 'messages/s', pb.send],
    ['sendLean', `fleet: SendMessageBatch on PostgreSQL from a lean HTTP client (batches of ${BATCH}, c=${C}) vs pg-boss insert of ${BATCH}`, 'messages/s', pb.send],
    ['receive', `fleet: ReceiveMessage ${BATCH} + DeleteMessageBatch on PostgreSQL (c=${C}) vs pg-boss fetch ${BATCH} + complete`, 'messages/s', pb.receive],
    ['invoke', `fleet: warm invoke of a no-op on PostgreSQL (c=${C})`, 'req/s', undefined],
  ];
  const figures = {};
  for (const [k, name, unit, peer] of rows) {
    figures[name] = {
      unit,
      oneNode: one[k].rate,
      threeNodes: three[k].rate,
      ratioThreeToOne: three[k].rate / one[k].rate,
      ...(peer ? { pgBoss: peer.rate, ratioToPgBoss: one[k].rate / peer.rate, ratioThreeNodesToPgBoss: three[k].rate / peer.rate } : {}),
      machine,
      detail: { oneNode: one[k], threeNodes: three[k], ...(peer ? { pgBoss: peer } : {}) },
    };
  }
  const date = new Date().toISOString();
  mergeResults(figures, { fleetDate: date });

  const fmt = (x) => (x === undefined ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(9);
  const ratio = (x) => (x === undefined ? '' : `${x.toFixed(2)}x`).padStart(9);
  console.log(`\nFleet on PostgreSQL ${pgInfo.version}, ${date}, ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, ${SECONDS} s per phase, c=${C}`);
  console.log(`pg-boss ${boss.version} (default options) in this process; Selfless nodes on 127.0.0.2-4, clients round-robin. Ratios: 3 nodes / 1 node, Selfless / pg-boss.\n`);
  console.log(`${'figure'.padEnd(22)} ${'1 node'.padStart(9)} ${'3 nodes'.padStart(9)} ${'3/1'.padStart(9)} ${'pg-boss'.padStart(9)} ${'1n/boss'.padStart(9)} ${'3n/boss'.padStart(9)}`);
  for (const [k, name] of rows) {
    const f = figures[name];
    console.log(`${`${k} (${f.unit})`.padEnd(22)} ${fmt(f.oneNode)} ${fmt(f.threeNodes)} ${ratio(f.ratioThreeToOne)} ${fmt(f.pgBoss)} ${ratio(f.ratioToPgBoss)} ${ratio(f.ratioThreeNodesToPgBoss)}`);
  }
  console.log('\nCPU µs per message / invoke (nodes, their environments, postgres backends serving them + its background processes, this script) and busy cores of the machine:');
  const cpuLine = (label, r) => {
    const c = r.cpuMicrosPer;
    console.log(`  ${label.padEnd(20)} ${['nodes', 'environments', 'postgres', 'client'].filter((g) => g in c).map((g) => `${g} ${c[g]}`).join(', ')}; busy cores ${c.machineBusyCores}`);
  };
  for (const k of ['send', 'sendLean', 'receive', 'invoke']) {
    cpuLine(`${k}, 1 node`, one[k]);
    cpuLine(`${k}, 3 nodes`, three[k]);
    if (k === 'send' || k === 'receive') cpuLine(`${k}, pg-boss`, pb[k]);
  }
  console.log(`\nreceive backlog / duplicates: 1 node ${one.receive.backlog} / ${one.receive.duplicates}, 3 nodes ${three.receive.backlog} / ${three.receive.duplicates}, pg-boss ${pb.receive.backlog} / ${pb.receive.duplicates}`);
  console.log(`PostgreSQL during the receive, 1 node: ${describeWatch(one.receive.postgres)}`);
  console.log(`PostgreSQL during the receive, 3 nodes: ${describeWatch(three.receive.postgres)}`);
  console.log(`invoke p99 / sent on to another node: 1 node ${one.invoke.p99} ms / ${one.invoke.forwarded}, 3 nodes ${three.invoke.p99} ms / ${three.invoke.forwarded}`);
  let anyErrors = false;
  for (const [label, e] of [['1 node', one.errors], ['3 nodes', three.errors], ['pg-boss', pb.errors]]) {
    for (const [msg, n] of Object.entries(e)) {
      anyErrors = true;
      console.log(`ERROR ${label}: ${msg} x${n}`);
    }
  }
  if (!anyErrors) console.log('no errors');
  if (heldBack(horizonAtStart)) console.log(`WARNING: PostgreSQL's xmin horizon was held back at the start (${JSON.stringify(horizonAtStart)}): receive figures are not Selfless's`);
  console.log(`load average (1, 5, 15 min) at start ${loadAtStart.join(' ')}, at end ${machine.loadAverageAtEnd.join(' ')} on ${cpus().length} CPUs`);
  console.log(`\nwritten to bench/results/latest.json (total ${((performance.now() - tStart) / 1000).toFixed(0)} s)`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
