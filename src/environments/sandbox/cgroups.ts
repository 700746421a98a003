/**
 * Memory limits for an environment's whole process tree, with cgroup v1's memory controller
 * (what this kind of machine offers): a hard limit, the real peak, and whether the kernel's OOM
 * killer ended it. Where the controller is missing or not writable, `available()` says why.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V1_ROOT = '/sys/fs/cgroup/memory';

export interface MemoryCgroup {
  /** Writing a pid here moves that process into the group. */
  readonly procsFile: string;
  setLimit(bytes: number): void;
  /** Peak usage of the whole tree since creation, in bytes. */
  peakBytes(): number | undefined;
  /** True once the kernel has OOM-killed a process of this group. */
  oomKilled(): boolean;
  remove(): void;
}

export class MemoryCgroups {
  private readonly base: string | undefined;
  readonly unavailableReason: string | undefined;

  constructor(label = `selfless-${process.pid}`, enabled = true) {
    let base: string | undefined;
    let reason: string | undefined;
    try {
      if (!enabled) throw new Error('cgroups turned off by configuration');
      const line = readFileSync('/proc/self/cgroup', 'utf8')
        .split('\n')
        .find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l));
      if (!line) throw new Error('no cgroup v1 memory controller');
      const own = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
      base = join(V1_ROOT, own, label);
      mkdirSync(base, { recursive: true });
      if (!existsSync(join(base, 'memory.limit_in_bytes'))) throw new Error(`${base} is not a memory cgroup`);
    } catch (err) {
      base = undefined;
      reason = (err as Error).message;
    }
    this.base = base;
    this.unavailableReason = reason;
  }

  available(): boolean {
    return this.base !== undefined;
  }

  create(envId: string, limitBytes: number): MemoryCgroup | undefined {
    if (!this.base) return undefined;
    const dir = join(this.base, envId);
    mkdirSync(dir);
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    // Without swap accounting the limit above already bounds everything; with it, bound swap too.
    try {
      writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes));
    } catch {
      // memsw is absent when the kernel does not account swap
    }
    let peakFd: number | undefined;
    const peakBuf = Buffer.alloc(32);
    const read = (file: string) => {
      try {
        return readFileSync(join(dir, file), 'utf8');
      } catch {
        return undefined;
      }
    };
    return {
      procsFile: join(dir, 'cgroup.procs'),
      setLimit: (bytes) => {
        // memsw must stay >= the limit: lower it last, raise it first.
        const memsw = join(dir, 'memory.memsw.limit_in_bytes');
        const set = (file: string) => {
          try {
            writeFileSync(file, String(bytes));
          } catch {
            // absent without swap accounting
          }
        };
        set(memsw);
        writeFileSync(join(dir, 'memory.limit_in_bytes'), String(bytes));
        set(memsw);
      },
      // Read after every invocation (REPORT's Max Memory Used): one pread on a file kept open.
      peakBytes: () => {
        try {
          peakFd ??= openSync(join(dir, 'memory.max_usage_in_bytes'), 'r');
          const n = readSync(peakFd, peakBuf, 0, peakBuf.length, 0);
          return Number(peakBuf.toString('latin1', 0, n).trim());
        } catch {
          return undefined;
        }
      },
      oomKilled: () => {
        const m = /^oom_kill (\d+)$/m.exec(read('memory.oom_control') ?? '');
        if (m) return Number(m[1]) > 0;
        return Number((read('memory.failcnt') ?? '0').trim()) > 0 && (read('memory.oom_control') ?? '').includes('under_oom 1');
      },
      remove: () => {
        if (peakFd !== undefined) closeSync(peakFd);
        peakFd = undefined;
        removeWhenEmpty(dir, 20);
      },
    };
  }

  /** Removes this server's own parent group at shutdown. */
  dispose(): void {
    if (!this.base) return;
    try {
      rmdirSync(this.base);
    } catch {
      // groups of environments still exiting keep it; the next start reuses or the system cleans it
    }
  }
}

/** A group can be removed once the kernel has reaped its processes: retry a few times, off the event loop. */
function removeWhenEmpty(dir: string, attempts: number): void {
  try {
    rmdirSync(dir);
  } catch {
    if (attempts > 0) setTimeout(() => removeWhenEmpty(dir, attempts - 1), 50).unref();
  }
}
