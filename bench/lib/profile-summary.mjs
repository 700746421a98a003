// Summarises a V8 CPU profile (.cpuprofile) of the server: where its main thread's time went, by kind
// (idle, socket system calls, garbage collection, Selfless's code, dependencies, Node.js internals)
// and by function, so a figure can be read beside the profile that bounds it.
import { readFileSync } from 'node:fs';

/** Native frames of the socket calls that send and receive the invoke's messages. */
const SYSCALLS = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String', 'read', 'readv']);

function kindOf(frame) {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (url === '' && SYSCALLS.has(name)) return 'socket system calls';
  if (/\/dist\/src\//.test(url)) return 'Selfless';
  if (/node_modules\//.test(url)) return 'dependencies';
  return 'Node.js and V8';
}

/**
 * `window` ({ fromUs, toUs }, monotonic clock in µs, as process.hrtime gives it) keeps only the samples
 * taken during the measured run, leaving out the server's start and the warm-up.
 */
export function summariseProfile(file, window, top = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfByNode = new Map();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
    total += dt;
  });
  const kinds = new Map();
  const functions = new Map();
  for (const [id, t] of selfByNode) {
    const frame = byId.get(id).callFrame;
    const kind = kindOf(frame);
    kinds.set(kind, (kinds.get(kind) ?? 0) + t);
    const where = frame.url ? ` ${frame.url.replace(/^.*\/(dist\/src|node_modules)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
  }
  const share = (t) => +((100 * t) / total).toFixed(1);
  return {
    totalMs: Math.round(total / 1000),
    percentByKind: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1]).map(([k, t]) => [k, share(t)])),
    topFunctionsPercent: [...functions].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => [k, share(t)]),
  };
}
