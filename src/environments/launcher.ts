/**
 * Starting an environment's process. Every launcher runs it in its own process group (stopping
 * it stops everything it started; freezing it stops every thread and child), under a memory
 * cgroup where the kernel offers one. The sandboxed launcher adds a private view of the system.
 */
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { MemoryCgroup, MemoryCgroups } from './sandbox/cgroups.js';
import { treeHighWaterBytes, watchRss } from './sandbox/rss-watchdog.js';
import type { Spawner } from './spawner.js';

export interface LaunchSpec {
  /** Unique per environment; names its cgroup. */
  envId: string;
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The function's code on the host; a sandbox shows it at /var/task. */
  codeDir: string;
  /**
   * Host folders the environment needs (interpreter, bootstrap, SDK: read-only; a function's file
   * system: writable) and where a sandbox shows them.
   */
  mounts: { host: string; target: string; writable?: boolean }[];
  memoryMb: number;
  /** Size of the environment's own /tmp (EphemeralStorage). */
  tmpMb: number;
  /** The runtime sends its endpoint's token (src/runtime-api/runtime-token.ts): it gets it in its environment. */
  runtimeToken?: boolean;
}

export interface LaunchedProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has exited, with Lambda's wording of how ("exit status 1", "signal: killed"). */
  readonly exited: Promise<string>;
  /** Kills the whole process group at once. */
  kill(): void;
  /** Stops every process of the environment until `thaw` (Lambda's freeze between invocations). */
  freeze(): void;
  thaw(): void;
  /** Changes the memory limit of the whole tree (a pre-started runtime taking on a function). */
  setMemoryLimit(bytes: number): void;
  /** Peak memory of the whole process tree, when a cgroup measures it. */
  peakMemoryBytes(): number | undefined;
  /** True if the kernel's OOM killer ended a process of this environment. */
  oomKilled(): boolean;
}

export interface ProcessLauncher {
  /** What `selfless serve` reports at start: how environments are isolated. */
  readonly description: string;
  /** True when environments see Lambda's layout (/var/task, /var/runtime) rather than host paths. */
  readonly sandboxed: boolean;
  launch(spec: LaunchSpec): Promise<LaunchedProcess>;
}

/** Spawns `file args` in a new process group, under the spec's memory cgroup when there is one. */
export async function startProcessGroup(
  file: string,
  args: string[],
  spec: LaunchSpec,
  cwd: string,
  cgroups: MemoryCgroups,
  spawner: Spawner,
  /** The program reports its child's death by signal N as exit status 128+N (bwrap does). */
  signalsAsExitCodes = false,
): Promise<LaunchedProcess> {
  let cgroup: MemoryCgroup | undefined;
  try {
    cgroup = cgroups.create(spec.envId, spec.memoryMb * 1024 * 1024);
  } catch {
    cgroup = undefined;
  }
  // The shell joins the cgroup before it execs the environment, so no process escapes the limit,
  // and sends stderr down stdout's pipe: lines keep the order the function wrote them in, across
  // console.log and console.error, as Lambda's log does.
  const [cmd, cmdArgs] = cgroup
    ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@" 2>&1', cgroup.procsFile, file, ...args]]
    : ['/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', file, ...args]];
  let child;
  try {
    child = await spawner.spawnGroup(cmd, cmdArgs, { env: spec.env, cwd });
  } catch (err) {
    cgroup?.remove();
    throw err;
  }
  const pid = child.pid;
  const exited = child.exit.then((e) => {
    if ('error' in e) return `error: ${e.error}`;
    const { code, signal } = e;
    // 129 and 130 stay exit statuses: runtimes use them for their own errors (Node.js: 128, 129).
    const sig = signal ?? (signalsAsExitCodes && code !== null && code > 130 && code < 160 ? signalName(code - 128) : undefined);
    return sig ? `signal: ${sig === 'SIGKILL' ? 'killed' : sig}` : `exit status ${code ?? 0}`;
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (pid > 0) process.kill(-pid, signal);
    } catch {
      // the group is gone already
    }
  };
  // Without a cgroup, a watchdog samples the tree's memory and enforces the limit.
  const watchdog = cgroup || pid <= 0 ? undefined : watchRss(pid, spec.memoryMb * 1024 * 1024, () => signalGroup('SIGKILL'));
  // The tree's high-water mark is read at most once a second: a few /proc reads, off the hot path.
  let treePeak = 0;
  let treeSampledAt = -Infinity;
  const treeHighWater = () => {
    const now = performance.now();
    if (now - treeSampledAt >= 1000 && pid > 0) {
      treeSampledAt = now;
      treePeak = Math.max(treePeak, treeHighWaterBytes(pid));
    }
    return treePeak;
  };
  const peak = () => {
    const charged = cgroup?.peakBytes() ?? watchdog?.peak();
    return charged === undefined ? undefined : Math.max(charged, treeHighWater());
  };
  const oom = () => cgroup?.oomKilled() ?? watchdog?.exceeded() ?? false;
  // What was measured is kept once the cgroup is removed after the exit.
  let final: { oom: boolean; peak: number | undefined } | undefined;
  void exited.then(() => {
    final = { oom: oom(), peak: peak() };
    watchdog?.stop();
    cgroup?.remove();
  });
  return {
    pid,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    kill: () => signalGroup('SIGKILL'),
    freeze: () => signalGroup('SIGSTOP'),
    thaw: () => signalGroup('SIGCONT'),
    setMemoryLimit: (bytes) => (cgroup ? cgroup.setLimit(bytes) : watchdog?.setLimit(bytes)),
    peakMemoryBytes: () => (final ? final.peak : peak()),
    oomKilled: () => (final ? final.oom : oom()),
  };
}

export const memoryDescription = (cgroups: MemoryCgroups): string =>
  cgroups.available() ? ', memory limited by cgroup' : `, memory limited by a sampling watchdog (no cgroup: ${cgroups.unavailableReason})`;

function signalName(n: number): NodeJS.Signals | undefined {
  return (Object.entries(constants.signals) as [NodeJS.Signals, number][]).find(([, v]) => v === n)?.[0];
}

/** No isolation beyond a process group and a memory cgroup: the code runs where it was unpacked. */
export class PlainProcessLauncher implements ProcessLauncher {
  readonly description: string;

  constructor(
    private readonly cgroups: MemoryCgroups,
    private readonly spawner: Spawner,
  ) {
    this.description = `plain processes (no filesystem isolation)${memoryDescription(cgroups)}`;
  }

  readonly sandboxed = false;

  launch(spec: LaunchSpec): Promise<LaunchedProcess> {
    return startProcessGroup(spec.file, spec.args, spec, spec.codeDir, this.cgroups, this.spawner);
  }
}
