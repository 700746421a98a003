#!/usr/bin/env node
// Cold starts and scale-up, each beside spawning a bare `node -e 0` measured in the same run:
// the first invoke of a new function (with pre-started runtimes, and without), the first invoke
// with provisioned concurrency, and the time to go from 0 to 100 concurrent environments.
// The same first invokes of a Python function stand beside a bare `python3 -c pass` spawn, and the
// memory (PSS) of an idle warm Node.js environment beside a bare idle `node` process alive at the same time.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { median, mergeResults, processTree, sleep, startSelfless, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
async function withServer(extra, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-'));
  const { child, url } = await startSelfless(dir, extra);
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1, requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) } });
  try {
    return await fn(lambda, child);
  } finally {
    lambda.destroy();
    await stopChild(child);
  }
}

const zipOf = (code, file = 'index.js') => {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-fn-'));
  writeFileSync(join(dir, file), code);
  spawnSync('zip', ['-q', '-j', join(dir, 'fn.zip'), join(dir, file)]);
  return readFileSync(join(dir, 'fn.zip'));
};
const noop = zipOf('exports.handler = async () => ({ ok: true });\n');
const pythonNoop = { zip: zipOf('def handler(event, context):\n    return {"ok": True}\n', 'index.py'), runtime: 'python3.11' };
// Holds its invocation open on a raw TCP connection to the gate until the gate answers: a waiting
// environment costs no CPU, so the burst measures starting environments, not polling. Loading
// `node:net` is the handler's own work (~1.5 ms of CPU an environment: the runtime no longer loads it
// for itself); a handler loading `node:http` and making two requests spent some 20 ms of CPU an
// environment on this 2-core machine (measured in one run, 1.93x against 2.13x).
const gated = zipOf(
  "const net = require('node:net');\n" +
    "exports.handler = (e) => new Promise((resolve, reject) => {\n" +
    "  const socket = net.connect(e.gate, '127.0.0.1', () => socket.write('enter'));\n" +
    "  socket.once('data', () => { socket.destroy(); resolve({}); });\n" +
    "  socket.on('error', reject);\n" +
    "});\n",
);

async function create(lambda, name, zip = noop, runtime = 'nodejs20.x') {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: zip }, Timeout: 60 }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
}

async function firstInvokes(lambda, prefix, fn = { zip: noop, runtime: 'nodejs20.x' }, n = 11) {
  const times = [];
  for (let i = 0; i < n; i++) {
    await create(lambda, `${prefix}-${i}`, fn.zip, fn.runtime);
    await sleep(150); // lets pre-started runtimes be replaced, as between deployments
    const t0 = performance.now();
    await lambda.send(new InvokeCommand({ FunctionName: `${prefix}-${i}` }));
    times.push(performance.now() - t0);
  }
  return median(times);
}

function spawnMedian(file, args) {
  const times = [];
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    spawnSync(file, args, { env: { PATH: '/usr/bin:/bin' } });
    times.push(performance.now() - t0);
  }
  return median(times);
}
const nodeSpawn = () => spawnMedian(process.execPath, ['-e', '0']);
/** The interpreter python3.11 functions run on (the first python3 on the PATH, pyenv's shim resolved). */
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

async function scaleTo100(lambda) {
  await create(lambda, 'burst', gated);
  let entered = 0;
  const held = [];
  const gate = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      entered++;
      held.push(socket);
    });
  });
  await new Promise((r) => gate.listen(0, '127.0.0.1', r));
  const port = gate.address().port;
  const t0 = performance.now();
  // An invocation that fails (throttled, timed out) never reaches the gate: count it instead of waiting for it.
  const failures = [];
  const all = Promise.all(
    Array.from({ length: 100 }, () =>
      lambda.send(new InvokeCommand({ FunctionName: 'burst', Payload: Buffer.from(JSON.stringify({ gate: port })) })).then(
        (r) => r.FunctionError && failures.push(Buffer.from(r.Payload).toString().slice(0, 200)),
        (err) => failures.push(`${err.name}: ${err.message}`),
      ),
    ),
  );
  const deadline = performance.now() + 300_000;
  while (entered + failures.length < 100 && performance.now() < deadline) await sleep(2);
  const elapsed = performance.now() - t0;
  // Late arrivals (after a timed-out wait) are released as they come.
  const release = setInterval(() => held.splice(0).forEach((socket) => socket.end('go')), 5);
  held.splice(0).forEach((socket) => socket.end('go'));
  await all;
  clearInterval(release);
  gate.close();
  if (failures.length > 0) console.log(`scale-up: ${failures.length} of 100 invocations failed, e.g. ${failures[0]}`);
  return { ms: elapsed, failed: failures.length, reached: entered };
}

/** Pss and private (unshared) memory of one process from smaps_rollup, in KiB; zeros if it is gone. */
function smaps(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { pss: kib('Pss'), private: kib('Private_Clean') + kib('Private_Dirty') };
  } catch {
    return { pss: 0, private: 0 };
  }
}
const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

/**
 * One idle warm environment of a no-op (its sandbox's processes and its runtime, frozen between
 * invocations) beside a bare idle `node` process started at the same moment, so both share the
 * node binary's pages with the same other processes. Runs on a server without pre-started runtimes,
 * so the environment's processes are the only ones under the server.
 */
