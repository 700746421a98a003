#!/usr/bin/env node
// HTTP API throughput and latency (p50/p99) at c=1 and c=16 for one handler
// (`async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })`),
// all measured in the same run with GET /items:
// - a bare node:http server returning the same body (the machine's limit for one HTTP exchange);
// - Selfless: an HTTP API (quick create, payload 2.0, $default stage), a function URL and the Invoke API
//   (POST) on the same function: what the front doors cost over a plain invoke;
// - serverless-offline 13 (serverless 3) serving the same handler through an `httpApi` event, in its default
//   mode (worker threads) and with --useInProcess.
// Ratios: to the bare server (the mean of a run before and one after the others) and to serverless-offline
// (default mode) at the same concurrency.
// With --profile, the HTTP API is run again at c=1 and c=16 against a server of its own under V8's CPU profiler,
// and the profile's summary (time by kind and by function) is printed and kept beside the figures.
// Usage: npm run build && node bench/http-api.mjs [--duration 5] [--profile]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
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
const BODY = '{"ok":true}';
const HANDLER = `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(BODY)} });\n`;
const loadAverage = () => loadavg().map((x) => +x.toFixed(2));

/**
 * autocannon with keep-alive, after a 1 s warm-up; with the CPU time per request of the target's whole
 * process tree (server and environments, worker threads included), which a loaded machine inflates less
 * than it cuts throughput.
 */
async function load({ url, method = 'GET', pid }, connections) {
  const opts = { url, method, connections, duration: DURATION, pipelining: 1, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) };
  await autocannon({ ...opts, duration: 1 }); // warm-up: environments started, caches filled
  const pids = processTree(pid);
  const before = cpuMicros(pids);
  const r = await autocannon(opts);
  const cpu = cpuMicros(pids) - before;
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, cpuMicrosPerRequest: Math.round(cpu / r.requests.total) };
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

/** Rounds of `n` concurrent requests, so that the target runs `n` handlers at once before it is measured. */
async function prewarm(t, n, ready = async () => true) {
  for (let round = 0; round < 10; round++) {
    await Promise.all(Array.from({ length: n }, () => check(t.label, t)));
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
    await autocannon({ url: httpApi.url, connections: c, duration: 1 }); // warm-up
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
  const figures = {};
  for (const c of [1, 16]) {
    // The bare server is measured first and last: the mean is the baseline (the load of a shared machine drifts).
    const measured = {};
    for (const [key, t] of Object.entries(targets)) {
      measured[key] = await load(t, c);
      console.log(`  c=${c} ${t.label}: ${measured[key].rps} req/s`);
    }
    const bareAfter = await load(targets.bare, c);
    measured.bare = { ...measured.bare, rps: Math.round((measured.bare.rps + bareAfter.rps) / 2), p99: Math.max(measured.bare.p99, bareAfter.p99), runs: [measured.bare.rps, bareAfter.rps] };
    for (const [key, m] of Object.entries(measured)) {
      if (key === 'bare') continue;
      m.ratioToBare = +(m.rps / measured.bare.rps).toFixed(2);
      if (key !== 'serverlessOffline') m.ratioToServerlessOffline = +(m.rps / measured.serverlessOffline.rps).toFixed(2);
    }
    figures[`http front door c=${c}`] = measured;
  }
  const loadAtEnd = loadAverage();
  figures['http front door: versions'] = versions;
  mergeResults(figures, { httpApiLoadAverage: { start: loadAtStart, end: loadAtEnd, durationSeconds: DURATION } });

  const pad = (s, n) => String(s).padStart(n);
  console.log(`\nGET /items, ${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, ${DURATION} s each`);
  console.log(`${'target'.padEnd(52)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('x bare', 8)}${pad('x sls-off', 10)}${pad('CPU µs/req', 12)}`);
  for (const c of [1, 16]) {
    console.log(`c=${c}`);
    for (const [key, t] of Object.entries(targets)) {
      const m = figures[`http front door c=${c}`][key];
      console.log(`  ${t.label.padEnd(50)}${pad(m.rps, 8)}${pad(m.p50, 8)}${pad(m.p99, 8)}${pad(m.ratioToBare ?? '1', 8)}${pad(m.ratioToServerlessOffline ?? (key === 'serverlessOffline' ? '1' : '-'), 10)}${pad(m.cpuMicrosPerRequest, 12)}`);
    }
  }
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
