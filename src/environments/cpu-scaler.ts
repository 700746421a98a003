/**
 * Scaling a managed-instances function on CPU, as Lambda Managed Instances scale: asynchronously,
 * from how busy its environments' vCPUs are, not on each arriving invocation. Every `intervalMs`
 * it samples each ready environment's CPU time; above SCALE_UP_CPU average use (three samples in a
 * row) it starts one more environment ahead of need, below SCALE_DOWN_CPU (and with the load fitting
 * in one fewer, half full) it retires the least busy. Saturation (every environment full) scales up on its own, in the pool.
 */
import type { Clock, Timer } from '../lib/clock.js';

export const SCALE_UP_CPU = 0.7;
export const SCALE_DOWN_CPU = 0.2;

export interface ScaledEnvironment {
  readonly inFlight: number;
  /** vCPUs the environment is entitled to. */
  readonly vcpus: number;
  /** Kept for MinExecutionEnvironments: never retired for low use. */
  readonly provisioned?: boolean;
}

export interface ScalerTarget<E extends ScaledEnvironment> {
  /** Environments initialised and taking invocations. */
  ready(): readonly E[];
  /** Environments starting now. */
  readonly starting: number;
  readonly perEnvironment: number;
  readonly maxEnvironments: number;
  startAhead(): void;
  retire(env: E): void;
}

export type Decision<E> = { kind: 'up' } | { kind: 'down'; env: E } | { kind: 'hold' };

/** What to do given each ready environment's CPU use (cores busy over the last interval). */
export function decide<E extends ScaledEnvironment>(samples: readonly { env: E; cores: number }[], t: Omit<ScalerTarget<E>, 'ready' | 'startAhead' | 'retire'>): Decision<E> {
  const n = samples.length;
  if (n === 0) return { kind: 'hold' };
  const use = samples.reduce((s, x) => s + x.cores / Math.max(1, x.env.vcpus), 0) / n;
  if (use > SCALE_UP_CPU && t.starting === 0 && n < t.maxEnvironments) return { kind: 'up' };
  const inFlight = samples.reduce((s, x) => s + x.env.inFlight, 0);
  const retirable = samples.filter((x) => !x.env.provisioned);
  if (n > 1 && retirable.length > 0 && use < SCALE_DOWN_CPU && inFlight <= ((n - 1) * t.perEnvironment) / 2) {
    const idlest = retirable.reduce((a, b) => (b.env.inFlight < a.env.inFlight ? b : a));
    return { kind: 'down', env: idlest.env };
  }
  return { kind: 'hold' };
}

/** Consecutive busy samples before a start: a burst of a second is not load. */
const BUSY_SAMPLES = 3;

export class CpuScaler<E extends ScaledEnvironment> {
  private timer: Timer | undefined;
  private last = new Map<E, { cpuMs: number; at: number }>();
  private busy = 0;

  constructor(
    private readonly target: ScalerTarget<E>,
    private readonly cpuMsOf: (env: E) => number | undefined,
    private readonly clock: Clock,
    private readonly intervalMs = 1000,
  ) {}

  /** Samples from now on, while there are environments to sample. */
  ensureRunning(): void {
    this.timer ??= this.clock.setTimeout(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.last.clear();
    this.busy = 0;
  }

  private tick(): void {
    this.timer = undefined;
    const envs = this.target.ready();
    if (envs.length === 0) return this.stop();
    const now = this.clock.monotonic();
    const samples: { env: E; cores: number }[] = [];
    const next = new Map<E, { cpuMs: number; at: number }>();
    for (const env of envs) {
      const cpuMs = this.cpuMsOf(env);
      if (cpuMs === undefined) continue;
      const before = this.last.get(env);
      next.set(env, { cpuMs, at: now });
      if (before && now > before.at) samples.push({ env, cores: Math.max(0, cpuMs - before.cpuMs) / (now - before.at) });
    }
    this.last = next;
    const d = decide(samples, this.target);
    this.busy = d.kind === 'up' ? this.busy + 1 : 0;
    if (this.busy >= BUSY_SAMPLES) {
      this.busy = 0;
      this.target.startAhead();
    } else if (d.kind === 'down') this.target.retire(d.env);
    this.ensureRunning();
  }
}
