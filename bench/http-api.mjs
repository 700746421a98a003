#!/usr/bin/env node
// HTTP API throughput and latency (p50/p99) at c=1 and c=16 for one handler
// (`async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })`),
// all measured in the same run with GET /items:
// - a bare node:http server returning the same body (the machine's limit for one HTTP exchange);
// - Selfless: an HTTP API (quick create, payload 2.0, $default stage), a function URL and the Invoke API
//   (POST) on the same function: what the front doors cost over a plain invoke;
// - serverless-offline 13 (serverless 3) serving the same handler through an `httpApi` event, in its default
//   mode (worker threads) and with --useInProcess.
// Then latency at c=1 with the targets interleaved request by request, which a drifting load cannot favour.
// Each throughput figure is the mean of two passes over the targets, in opposite orders, of half the duration each.
// Ratios: to the bare server and to serverless-offline (default mode) at the same concurrency.
// With --profile, the HTTP API is run again at c=1 and c=16 against a server of its own under V8's CPU profiler,
// and the profile's summary (time by kind and by function) is printed and kept beside the figures.
// Usage: npm run build && node bench/http-api.mjs [--duration 5] [--profile]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { warmUp } from './lib/warm-up.mjs';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startBare } from './lib/baselines.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';
import { cpuMicros, mergeResults, processTree, sleep, startSelfless, stopChild } from './lib/processes.mjs';
import { ensurePeers, startServerlessOffline } from './lib/serverless-offline.mjs';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const durationArg = process.argv.indexOf('--duration');
const DURATION = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 5;
if (!(DURATION > 0 && DURATION <= 60)) throw new Error('--duration must be between 0 and 60');
const PROFILE = process.argv.includes('--profile');
/** Load on each target before the figures, to let its code be optimised. */
const WARMUP_SECONDS = 5;
const BODY = '{"ok":true}';
const HANDLER = `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(BODY)} });\n`;
const loadAverage = () => loadavg().map((x) => +x.toFixed(2));

/**
 * autocannon with keep-alive, once the target is warm (bench/lib/warm-up.mjs: its first measure at a
 * concurrency waits until each connection has made thousands of requests, for environments' JIT as much as
 * the server's); with the CPU time per request of the target's whole process tree (server and environments,
 * worker threads included), which a loaded machine inflates less than it cuts throughput.
 */
async function load({ url, method = 'GET', pid }, connections, duration = DURATION) {
  const opts = { url, method, connections, duration, pipelining: 1, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) };
  await warmUp(opts);
  const pids = processTree(pid);
  const before = cpuMicros(pids);
  const r = await autocannon(opts);
  const cpu = cpuMicros(pids) - before;
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, cpuMicrosPerRequest: Math.round(cpu / r.requests.total) };
}

/**
 * Latency at c=1 with the targets interleaved: one request to each in turn, `rounds` times, on one keep-alive
 * connection each, so that a drifting load weighs on every target alike. Percentiles in ms.
 */
