#!/usr/bin/env node
// Warm invoke of one no-op Node.js handler (`exports.handler = async () => ({ ok: true })`) through Selfless and
// through peers that run Lambda handlers locally, each beside a bare Node.js HTTP server measured in the same run,
// all driven by autocannon with POST `{}` at c=1 and c=16:
// - Selfless's Invoke API (POST /2015-03-31/functions/noop/invocations), nodejs20.x;
// - Selfless with the same handler behind AWS's own runtime interface client (aws-lambda-ric@3) as the
//   bootstrap of a provided.al2023 function: the Runtime API driven by Lambda's own native client;
// - serverless-offline 13 (serverless 3), through its Lambda invoke endpoint (--lambdaPort, same path);
// - lambda-local 2 in watch mode (`-W PORT`, an HTTP server that runs the handler per request).
// Then memory, on a fresh Selfless server: its own RSS with 0 environments, the process tree of one idle warm
// environment, and the server's RSS with 100 idle environments (started by 100 concurrent invocations of a
// handler that waits 1 s). RSS sums count shared pages once per process; PSS (proportional) is given beside.
// Usage: npm run build && node bench/peers-invoke.mjs [--duration N]   (N seconds per measurement, default 5)
// Installs bench/peers (serverless, serverless-offline, lambda-local) and the ric test fixture on first run.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { warmUp } from './lib/warm-up.mjs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { adopt, freePort, mergeResults, processTree, run, sleep, startChild, stopChild } from './lib/processes.mjs';
import { startBare } from './lib/baselines.mjs';
import { ensurePeers, startServerlessOffline } from './lib/serverless-offline.mjs';
const root = fileURLToPath(new URL('..', import.meta.url));
const peersDir = join(root, 'bench/peers');
const durationArg = process.argv.indexOf('--duration');
const DURATION = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 5;
if (!(DURATION > 0 && DURATION <= 60)) throw new Error('--duration must be between 0 and 60');
const IDLE_ENVIRONMENTS = 100;
const NOOP = 'exports.handler = async () => ({ ok: true });\n';
const WAIT_1S = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return { ok: true }; };\n';
const RIC_NATIVE_CLIENT = 'node_modules/aws-lambda-ric/dist/rapid-client.node';
const ROLE = 'arn:aws:iam::000000000000:role/bench';

const tmpDirs = [];
process.on('exit', () => tmpDirs.forEach((d) => { try { rmSync(d, { recursive: true, force: true }); } catch {} }));
const loadAverage = () => loadavg().map((x) => +x.toFixed(2));





// ---------------------------------------------------------------------------------------------
// Setup: the peers (npm, into bench/peers) and the ric fixture (npm with a native build, into test/fixtures).

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

async function ensureRicFixture() {
  const helper = join(root, 'dist/test/helpers/fixture-install.js');
  if (!existsSync(helper)) throw new Error('dist/test/helpers/fixture-install.js is missing: run `npm run build` first');
  const fixture = join(root, 'test/fixtures/functions/ric');
  if (!existsSync(join(fixture, RIC_NATIVE_CLIENT)) && !['autoconf', 'automake', 'libtool', 'cmake'].every(onPath)) {
    console.log('the ric fixture needs autoconf, automake, libtool and cmake for its native client: installing them with apt-get');
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', 'autoconf', 'automake', 'libtool', 'cmake'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const { ensureFixtureInstalled } = await import(pathToFileURL(helper).href);
  const install = await ensureFixtureInstalled('ric', { requiredFiles: [RIC_NATIVE_CLIENT], prune: ['node_modules/aws-lambda-ric/deps'] });
  if (install.installed) console.log(`installed the ric fixture (native build included) in ${(install.ms / 1000).toFixed(1)} s`);
  return install.dir;
}

// ---------------------------------------------------------------------------------------------
// Load and memory measurement.

async function load(url, connections) {
  const opts = { url, connections, duration: DURATION, pipelining: 1, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
  const warmUpRates = await warmUp(opts);
  const r = await autocannon(opts);
  const out = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, warmUpRates };
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) Object.assign(out, { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, valid: false });
  return out;
}

