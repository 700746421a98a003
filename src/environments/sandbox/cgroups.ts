/**
 * Memory limits for an environment's whole process tree, with cgroup v1's memory controller
 * (what this kind of machine offers): a hard limit, the real peak, and whether the kernel's OOM
 * killer ended it. Where the controller is missing or not writable, `available()` says why.
 *
 * Groups emptied by an environment's exit are kept (up to `keepEmptied`) and handed to the next
 * environment with their charges, peak and failure count reset, instead of a mkdir and an rmdir per
 * environment: in a burst those contend with every other start's attach on the kernel's cgroup lock.
 * A group the OOM killer acted in is never reused: cgroup v1 cannot reset its `oom_kill` count.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
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
  /** Emptied groups of exited environments, ready for the next one. */
  private readonly emptied: string[] = [];
  /** The chain of charge drops in progress (see dropCharges). */
  private emptying: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    label = `selfless-${process.pid}`,
    enabled = true,
    private readonly keepEmptied = 64,
  ) {
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

  /** Emptied groups waiting for reuse, for tests and status. */
  get emptiedCount(): number {
    return this.emptied.length;
  }

  create(envId: string, limitBytes: number): MemoryCgroup | undefined {
    if (!this.base) return undefined;
    const dir = this.reuse(limitBytes) ?? this.fresh(join(this.base, envId), limitBytes);
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
      setLimit: (bytes) => setLimits(dir, bytes),
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
        const count = oomKillCount(read('memory.oom_control') ?? '');
        if (count !== undefined) return count > 0;
        return Number((read('memory.failcnt') ?? '0').trim()) > 0 && (read('memory.oom_control') ?? '').includes('under_oom 1');
      },
      remove: () => {
        if (peakFd !== undefined) closeSync(peakFd);
        peakFd = undefined;
        this.release(dir, 20);
      },
    };
  }

  private fresh(dir: string, limitBytes: number): string {
    mkdirSync(dir);
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    // Without swap accounting the limit above already bounds everything; with it, bound swap too.
    trySet(join(dir, 'memory.memsw.limit_in_bytes'), limitBytes);
    return dir;
  }

  /** An emptied group with its charges dropped, its peak and failure count at zero and the new limit set. */
  private reuse(limitBytes: number): string | undefined {
    for (let dir = this.emptied.pop(); dir !== undefined; dir = this.emptied.pop()) {
      try {
        writeFileSync(join(dir, 'memory.max_usage_in_bytes'), '0');
        writeFileSync(join(dir, 'memory.failcnt'), '0');
        setLimits(dir, limitBytes);
        return dir;
      } catch {
        removeWhenEmpty(dir, 20);
      }
    }
    return undefined;
  }

  /**
   * Keeps a group once no process is left in it (the kernel reaps a killed tree shortly after its
   * first process), with what is still charged to it dropped; removes it if the OOM killer acted in
   * it or enough are kept. Off the event loop's critical path: after an exit, not before a start.
   */
  private release(dir: string, attempts: number): void {
    if (this.disposed || this.emptied.length >= this.keepEmptied) return removeWhenEmpty(dir, attempts);
    try {
      if (readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim() !== '') {
        if (attempts > 0) setTimeout(() => this.release(dir, attempts - 1), 50).unref();
        else removeWhenEmpty(dir, 0);
        return;
      }
      if (oomKillCount(readFileSync(join(dir, 'memory.oom_control'), 'utf8')) !== 0) return removeWhenEmpty(dir, attempts);
    } catch {
      return removeWhenEmpty(dir, attempts);
    }
    this.dropCharges(dir);
  }

  /**
   * Pages still charged to an emptied group (page cache of the last environment) would count as the
   * next one's: the kernel reclaims them when `memory.force_empty` is written, which takes milliseconds
   * (tens at a time on a busy machine). So off the event loop, in libuv's pool, one group at a time;
   * the group is offered for reuse once it is done.
   */
  private dropCharges(dir: string): void {
    this.emptying = this.emptying.then(() =>
      writeFile(join(dir, 'memory.force_empty'), '0').then(
        () => (this.disposed || this.emptied.length >= this.keepEmptied ? removeWhenEmpty(dir, 0) : void this.emptied.push(dir)),
        () => removeWhenEmpty(dir, 0),
      ),
    );
  }

  /** Removes the emptied groups and this server's own parent group at shutdown. */
  dispose(): void {
    this.disposed = true;
    for (const dir of this.emptied.splice(0)) removeWhenEmpty(dir, 0);
    if (!this.base) return;
    try {
      rmdirSync(this.base);
    } catch {
      // groups of environments still exiting keep it; the next start reuses or the system cleans it
    }
  }
}

/** memsw must stay >= the limit: lower it last, raise it first. */
function setLimits(dir: string, bytes: number): void {
  const memsw = join(dir, 'memory.memsw.limit_in_bytes');
  trySet(memsw, bytes);
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(bytes));
  trySet(memsw, bytes);
}

function trySet(file: string, bytes: number): void {
  try {
    writeFileSync(file, String(bytes));
  } catch {
    // memsw is absent when the kernel does not account swap
  }
}

/** The OOM killer's count in memory.oom_control; undefined on kernels that do not report it. */
function oomKillCount(oomControl: string): number | undefined {
  const m = /^oom_kill (\d+)$/m.exec(oomControl);
  return m ? Number(m[1]) : undefined;
}

/** A group can be removed once the kernel has reaped its processes: retry a few times, off the event loop. */
function removeWhenEmpty(dir: string, attempts: number): void {
  try {
    rmdirSync(dir);
  } catch {
    if (attempts > 0) setTimeout(() => removeWhenEmpty(dir, attempts - 1), 50).unref();
  }
}