async function interleaved(targets, rounds) {
  const agents = Object.fromEntries(Object.keys(targets).map((k) => [k, new HttpAgent({ keepAlive: true, maxSockets: 1 })]));
  const once = (key) => new Promise((resolve, reject) => {
    const { url, method = 'GET' } = targets[key];
    const t0 = process.hrtime.bigint();
    const req = httpRequest(url, { agent: agents[key], method }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
  const times = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  const keys = Object.keys(targets);
  let seed = 1;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let i = 0; i < rounds + 20; i++) {
    // A new order each round (a fixed pseudo-random sequence): on this VM the first request to reach a server
    // after the slower targets have left it idle for a few milliseconds pays ~0.6 ms of wake-up, which a fixed
    // order (or a rotation, which keeps each target's predecessor) would charge to one target alone.
    const order = [...keys];
    for (let j = order.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      [order[j], order[k]] = [order[k], order[j]];
    }
    for (const key of order) {
      const ms = await once(key);
      if (i >= 20) times[key].push(ms); // the first 20 rounds warm up
    }
  }
  Object.values(agents).forEach((a) => a.destroy());
  const at = (xs, q) => +xs[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(2);
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => {
    xs.sort((a, b) => a - b);
    return [k, { p50: at(xs, 0.5), p90: at(xs, 0.9), p99: at(xs, 0.99) }];
  }));
}

/** One request that must return the handler's body, retried while the target comes up. */
async function check(name, { url, method = 'GET' }) {
  let last;
  for (let i = 0; i < 50; i++) {
    try {
      const res = await fetch(url, { method, ...(method === 'POST' ? { body: '{}' } : {}), signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.status === 200 && text.includes('ok')) return;
      last = new Error(`${name}: HTTP ${res.status} ${text.slice(0, 300)}`);
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw last;
}

/**
 * Load at concurrency `n` until `ready` (at most 10 rounds of 2 s), so that the target runs `n` handlers at
 * once before it is measured: a short handler lets a few concurrent requests share one environment.
 */
async function prewarm(t, n, ready = async () => true) {
  const { url, method = 'GET' } = t;
  for (let round = 0; round < 10; round++) {
    await autocannon({ url, method, connections: n, duration: 2, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
    if (await ready()) return;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-http-api-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'fn'));
writeFileSync(join(dir, 'fn', 'index.js'), HANDLER);
spawnSync('zip', ['-q', '-j', join(dir, 'fn.zip'), join(dir, 'fn', 'index.js')]);


/** The function, its URL and an HTTP API (quick create) on a Selfless server; resolves with their addresses. */
async function setUpSelfless(server) {
  const client = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const lambda = new LambdaClient(client);
  const apigw = new ApiGatewayV2Client(client);
  try {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'web', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: readFileSync(join(dir, 'fn.zip')) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:000000000000:function:web' }));
    // Path-based addresses: the load generator connects to 127.0.0.1 as it does for the bare server.
    const urlId = new URL(FunctionUrl).hostname.split('.')[0];
    return {
      httpApi: { label: 'Selfless HTTP API (payload 2.0)', url: `${server.url}/_aws/execute-api/${ApiId}/items`, pid: server.child.pid },
      functionUrl: { label: 'Selfless function URL', url: `${server.url}/lambda-url/${urlId}/items`, pid: server.child.pid },
      invoke: { label: 'Selfless Invoke API (POST)', url: `${server.url}/2015-03-31/functions/web/invocations`, method: 'POST', pid: server.child.pid },
    };
  } finally {
    lambda.destroy();
    apigw.destroy();
  }
}

/** The server's CPU profile over a run of the HTTP API at concurrency `c`, summarised, on a server of its own. */
async function profileHttpApi(c) {
  const profileDir = join(dir, `profile-${c}`);
  const server = await startSelfless(join(dir, `data-profile-${c}`), [], ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  try {
    const { httpApi, invoke } = await setUpSelfless(server);
    await check(httpApi.label, httpApi);
    await prewarm(invoke, c);
    await autocannon({ url: httpApi.url, connections: c, duration: WARMUP_SECONDS }); // warm-up: its code optimised
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const r = await autocannon({ url: httpApi.url, connections: c, duration: DURATION });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await stopChild(server); // the profile is written as the server exits
    const [file] = readdirSync(profileDir);
    return { rps: Math.round(r.requests.average), ...summariseProfile(join(profileDir, file), { fromUs, toUs }, 16) };
  } finally {
    await stopChild(server);
  }
}

const loadAtStart = loadAverage();
const versions = await ensurePeers();
console.log(`HTTP API benchmark: ${DURATION} s per measurement, ${cpus().length} CPUs, Node ${process.version}, load average at start ${loadAtStart.join(' ')}`);
const bare = await startBare();
const server = await startSelfless(join(dir, 'data'));
const httpApiEvent = ["      - httpApi: '*'"];
const sls = await startServerlessOffline({ dir: join(dir, 'sls'), handlerSource: HANDLER, events: httpApiEvent });
const slsInProcess = await startServerlessOffline({ dir: join(dir, 'sls-in-process'), handlerSource: HANDLER, events: httpApiEvent, inProcess: true });
try {
  const targets = {
    bare: { label: 'bare node:http', url: bare.url, pid: bare.child.pid },
    ...(await setUpSelfless(server)),
    serverlessOffline: { label: `serverless-offline ${versions['serverless-offline']} httpApi`, url: `${sls.httpUrl}/items`, pid: sls.child.pid },
    serverlessOfflineInProcess: { label: `serverless-offline ${versions['serverless-offline']} httpApi --useInProcess`, url: `${slsInProcess.httpUrl}/items`, pid: slsInProcess.child.pid },
  };
  for (const [, t] of Object.entries(targets)) await check(t.label, t);
  // 16 warm environments (and serverless-offline's workers) before any figure: no cold start lands in a measured run.
  const environments = async () => (await (await fetch(`${server.url}/_selfless/functions/web/environments`)).json()).Environments.length;
  await prewarm(targets.invoke, 16, async () => (await environments()) >= 16);
  console.log(`  Selfless: ${await environments()} warm environments`);
  await prewarm(targets.serverlessOffline, 16);
  await prewarm(targets.serverlessOfflineInProcess, 16);
  // Every target's code compiled before any figure: a server's path takes thousands of requests to reach
  // its optimised code (measured: the HTTP API's first 2,000 requests at c=1 cost 2.5 times the CPU of
  // its 8,000th), which the 1 s warm-up of each measurement does not give.
  for (const t of Object.values(targets)) await autocannon({ url: t.url, method: t.method ?? 'GET', connections: 4, duration: WARMUP_SECONDS, ...(t.method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
  const figures = {};
  for (const c of [1, 16]) {
    // Two passes in opposite orders, half the time each, averaged: the load of a shared machine drifts, and
    // no target always runs first or last.
    const keys = Object.keys(targets);
    const passes = {};
    for (const order of [keys, [...keys].reverse()]) {
      for (const key of order) (passes[key] ??= []).push(await load(targets[key], c, DURATION / 2));
    }
    const measured = {};
    for (const key of keys) {
      const [a, b] = passes[key];
      measured[key] = { rps: Math.round((a.rps + b.rps) / 2), p50: (a.p50 + b.p50) / 2, p99: Math.max(a.p99, b.p99), cpuMicrosPerRequest: Math.round((a.cpuMicrosPerRequest + b.cpuMicrosPerRequest) / 2), passes: [a.rps, b.rps] };
      console.log(`  c=${c} ${targets[key].label}: ${measured[key].rps} req/s (passes ${a.rps}, ${b.rps})`);
    }
    for (const [key, m] of Object.entries(measured)) {
      if (key === 'bare') continue;
      m.ratioToBare = +(m.rps / measured.bare.rps).toFixed(2);
      if (key !== 'serverlessOffline') m.ratioToServerlessOffline = +(m.rps / measured.serverlessOffline.rps).toFixed(2);
    }
    figures[`http front door c=${c}`] = measured;
  }
  const latency = await interleaved(targets, 300);
  figures['http front door c=1 interleaved latency'] = latency;
  const loadAtEnd = loadAverage();
  figures['http front door: versions'] = versions;
  mergeResults(figures, { httpApiLoadAverage: { start: loadAtStart, end: loadAtEnd, durationSeconds: DURATION } });

  const pad = (s, n) => String(s).padStart(n);
  console.log(`\nGET /items, ${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, two passes of ${DURATION / 2} s each`);
  console.log(`${'target'.padEnd(52)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('x bare', 8)}${pad('x sls-off', 10)}${pad('CPU µs/req', 12)}`);
  for (const c of [1, 16]) {
    console.log(`c=${c}`);
    for (const [key, t] of Object.entries(targets)) {
      const m = figures[`http front door c=${c}`][key];
      console.log(`  ${t.label.padEnd(50)}${pad(m.rps, 8)}${pad(m.p50, 8)}${pad(m.p99, 8)}${pad(m.ratioToBare ?? '1', 8)}${pad(m.ratioToServerlessOffline ?? (key === 'serverlessOffline' ? '1' : '-'), 10)}${pad(m.cpuMicrosPerRequest, 12)}`);
    }
  }
  console.log(`\nc=1, one request to each target in turn (300 rounds): latency in ms`);
  for (const [key, t] of Object.entries(targets)) console.log(`  ${t.label.padEnd(50)} p50 ${pad(latency[key].p50, 6)}  p90 ${pad(latency[key].p90, 6)}  p99 ${pad(latency[key].p99, 6)}`);
  console.log(`\nload average: start ${loadAtStart.join(' ')}, end ${loadAtEnd.join(' ')}`);
  if (PROFILE) {
    await Promise.all([stopChild(server), stopChild(bare), stopChild(sls), stopChild(slsInProcess)]); // the profiled server runs alone
    for (const c of [1, 16]) {
      const p = await profileHttpApi(c);
      figures[`http front door c=${c}`].httpApi.serverProfile = p;
      console.log(`\nserver profile, HTTP API c=${c} (${p.rps} req/s under the profiler), % of its main thread's time:`);
      console.log('  ' + Object.entries(p.percentByKind).map(([k, v]) => `${k} ${v}`).join(', '));
      for (const [fn, v] of p.topFunctionsPercent) console.log(`  ${String(v).padStart(5)}  ${fn}`);
    }
    mergeResults(figures);
  }
} finally {
  await Promise.all([stopChild(server), stopChild(bare), stopChild(sls), stopChild(slsInProcess)]);
}
process.exit(0);
