#!/usr/bin/env node
// Where a warm invoke's server CPU goes, now against before (--before REF, default bench/lib/before.mjs's
// DEFAULT_BEFORE), in the same run: each server runs under V8's CPU profiler while autocannon sends a
// fixed number of warm invokes of a no-op Node.js function; for every function of the server (and of
// Node.js), its inclusive and self time per request are printed side by side, the socket writes
// by the Selfless code that called them, and the functions whose self time grew the most.
// Not part of `npm run bench`: a tool for reading a regression, not a figure.
// Usage: npm run build && node bench/invoke-profile-diff.mjs [--requests 15000] [--concurrency 1] [--before REF] [--now-first]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { builtBefore, DEFAULT_BEFORE } from './lib/before.mjs';
import { startSelfless, stopChild, root } from './lib/processes.mjs';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('--requests', 15000));
const C = Number(arg('--concurrency', 1));
const BEFORE = arg('--before', DEFAULT_BEFORE);
const NOW_FIRST = process.argv.includes('--now-first');
/** Native frames of the socket writes. */
const WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);
const zipDir = mkdtempSync(join(tmpdir(), 'selfless-profile-diff-'));
mkdirSync(join(zipDir, 'noop'));
writeFileSync(join(zipDir, 'noop', 'index.js'), 'exports.handler = async () => ({ ok: true });\n');
spawnSync('zip', ['-q', '-j', join(zipDir, 'noop.zip'), join(zipDir, 'noop', 'index.js')]);
const zip = readFileSync(join(zipDir, 'noop.zip'));

/** Inclusive and self time by function (name and file), in the window of the measured requests. */
function inclusive(file, window) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (f) => `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(dist\/src|node_modules)\//, '$1/')}`;
  const incl = new Map(), self = new Map(); let total = 0, at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0; const dt = p.timeDeltas[i] ?? 0;
    if (at < window.fromUs || at > window.toUs) return;
    const fr = byId.get(id).callFrame; if (fr.functionName === '(idle)') return;
    total += dt; const sk = keyOf(fr);
    if (WRITES.has(fr.functionName)) { let c = parent.get(id); const chain = []; while (c !== undefined) { const f = byId.get(c).callFrame; if (/dist\/src\//.test(f.url)) chain.push(keyOf(f).replace(/ dist\/src\//, '@')); if (chain.length >= 3) break; c = parent.get(c); } const wk = 'W:' + fr.functionName + ' <- ' + chain.join(' <- '); self.set(wk, (self.get(wk) ?? 0) + dt); } self.set(sk, (self.get(sk) ?? 0) + dt);
    const seen = new Set(); let cur = id;
    while (cur !== undefined) { const k = keyOf(byId.get(cur).callFrame); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); } cur = parent.get(cur); }
  });
  return { total, incl, self };
}
async function one(from, label) {
  const dir = mkdtempSync(join(tmpdir(), `selfless-profile-diff-${label}-`));
  const server = await startSelfless(join(dir, 'data'), [], ['--cpu-prof', '--cpu-prof-dir', join(dir, 'prof')], from);
  const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 });
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'noop', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: zip } }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'noop' });
  await Promise.all(Array.from({ length: C }, () => lambda.send(new InvokeCommand({ FunctionName: 'noop' }))));
  const url = `${server.url}/2015-03-31/functions/noop/invocations`;
  const opts = { url, connections: C, pipelining: 1, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
  await autocannon({ ...opts, amount: 2000 });
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await autocannon({ ...opts, amount: N });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  lambda.destroy(); await stopChild(server);
  const [f] = readdirSync(join(dir, 'prof'));
  return { label, reqs: r.requests.total, rps: r.requests.average, ...inclusive(join(dir, 'prof', f), { fromUs, toUs }) };
}
const before = builtBefore(BEFORE);
// Run in both orders over repeated runs to see that a difference is not the order's (the machine warming up).
const runs = [];
if (NOW_FIRST) { const n = await one(root, 'now'); runs.push(await one(before.dir, 'before'), n); }
else runs.push(await one(before.dir, 'before'), await one(root, 'now'));
for (const r of runs) console.log(r.label, 'reqs', r.reqs, 'rps', r.rps, 'busy µs/req', (r.total / r.reqs).toFixed(1));
const per = (r, m, k) => (m.get(k) ?? 0) / r.reqs;
const keys = new Set([...runs[0].incl.keys(), ...runs[1].incl.keys(), ...runs[0].self.keys(), ...runs[1].self.keys()]);
const rows = [...keys].map((k) => [k, per(runs[0], runs[0].incl, k), per(runs[1], runs[1].incl, k), per(runs[0], runs[0].self, k), per(runs[1], runs[1].self, k)]);
console.log('\n== inclusive µs/req, top by now');
for (const r of rows.sort((a, b) => b[2] - a[2]).slice(0, 400)) console.log(r[1].toFixed(1).padStart(7), r[2].toFixed(1).padStart(7), ' ', r[0]);
console.log('\n== writes by caller');
for (const r of rows.filter((r) => r[0].startsWith('W:')).sort((a, b) => b[4] - a[4])) console.log(r[3].toFixed(1).padStart(7), r[4].toFixed(1).padStart(7), ' ', r[0]);
console.log('\n== self µs/req, top by now-before');
for (const r of rows.sort((a, b) => (b[4] - b[3]) - (a[4] - a[3])).slice(0, 40)) console.log(r[3].toFixed(1).padStart(7), r[4].toFixed(1).padStart(7), ' ', r[0]);
console.log('\n== self µs/req by file (Selfless, node_modules, Node.js, native), top by now');
const byFile = new Map();
for (const r of rows) {
  if (r[0].startsWith('W:')) continue;
  const file = r[0].slice(r[0].indexOf(' ') + 1) || '(native)';
  const [b, n] = byFile.get(file) ?? [0, 0];
  byFile.set(file, [b + r[3], n + r[4]]);
}
for (const [file, [b, n]] of [...byFile].sort((x, y) => y[1][1] - x[1][1]).slice(0, 50)) console.log(b.toFixed(1).padStart(7), n.toFixed(1).padStart(7), ' ', file);
console.log('\n== self µs/req, top by now');
for (const r of rows.sort((a, b) => b[4] - a[4]).slice(0, 60)) console.log(r[3].toFixed(1).padStart(7), r[4].toFixed(1).padStart(7), ' ', r[0]);