/** One request, to check that the target really runs the handler before it is measured. */
async function check(name, url) {
  const res = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('ok')) throw new Error(`${name}: HTTP ${res.status} ${text.slice(0, 500)}`);
}

/** VmRSS and (from smaps_rollup) Pss of one process, in KiB; null if it is gone. */
function procMemory(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    let pss = null;
    try {
      pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {}
    return { rss, pss };
  } catch {
    return null;
  }
}

function treeMemory(pid) {
  const pids = processTree(pid);
  let rss = 0;
  let pss = 0;
  const comms = [];
  for (const p of pids) {
    const m = procMemory(p);
    if (!m) continue;
    rss += m.rss;
    pss += m.pss ?? 0;
    try { comms.push(readFileSync(`/proc/${p}/comm`, 'utf8').trim()); } catch {}
  }
  return { pids: pids.length, processes: comms, rssKiB: rss, pssKiB: pss };
}

const mib = (kib) => +(kib / 1024).toFixed(1);

async function environmentsOf(url, name) {
  const res = await fetch(`${url}/_selfless/functions/${name}/environments`);
  if (!res.ok) throw new Error(`environments of ${name}: HTTP ${res.status}`);
  return (await res.json()).Environments;
}

// ---------------------------------------------------------------------------------------------

function lambdaClient(endpoint) {
  return new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 });
}

