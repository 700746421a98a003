#!/usr/bin/env node
// Warm invoke throughput and latency, and cold start, each beside baselines measured in the same run:
// - a bare Node.js HTTP server driven by the same load generator (one HTTP exchange: the machine's limit);
// - the floor of a warm invoke (bench/lib/baselines.mjs): a minimal relay and one raw-socket runtime process
//   per client, doing only the exchanges a warm invoke must (client, then the runtime's /next and /response);
// - a bare `node -e 0` spawn, for the cold start;
// - the server as it was at an earlier commit (--before REF, default bench/lib/before.mjs's DEFAULT_BEFORE;
//   --before none skips it), built beside this checkout: warm invokes now against before, same run.
// - managed instances (bench/lib/managed-instances.mjs): the same no-op as a Lambda Managed Instances function,
//   one environment taking 64 invocations at once, at c=16 and c=64 beside default mode (one invocation per
//   environment, as many environments as clients) and the bare server; --only managed-instances runs just that.
// Beside each load figure, the CPU time per invoke of each process group shows where the time goes.
// With --profile, the warm invokes are run again against a server under V8's CPU profiler, and the
// profile's summary (time by kind and by function) is printed and kept beside the figures.
// Usage: npm run bench [-- --duration 5]   or   node bench/invoke.mjs [--duration 5] [--rounds 3] [--profile] [--before REF|none] [--only managed-instances]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startBare, startFloor } from './lib/baselines.mjs';
import { warmUp, WARM_ROUND_SECONDS } from './lib/warm-up.mjs';
import { builtBefore, DEFAULT_BEFORE } from './lib/before.mjs';
import { createManagedNoop, MANAGED_CONCURRENCY } from './lib/managed-instances.mjs';
import { summariseProfile } from './lib/profile-summary.mjs';
import { cpuMicros, median, mergeResults, processTree, startSelfless, stopChild } from './lib/processes.mjs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const durationArg = process.argv.indexOf('--duration');
const DURATION = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 5;
// Now against before is the figure most shaken by a shared machine: it is measured in this many pairs,
// the order alternating (before first in every other pair), and the median of the pairs' ratios reported.
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
const PROFILE = process.argv.includes('--profile');
const beforeArg = process.argv.indexOf('--before');
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'managed-instances') throw new Error(`--only takes managed-instances, not ${ONLY}`);
const ALL = ONLY === undefined;
const BEFORE = beforeArg > 0 && ALL ? process.argv[beforeArg + 1] : ALL ? DEFAULT_BEFORE : 'none';
/** Concurrencies of the managed-instances figures. */
const MANAGED_LOADS = [16, 64];

/** autocannon POSTing `{}` with keep-alive, once warm; with the CPU µs per request of each named group of pids over the measured run. */
async function load(url, connections, pidGroups) {
  const opts = { url, connections, duration: DURATION, pipelining: 1, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
  const warmUpRates = await warmUp(opts);
  const groups = Object.entries({ ...pidGroups(), loadGenerator: [process.pid] });
  const before = groups.map(([, pids]) => cpuMicros(pids));
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await autocannon(opts);
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const after = groups.map(([, pids]) => cpuMicros(pids));
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  const cpuMicrosPerRequest = Object.fromEntries(groups.map(([name], i) => [name, Math.round((after[i] - before[i]) / r.requests.total)]));
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuMicrosPerRequest, window: { fromUs, toUs }, warmUpRates };
}

/** A Selfless server with the no-op function created and 16 environments warm; `create` makes more functions. */
async function startWithNoop(dir, zip, nodeArgs = [], from = undefined) {
  const server = await startSelfless(join(dir, 'data'), [], nodeArgs, from);
  const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 });
  const create = async (name) => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: zip } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  };
  await create('noop');
  await Promise.all(Array.from({ length: 16 }, () => lambda.send(new InvokeCommand({ FunctionName: 'noop' }))));
  return { server, lambda, create, invokeUrl: `${server.url}/2015-03-31/functions/noop/invocations` };
}

/**
 * The no-op as a managed-instances function (one environment, 64 invocations at once) beside the
 * default-mode no-op (one environment per concurrent invoke) and the bare server, at each of MANAGED_LOADS.
 */
async function managedInstancesFigures(bare, server, zip, invokeUrl, lambda) {
  const managed = await createManagedNoop(lambda, server.url, zip);
  const serverPid = server.child.pid;
  const figures = {};
  for (const c of MANAGED_LOADS) {
    // Default mode needs a warm environment per concurrent invoke: start them before measuring.
    await Promise.all(Array.from({ length: c }, () => fetch(invokeUrl, { method: 'POST', body: '{}' }).then((r) => r.arrayBuffer())));
    const b = await load(bare.url, c, () => ({ server: bare.pids }));
    const d = await load(invokeUrl, c, () => {
      const mine = new Set(managed.pids());
      return { server: [serverPid], environments: processTree(serverPid).filter((p) => p !== serverPid && !mine.has(p)) };
    });
    const m = await load(managed.invokeUrl, c, () => ({ server: [serverPid], environment: managed.pids() }));
    figures[`managed instances c=${c}`] = {
      managedInstances: m,
      defaultMode: d,
      bareHttp: b,
      throughputRatio: m.rps / b.rps,
      ratioToDefaultMode: m.rps / d.rps,
      defaultModeRatio: d.rps / b.rps,
      setup: { environments: 1, perExecutionEnvironmentMaxConcurrency: MANAGED_CONCURRENCY, vcpus: 1, workerThreads: 1, runtime: 'nodejs22.x' },
    };
  }
  return figures;
}