async function idleMemory(lambda, server) {
  await create(lambda, 'memory');
  for (let i = 0; i < 5; i++) await lambda.send(new InvokeCommand({ FunctionName: 'memory' }));
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { env: { PATH: '/usr/bin:/bin' }, stdio: 'ignore' });
  await sleep(1000); // the environment is frozen, the bare process done starting
  const env = processTree(server.pid).filter((pid) => /bwrap|bootstrap/.test(cmdline(pid)));
  const runtime = env.filter((pid) => !/bwrap/.test(cmdline(pid).split(' ')[0]));
  const sum = (pids) => pids.map(smaps).reduce((a, b) => ({ pss: a.pss + b.pss, private: a.private + b.private }), { pss: 0, private: 0 });
  const figures = { environment: sum(env), runtime: sum(runtime), bare: smaps(bare.pid), processes: env.length };
  bare.kill();
  return figures;
}

/** 100 `node -e 0` spawns, as many at a time as there are CPUs: what starting 100 processes costs here. */
async function spawn100() {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < 100) {
      next++;
      await new Promise((resolve) => execFile(process.execPath, ['-e', '0'], { env: { PATH: '/usr/bin:/bin' } }, resolve));
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  return performance.now() - t0;
}

async function main() {
  const spawnMs = nodeSpawn();
  const prestarted = await withServer([], (l) => firstInvokes(l, 'pre'));
  const plain = await withServer(['--prestarted-runtimes', '0'], (l) => firstInvokes(l, 'cold'));
  const memory = await withServer(['--prestarted-runtimes', '0'], idleMemory);
  const pythonSpawn = spawnMedian(python, ['-c', 'pass']);
  const pythonPrestarted = await withServer([], (l) => firstInvokes(l, 'py-pre', pythonNoop));
  const pythonPlain = await withServer(['--prestarted-runtimes', '0'], (l) => firstInvokes(l, 'py-cold', pythonNoop));
  const provisioned = await withServer([], async (lambda) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      await create(lambda, `pc-${i}`);
      await lambda.send(new PublishVersionCommand({ FunctionName: `pc-${i}` }));
      await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: `pc-${i}`, Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
      while ((await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: `pc-${i}`, Qualifier: '1' }))).Status !== 'READY') await sleep(20);
      const t0 = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: `pc-${i}`, Qualifier: '1' }));
      times.push(performance.now() - t0);
    }
    return median(times);
  });
  const scale = await withServer([], scaleTo100);
  const spawns100 = await spawn100();
  const spawnAfter = nodeSpawn();
  const baseline = Math.min(spawnMs, spawnAfter);

  const figures = {
    'cold start, pre-started runtimes (median of 11)': { ms: prestarted, nodeSpawnMs: baseline, ratio: prestarted / baseline },
    'cold start, no pre-started runtimes (median of 11)': { ms: plain, nodeSpawnMs: baseline, ratio: plain / baseline },
    'first invoke with provisioned concurrency (median of 5)': { ms: provisioned, nodeSpawnMs: baseline, ratio: provisioned / baseline },
    'scale 0 to 100 concurrent environments': { ms: scale.ms, failed: scale.failed, spawn100Ms: spawns100, ratio: scale.ms / spawns100 },
    'python3.11 cold start, pre-started runtimes (median of 11)': { ms: pythonPrestarted, pythonSpawnMs: pythonSpawn, ratio: pythonPrestarted / pythonSpawn },
    'python3.11 cold start, no pre-started runtimes (median of 11)': { ms: pythonPlain, pythonSpawnMs: pythonSpawn, ratio: pythonPlain / pythonSpawn },
  };
  const mib = (kib) => Math.round((kib / 1024) * 10) / 10;
  figures['idle warm Node.js environment, PSS'] = {
    pssMiB: mib(memory.environment.pss), runtimePssMiB: mib(memory.runtime.pss), privateMiB: mib(memory.environment.private),
    bareNodePssMiB: mib(memory.bare.pss), bareNodePrivateMiB: mib(memory.bare.private), processes: memory.processes,
    ratio: memory.environment.pss / memory.bare.pss,
  };
  mergeResults(figures, { coldStartDate: new Date().toISOString() });
  console.log(`\nCold starts (first invoke through the Lambda API, sandboxed), ${new Date().toISOString()}; node -e 0 spawn: ${baseline.toFixed(1)} ms; python3 -c pass spawn: ${pythonSpawn.toFixed(1)} ms`);
  for (const [name, f] of Object.entries(figures)) {
    if (f.pssMiB !== undefined) {
      console.log(`${name.padEnd(62)} ${f.pssMiB.toFixed(1).padStart(8)} MiB  ${f.ratio.toFixed(2)}x a bare idle node (${f.bareNodePssMiB} MiB PSS); ${f.processes} processes, the runtime ${f.runtimePssMiB} MiB; private ${f.privateMiB} MiB against ${f.bareNodePrivateMiB}`);
      continue;
    }
    const against = f.spawn100Ms !== undefined ? `100 node -e 0 spawns, ${availableParallelism()} at a time (${f.spawn100Ms.toFixed(0)} ms); ${f.failed} failed` : f.pythonSpawnMs === undefined ? 'node spawn' : 'python3 spawn';
    console.log(`${name.padEnd(62)} ${f.ms.toFixed(1).padStart(8)} ms   ${f.ratio.toFixed(2)}x ${against}`);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