async function startSelfless(dataDir) {
  const server = await startChild(process.execPath, [join(root, 'bin/selfless.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], /serving on (http:\/\/\S+)/);
  return { ...server, url: server.match, lambda: lambdaClient(server.match) };
}

async function createFunction(lambda, params) {
  await lambda.send(new CreateFunctionCommand({ Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', ...params }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: params.FunctionName });
}

async function zipOf(dir) {
  const { zipDirectory } = await import(pathToFileURL(join(root, 'dist/src/code/zip-dir.js')).href);
  return zipDirectory(dir);
}

async function main() {
  const tStart = performance.now();
  const loadAtStart = loadAverage();
  const date = new Date().toISOString();
  const versions = await ensurePeers(['serverless', 'serverless-offline', 'lambda-local']);
  const ricFixture = await ensureRicFixture();
  console.log(`peers benchmark: ${DURATION} s per measurement, ${cpus().length} CPUs, Node ${process.version}, load average at start ${loadAtStart.join(' ')}`);

  const work = mkdtempSync(join(tmpdir(), 'selfless-peers-'));
  tmpDirs.push(work);
  mkdirSync(join(work, 'noop'));
  writeFileSync(join(work, 'noop', 'index.js'), NOOP);
  mkdirSync(join(work, 'wait'));
  writeFileSync(join(work, 'wait', 'index.js'), WAIT_1S);
  // The ric fixture with the no-op handler in place of its echo handler.
  cpSync(ricFixture, join(work, 'ric'), { recursive: true, dereference: true });
  rmSync(join(work, 'ric', 'app.mjs'), { force: true });
  writeFileSync(join(work, 'ric', 'noop.js'), NOOP);

  // --- targets -------------------------------------------------------------------------------
  const bare = await startBare();
  const bareUrl = bare.url;

  const selfless = await startSelfless(join(work, 'data'));
  await createFunction(selfless.lambda, { FunctionName: 'noop', Code: { ZipFile: await zipOf(join(work, 'noop')) } });
  await createFunction(selfless.lambda, { FunctionName: 'noop-ric', Runtime: 'provided.al2023', Handler: 'noop.handler', Timeout: 30, Code: { ZipFile: await zipOf(join(work, 'ric')) } });
  for (const name of ['noop', 'noop-ric']) {
    const warm = await Promise.all(Array.from({ length: 16 }, () => selfless.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }))));
    const bad = warm.find((r) => r.FunctionError);
    if (bad) throw new Error(`${name}: ${bad.FunctionError} ${Buffer.from(bad.Payload ?? []).toString()}`);
  }

  // serverless-offline: a one-function service in a temporary folder that finds the plugin through a symlink.
  const sls = await startServerlessOffline({ dir: join(work, 'sls'), handlerSource: NOOP });
  const slsUrl = `${sls.lambdaUrl}/2015-03-31/functions/peers-dev-fn/invocations`;
  const llPort = await freePort();
  const quietEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'b', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

  // lambda-local in watch mode; it prints nothing at verbosity 0, so readiness is polled.
  const ll = spawn(process.execPath, [join(peersDir, 'node_modules/lambda-local/build/cli.js'), '-l', join(work, 'noop', 'index.js'), '-h', 'handler', '-W', String(llPort), '-v', '0', '-t', '30'],
    { cwd: work, env: quietEnv, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  adopt(ll);
  const llUrl = `http://127.0.0.1:${llPort}/`;

  const targets = [
    { key: 'selfless', label: 'Selfless Invoke API (nodejs20.x)', url: `${selfless.url}/2015-03-31/functions/noop/invocations` },
    { key: 'selflessRic', label: 'Selfless, aws-lambda-ric (provided.al2023)', url: `${selfless.url}/2015-03-31/functions/noop-ric/invocations` },
    { key: 'serverlessOffline', label: `serverless-offline ${versions['serverless-offline']} (--lambdaPort)`, url: slsUrl },
    { key: 'lambdaLocal', label: `lambda-local ${versions['lambda-local']} (-W)`, url: llUrl },
  ];
  const skipped = {};
  for (const t of targets) {
    let lastErr;
    for (let i = 0; i < 50; i++) {
      try {
        await check(t.label, t.url);
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        await sleep(200);
      }
    }
    if (lastErr) {
      console.error(`skipping ${t.label}: ${lastErr.message}`);
      skipped[t.key] = lastErr.message;
    }
  }
  const live = targets.filter((t) => !skipped[t.key]);

  // --- throughput ------------------------------------------------------------------------------
  const figures = {};
  for (const c of [1, 16]) {
    // The bare server is measured before and after the peers: the mean is the baseline, both runs are kept.
    const before = await load(bareUrl, c);
    const measured = {};
    for (const t of live) {
      measured[t.key] = await load(t.url, c);
      console.log(`  c=${c} ${t.label}: ${measured[t.key].rps.toFixed(0)} req/s`);
    }
    const after = await load(bareUrl, c);
    const bareRps = (before.rps + after.rps) / 2;
    const sl = measured.serverlessOffline?.rps;
    const fig = { bareHttp: { rps: bareRps, p50: before.p50, p99: Math.max(before.p99, after.p99), runs: [before, after] } };
    for (const t of live) {
      const m = measured[t.key];
      fig[t.key] = { ...m, ratioToBare: m.rps / bareRps, ...(sl ? { ratioToServerlessOffline: m.rps / sl } : {}) };
    }
    if (sl && measured.selfless) fig.selflessOverServerlessOffline = measured.selfless.rps / sl;
    if (sl && measured.selflessRic) fig.selflessRicOverServerlessOffline = measured.selflessRic.rps / sl;
    if (Object.keys(skipped).length > 0) fig.skipped = skipped;
    figures[`peers: warm invoke c=${c}`] = fig;
  }
  figures['peers: versions'] = versions;

  // The same warm environments, idle, after the load: one environment's tree per runtime path.
  await sleep(1000);
  const idleTree = async (name) => {
    const envs = await environmentsOf(selfless.url, name);
    const trees = envs.map((e) => ({ state: e.State, ...treeMemory(e.Pid) }));
    const rss = trees.map((t) => t.rssKiB).sort((a, b) => a - b);
    const pss = trees.map((t) => t.pssKiB).sort((a, b) => a - b);
    return { environments: envs.length, states: [...new Set(envs.map((e) => e.State))], medianRssMiB: mib(rss[Math.floor(rss.length / 2)] ?? 0), medianPssMiB: mib(pss[Math.floor(pss.length / 2)] ?? 0), processes: trees[0]?.processes };
  };
  const afterLoadNoop = await idleTree('noop');
  const afterLoadRic = await idleTree('noop-ric');

  selfless.lambda.destroy();
  await Promise.all([stopChild(sls), stopChild(ll), stopChild(bare), stopChild(selfless)]);

  // --- memory, on a fresh server ---------------------------------------------------------------
  const mem = await startSelfless(join(work, 'data-memory'));
  const serverPid = mem.child.pid;
  await sleep(1500);
  const server0 = procMemory(serverPid);
  const serverTree0 = treeMemory(serverPid);

  await createFunction(mem.lambda, { FunctionName: 'noop', Code: { ZipFile: await zipOf(join(work, 'noop')) } });
  const first = await mem.lambda.send(new InvokeCommand({ FunctionName: 'noop' }));
  if (first.FunctionError) throw new Error(`noop: ${first.FunctionError}`);
  await sleep(1000);
  const [oneEnv] = await environmentsOf(mem.url, 'noop');
  const oneTree = treeMemory(oneEnv.Pid);

  await createFunction(mem.lambda, { FunctionName: 'wait', Timeout: 30, Code: { ZipFile: await zipOf(join(work, 'wait')) } });
  // 100 concurrent invocations; the cold starts of 100 sandboxes take seconds here, so the first environments
  // may be free again (and reused) before the last invocations arrive: further rounds of 100 (at most 3 in all)
  // then find the idle ones busy and start the missing environments.
  const tFan = performance.now();
  const statuses = [];
  let rounds = 0;
  while (rounds < 3 && (rounds === 0 || (await environmentsOf(mem.url, 'wait')).length < IDLE_ENVIRONMENTS)) {
    rounds += 1;
    statuses.push(...await Promise.all(Array.from({ length: IDLE_ENVIRONMENTS }, async () => {
      try {
        const res = await fetch(`${mem.url}/2015-03-31/functions/wait/invocations`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        return res.headers.get('x-amz-function-error') ? `${res.status} ${res.headers.get('x-amz-function-error')}` : String(res.status);
      } catch (err) {
        return err.name;
      }
    })));
  }
  const fanMs = performance.now() - tFan;
  const statusCounts = statuses.reduce((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
  await sleep(2000);
  const waitEnvs = await environmentsOf(mem.url, 'wait');
  const waitTrees = waitEnvs.map((e) => treeMemory(e.Pid));
  const server100 = procMemory(serverPid);
  const serverTree100 = treeMemory(serverPid);
  mem.lambda.destroy();
  await stopChild(mem);

  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  figures['memory: idle warm environment (noop, nodejs20.x)'] = {
    rssMiB: mib(oneTree.rssKiB),
    pssMiB: mib(oneTree.pssKiB),
    processes: oneTree.processes,
    state: oneEnv.State,
    afterLoad: { nodejs20: afterLoadNoop, ric: afterLoadRic },
  };
  figures['memory: server'] = {
    ownRssMiB0Environments: mib(server0.rss),
    ownPssMiB0Environments: mib(server0.pss ?? 0),
    ownRssMiB100Environments: mib(server100.rss),
    ownPssMiB100Environments: mib(server100.pss ?? 0),
    // The noop environment measured above is live too: 1 + the wait environments since the 0 figure.
    perEnvironmentServerRssKiB: +((server100.rss - server0.rss) / (waitEnvs.length + 1)).toFixed(0),
    treeWith0Environments: { processes: serverTree0.pids, rssMiB: mib(serverTree0.rssKiB), pssMiB: mib(serverTree0.pssKiB) },
    treeWith100Environments: { processes: serverTree100.pids, rssMiB: mib(serverTree100.rssKiB), pssMiB: mib(serverTree100.pssKiB) },
    environments: waitEnvs.length,
    environmentStates: waitEnvs.reduce((acc, e) => ({ ...acc, [e.State]: (acc[e.State] ?? 0) + 1 }), {}),
    environmentsRssMiB: mib(sum(waitTrees, (t) => t.rssKiB)),
    environmentsPssMiB: mib(sum(waitTrees, (t) => t.pssKiB)),
    invocationStatuses: statusCounts,
    invocationRounds: rounds,
    fanOutMs: Math.round(fanMs),
  };

  // --- results ---------------------------------------------------------------------------------
  const loadAtEnd = loadAverage();
  mergeResults(figures, { peersDate: date, peersLoadAverage: { start: loadAtStart, end: loadAtEnd, durationSeconds: DURATION } });

  const pad = (s, n) => String(s).padStart(n);
  console.log(`\nWarm invoke of a no-op Node.js handler, ${date}, ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, ${DURATION} s each, POST {}`);
  console.log(`${'target'.padEnd(46)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('x bare', 8)}${pad('x sls-off', 10)}`);
  for (const c of [1, 16]) {
    const f = figures[`peers: warm invoke c=${c}`];
    console.log(`c=${c}`);
    const row = (label, m) => console.log(`  ${label.padEnd(44)}${pad(m.rps.toFixed(0), 8)}${pad(m.p50, 8)}${pad(m.p99, 8)}${pad(m.ratioToBare ? m.ratioToBare.toFixed(2) : '1.00', 8)}${pad(m.ratioToServerlessOffline ? m.ratioToServerlessOffline.toFixed(2) : '-', 10)}${m.valid === false ? `  (non-2xx ${m.non2xx}, errors ${m.errors})` : ''}`);
    row('bare node:http (mean of before/after)', f.bareHttp);
    for (const t of live) row(t.label, f[t.key]);
  }
  for (const [k, v] of Object.entries(skipped)) console.log(`skipped ${k}: ${v.split('\n')[0]}`);
  const e = figures['memory: idle warm environment (noop, nodejs20.x)'];
  const s = figures['memory: server'];
  console.log(`\nMemory (MiB; RSS sums count shared pages in every process, PSS shares them out)`);
  console.log(`  one idle warm environment (noop): RSS ${e.rssMiB}, PSS ${e.pssMiB}, processes ${e.processes.join(', ')}`);
  console.log(`  after the load: nodejs20.x median RSS ${afterLoadNoop.medianRssMiB} of ${afterLoadNoop.environments}; ric median RSS ${afterLoadRic.medianRssMiB} of ${afterLoadRic.environments}`);
  console.log(`  server's own RSS: ${s.ownRssMiB0Environments} with 0 environments, ${s.ownRssMiB100Environments} with ${s.environments} idle (${s.perEnvironmentServerRssKiB} KiB per environment)`);
  console.log(`  ${s.environments} idle environments: RSS ${s.environmentsRssMiB}, PSS ${s.environmentsPssMiB}; states ${JSON.stringify(s.environmentStates)}; invocations ${JSON.stringify(s.invocationStatuses)} in ${s.invocationRounds} round(s) of ${IDLE_ENVIRONMENTS}, ${s.fanOutMs} ms`);
  console.log(`  server tree: ${s.treeWith0Environments.rssMiB} RSS / ${s.treeWith0Environments.pssMiB} PSS (${s.treeWith0Environments.processes} processes) -> ${s.treeWith100Environments.rssMiB} / ${s.treeWith100Environments.pssMiB} (${s.treeWith100Environments.processes})`);
  console.log(`\nload average: start ${loadAtStart.join(' ')}, end ${loadAtEnd.join(' ')}`);
  console.log(`written to bench/results/latest.json (total ${((performance.now() - tStart) / 1000).toFixed(0)} s)`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