/** The server's CPU profile over a warm invoke run at concurrency `c`, summarised. */
async function profileWarmInvoke(zip, c) {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-profile-'));
  const { server, lambda, invokeUrl } = await startWithNoop(dir, zip, ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profile')]);
  const run = await load(invokeUrl, c, () => ({ server: [server.child.pid] }));
  lambda.destroy();
  await stopChild(server); // the profile is written as the server exits
  const [file] = readdirSync(join(dir, 'profile'));
  return { rps: run.rps, ...summariseProfile(join(dir, 'profile', file), run.window) };
}

async function main() {
  const zipDir = mkdtempSync(join(tmpdir(), 'selfless-bench-'));
  mkdirSync(join(zipDir, 'noop'));
  writeFileSync(join(zipDir, 'noop', 'index.js'), 'exports.handler = async () => ({ ok: true });\n');
  spawnSync('zip', ['-q', '-j', join(zipDir, 'noop.zip'), join(zipDir, 'noop', 'index.js')]);
  const zip = readFileSync(join(zipDir, 'noop.zip'));

  const bare = await startBare();
  const { server, lambda, create, invokeUrl } = await startWithNoop(zipDir, zip);
  const before = BEFORE === 'none' ? undefined : builtBefore(BEFORE);
  const old = before && (await startWithNoop(mkdtempSync(join(tmpdir(), 'selfless-bench-before-')), zip, [], before.dir));

  const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtStart: loadavg() }, date: new Date().toISOString(), durationSeconds: DURATION, figures: {} };
  for (const c of ALL ? [1, 16] : []) {
    const serverPid = server.child.pid;
    const b = await load(bare.url, c, () => ({ server: bare.pids }));
    const floor = await startFloor(c);
    const f = await load(floor.url, c, () => floor.pids);
    if (!floor.alive()) throw new Error('a floor process died during the run');
    await floor.stop();
    const now = () => load(invokeUrl, c, () => ({ server: [serverPid], environments: processTree(serverPid).filter((p) => p !== serverPid) }));
    const s = await now();
    const oldPid = old?.server.child.pid;
    const then = () => load(old.invokeUrl, c, () => ({ server: [oldPid], environments: processTree(oldPid).filter((p) => p !== oldPid) }));
    const o = old && (await then());
    const ratios = o ? [s.rps / o.rps] : [];
    for (let r = 1; old && r < ROUNDS; r++) {
      const [a, b] = r % 2 === 1 ? [await then(), await now()] : [await now(), await then()].reverse();
      ratios.push(b.rps / a.rps);
    }
    results.figures[`warm invoke c=${c}`] = {
      selfless: s,
      bareHttp: b,
      floor: f,
      throughputRatio: s.rps / b.rps,
      throughputRatioToFloor: s.rps / f.rps,
      floorRatio: f.rps / b.rps,
      p99OverheadMs: s.p99 - b.p99,
      ...(o ? { before: { commit: before.sha, ...o }, throughputRatioToBefore: median(ratios), ratiosToBefore: ratios } : {}),
    };
  }

  // Cold start: first invoke of a new function, against spawning a bare `node -e 0` in a clean environment.
  const spawnTimes = [];
  for (let i = 0; i < (ALL ? 11 : 0); i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env: { PATH: '/usr/bin:/bin' } });
    spawnTimes.push(performance.now() - t0);
  }
  const coldTimes = [];
  for (let i = 0; i < (ALL ? 11 : 0); i++) {
    await create(`cold-${i}`);
    const t0 = performance.now();
    await lambda.send(new InvokeCommand({ FunctionName: `cold-${i}` }));
    coldTimes.push(performance.now() - t0);
  }
  const cold = median(coldTimes);
  const nodeSpawn = median(spawnTimes);
  if (ALL) results.figures['cold start (first invoke, median of 11)'] = { selflessMs: cold, nodeSpawnMs: nodeSpawn, ratio: cold / nodeSpawn };
  // After the cold starts, whose functions stay warm beside it.
  Object.assign(results.figures, await managedInstancesFigures(bare, server, zip, invokeUrl, lambda));
  lambda.destroy();
  await stopChild(server);
  if (old) {
    old.lambda.destroy();
    await stopChild(old.server);
  }

  if (PROFILE && ALL) {
    for (const c of [1, 16]) results.figures[`warm invoke c=${c}`].serverProfile = await profileWarmInvoke(zip, c);
  }

  // Other bench scripts add their figures to the same file: merge, never overwrite theirs.
  const { figures, ...fields } = results;
  mergeResults(figures, fields);
  console.log(`\nSelfless benchmark, ${results.date}, ${results.machine.cpus} CPUs (${results.machine.model}), Node ${process.version}, load ${loadavg()[0].toFixed(2)}\n`);
  const us = (cpu) => Object.entries(cpu).map(([k, v]) => `${k} ${v}`).join(', ');
  for (const c of ALL ? [1, 16] : []) {
    const f = results.figures[`warm invoke c=${c}`];
    console.log(`warm invoke c=${String(c).padEnd(2)}  selfless ${f.selfless.rps.toFixed(0).padStart(6)} req/s  p50 ${f.selfless.p50} ms  p99 ${f.selfless.p99} ms` +
      `  | bare http ${f.bareHttp.rps.toFixed(0).padStart(6)} req/s  p99 ${f.bareHttp.p99} ms  | ratio ${f.throughputRatio.toFixed(2)}x`);
    console.log(`                 floor ${f.floor.rps.toFixed(0).padStart(6)} req/s  p99 ${f.floor.p99} ms (${f.floorRatio.toFixed(2)}x bare)  | selfless/floor ${f.throughputRatioToFloor.toFixed(2)}x`);
    console.log(`                 CPU µs per invoke: selfless ${us(f.selfless.cpuMicrosPerRequest)} | floor ${us(f.floor.cpuMicrosPerRequest)} | bare ${us(f.bareHttp.cpuMicrosPerRequest)}`);
    console.log(`                 warm-up rounds (req/s, ${WARM_ROUND_SECONDS} s each): selfless ${f.selfless.warmUpRates.join(' ')} | floor ${f.floor.warmUpRates.join(' ')} | bare ${f.bareHttp.warmUpRates.join(' ')}`);
    if (f.before) {
      console.log(`                 before (${f.before.commit.slice(0, 10)}) ${f.before.rps.toFixed(0).padStart(6)} req/s  p99 ${f.before.p99} ms  | now/before ${f.throughputRatioToBefore.toFixed(2)}x` +
        ` (median of ${f.ratiosToBefore.length} alternated pairs: ${f.ratiosToBefore.map((x) => x.toFixed(2)).join(' ')})` +
        `  | CPU µs per invoke before: ${us(f.before.cpuMicrosPerRequest)}`);
    }
  }
  if (ALL) console.log(`cold start        selfless ${cold.toFixed(1)} ms (first invoke through the API)  | node -e 0 spawn ${nodeSpawn.toFixed(1)} ms  | ratio ${(cold / nodeSpawn).toFixed(2)}x`);
  for (const c of MANAGED_LOADS) {
    const f = results.figures[`managed instances c=${c}`];
    console.log(`managed instances c=${String(c).padEnd(2)}  one environment, ${MANAGED_CONCURRENCY} at once ${f.managedInstances.rps.toFixed(0).padStart(6)} req/s  p50 ${f.managedInstances.p50} ms  p99 ${f.managedInstances.p99} ms` +
      `  | default mode (${c} environments) ${f.defaultMode.rps.toFixed(0).padStart(6)} req/s  p50 ${f.defaultMode.p50} ms  p99 ${f.defaultMode.p99} ms  | bare http ${f.bareHttp.rps.toFixed(0).padStart(6)} req/s`);
    console.log(`                      managed/bare ${f.throughputRatio.toFixed(2)}x  managed/default ${f.ratioToDefaultMode.toFixed(2)}x  default/bare ${f.defaultModeRatio.toFixed(2)}x`);
    console.log(`                      CPU µs per invoke: managed ${us(f.managedInstances.cpuMicrosPerRequest)} | default ${us(f.defaultMode.cpuMicrosPerRequest)} | bare ${us(f.bareHttp.cpuMicrosPerRequest)}`);
    console.log(`                      warm-up rounds (req/s, ${WARM_ROUND_SECONDS} s each): managed ${f.managedInstances.warmUpRates.join(' ')} | default ${f.defaultMode.warmUpRates.join(' ')} | bare ${f.bareHttp.warmUpRates.join(' ')}`);
  }
  for (const c of PROFILE && ALL ? [1, 16] : []) {
    const p = results.figures[`warm invoke c=${c}`].serverProfile;
    console.log(`\nserver profile, warm invoke c=${c} (${p.rps.toFixed(0)} req/s under the profiler), % of its main thread's time:`);
    console.log('  ' + Object.entries(p.percentByKind).map(([k, v]) => `${k} ${v}`).join(', '));
    for (const [fn, v] of p.topFunctionsPercent) console.log(`  ${String(v).padStart(5)}  ${fn}`);
  }
  console.log('\nwritten to bench/results/latest.json');
  await stopChild(bare);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
