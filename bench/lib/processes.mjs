// What every benchmark script needs to run peers and servers beside it: children in their own
// process groups that never outlive the script, commands, free ports, and the shared results file.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

const children = [];
const killGroup = (child) => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
};
process.on('exit', () => children.forEach(killGroup));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** The pid and all its descendants (children of every thread), depth-first, bounded. */
export function processTree(pid) {
  const seen = [];
  const stack = [pid];
  while (stack.length > 0 && seen.length < 10_000) {
    const p = stack.pop();
    if (seen.includes(p)) continue;
    seen.push(p);
    let tasks = [];
    try { tasks = readdirSync(`/proc/${p}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) stack.push(Number(c));
      } catch {}
    }
  }
  return seen;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 on Linux for /proc/<pid>/stat
/** CPU time (user + system) the processes have used so far, in µs; a process gone counts 0. */
export function cpuMicros(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 of proc(5)
      sum += ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
    } catch {}
  }
  return sum;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a command to completion, output inherited; rejects on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a child in its own process group; resolves with the first match of `pattern` on stdout or stderr. */
export function startChild(cmd, args, pattern, { cwd = root, env = process.env, timeoutMs = 60_000 } = {}) {
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms:\n${out.slice(-3000)}`)), timeoutMs);
    const onData = (d) => {
      out += d;
      if (out.length > 100_000) out = out.slice(-50_000);
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m[1] });
      }
    };
    // Keep draining both pipes for the child's whole life, so a chatty child never blocks on a full pipe.
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code ?? signal}):\n${out.slice(-3000)}`));
    });
  });
}

/** SIGTERM first (Selfless stops its environments on it), then SIGKILL to the whole group after at most 5 s. */
export async function stopChild(c) {
  const child = c.child ?? c;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {}
    await Promise.race([exited, sleep(5000)]);
  }
  killGroup(child);
  const i = children.indexOf(child);
  if (i >= 0) children.splice(i, 1);
}

/** `selfless serve` on a free port; resolves with the child and its URL. */
/** A server from this checkout, or from `from` (another built checkout's root: bench/lib/before.mjs). */
export async function startSelfless(dataDir, extraArgs = [], nodeArgs = [], from = root) {
  const { child, match } = await startChild(process.execPath, [...nodeArgs, join(from, 'bin/selfless.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...extraArgs], /serving on (http:\/\/\S+)/);
  return { child, url: match };
}

/**
 * Merges figures (and top-level fields) into bench/results/latest.json, keeping what the other
 * scripts wrote: re-read just before writing, then replaced in one rename.
 */
export function mergeResults(figures, fields = {}) {
  const file = join(root, 'bench/results/latest.json');
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify({ ...previous, ...fields, figures: { ...(previous.figures ?? {}), ...figures } }, null, 2) + '\n');
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Keeps a child started elsewhere from outliving the script. */
export function adopt(child) {
  children.push(child);
  return child;
}
