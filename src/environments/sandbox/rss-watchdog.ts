/**
 * The fallback memory limit where no cgroup memory controller is available: every 100 ms, sum the
 * resident memory of the environment's process tree (/proc/<pid>/task/<tid>/children) and kill
 * the group when it exceeds the limit. Coarser than a cgroup (a fast allocation can overshoot
 * between samples), but the limit and `Runtime.OutOfMemory` still hold.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface RssWatchdog {
  setLimit(bytes: number): void;
  /** The highest tree-wide resident size seen, in bytes. */
  peak(): number;
  exceeded(): boolean;
  stop(): void;
}

async function treeRss(pid: number): Promise<number> {
  let total = 0;
  const pending = [pid];
  for (let n = 0; pending.length > 0 && n < 256; n++) {
    const p = pending.pop()!;
    try {
      const status = await readFile(`/proc/${p}/status`, 'latin1');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const children = await readFile(`/proc/${p}/task/${p}/children`, 'latin1');
      for (const c of children.trim().split(/\s+/)) if (c) pending.push(Number(c));
    } catch {
      // the process is gone
    }
  }
  return total;
}

/**
 * The highest resident size any process of the tree has reached (VmHWM), in bytes. Shared pages
 * count here, as Lambda counts them: a cgroup charges the Node.js or Python binary's pages to
 * whoever loaded them first (usually the server), not to the environment that maps them too.
 */
export function treeHighWaterBytes(pid: number): number {
  let highest = 0;
  const pending = [pid];
  for (let n = 0; pending.length > 0 && n < 64; n++) {
    const p = pending.pop()!;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'latin1');
      highest = Math.max(highest, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'latin1');
      for (const c of children.trim().split(/\s+/)) if (c) pending.push(Number(c));
    } catch {
      // the process is gone
    }
  }
  return highest;
}

export function watchRss(pid: number, limitBytes: number, kill: () => void): RssWatchdog {
  let limit = limitBytes;
  let peak = 0;
  let exceeded = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void treeRss(pid)
      .then((rss) => {
        peak = Math.max(peak, rss);
        if (rss > limit && !exceeded) {
          exceeded = true;
          kill();
        }
      })
      .finally(() => (busy = false));
  }, 100);
  timer.unref();
  return {
    setLimit: (bytes) => (limit = bytes),
    peak: () => peak,
    exceeded: () => exceeded,
    stop: () => clearInterval(timer),
  };
}
