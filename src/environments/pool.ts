/**
 * The warm environments of one function configuration: reuse the most recently used idle one,
 * start a new one when all are busy, stop those idle longer than the idle timeout (scale to zero)
 * and retire those older than the maximum age between two invocations.
 */
import type { InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { Timer } from '../lib/clock.js';
import { Environment, type EnvironmentDeps, type EnvironmentSpec } from './environment.js';
import type { ZygotePool } from './zygote.js';

export type PoolDeps = Omit<EnvironmentDeps, 'onIdle' | 'onDead'> & { idleTimeoutMs: number; maxEnvironmentAgeMs: number; zygotes?: ZygotePool };

export class EnvironmentPool {
  private readonly envs = new Set<Environment>();
  /** Idle environments, most recently used last. */
  private idle: Environment[] = [];
  private readonly idleTimers = new Map<Environment, Timer>();
  private spec: Promise<EnvironmentSpec> | undefined;
  private retired = false;
  /** How many provisioned (always warm) environments this pool keeps. */
  private provisionedTarget = 0;

  constructor(
    readonly key: string,
    private readonly prepare: () => Promise<EnvironmentSpec>,
    private readonly deps: PoolDeps,
    private readonly onEmpty: (pool: EnvironmentPool) => void,
  ) {}

  get size(): number {
    return this.envs.size;
  }

  get environments(): readonly Environment[] {
    return [...this.envs];
  }

  /** Environments kept initialised for provisioned concurrency, alive now. */
  get provisionedCount(): number {
    return [...this.envs].filter((e) => e.provisioned).length;
  }

  /** Provisioned environments that have finished initialising. */
  readyProvisioned(): number {
    return [...this.envs].filter((e) => e.provisioned && e.currentState !== 'starting' && e.currentState !== 'dead').length;
  }

  /**
   * Keeps `n` provisioned environments initialised (starting or stopping some as needed);
   * resolves once they all are. Environments beyond `n` return to the on-demand rules.
   */
  async provision(n: number): Promise<void> {
    this.provisionedTarget = n;
    const provisioned = [...this.envs].filter((e) => e.provisioned);
    for (const extra of provisioned.slice(n)) {
      if (extra.currentState === 'idle') extra.stop();
      else extra.retiring = true;
    }
    const starting: Promise<Environment>[] = [];
    for (let i = provisioned.length; i < n; i++) starting.push(this.spawn(true));
    const started = await Promise.all(starting);
    await Promise.all([...provisioned.slice(0, n), ...started].map((e) => e.initialisedOk));
  }

  async run(req: InvocationRequest): Promise<InvocationResult> {
    const env = this.takeAvailable() ?? (await this.spawn());
    return env.invoke(req);
  }

  /** Stops idle environments now and the others when they finish; the pool takes no more work. */
  retire(): void {
    this.retired = true;
    for (const env of [...this.envs]) {
      env.retiring = true;
      if (env.currentState === 'idle') env.stop();
    }
    if (this.envs.size === 0) this.onEmpty(this);
  }

  /** Stops every environment at once; resolves when their processes have exited. */
  async stopAll(reason?: string): Promise<void> {
    this.retired = true;
    const envs = [...this.envs];
    for (const env of envs) env.stop(reason);
    await Promise.all(envs.map((e) => e.exited));
  }

  private takeAvailable(): Environment | undefined {
    while (this.idle.length > 0) {
      const env = this.idle.pop()!;
      if (this.tooOld(env)) {
        env.stop();
        continue;
      }
      if (env.available) {
        this.idleTimers.get(env)?.cancel();
        this.idleTimers.delete(env);
        return env;
      }
    }
    // None idle: one that has answered and is about to ask for the next event is nearly as good.
    for (const env of this.envs) if (env.available && !this.tooOld(env)) return env;
    return undefined;
  }

  private async spawn(provisioned = false): Promise<Environment> {
    this.spec ??= this.prepare();
    this.spec.catch(() => (this.spec = undefined));
    const spec = await this.spec;
    const deps = { ...this.deps, onIdle: (e: Environment) => this.onIdle(e), onDead: (e: Environment) => this.onDead(e) };
    const zygote = spec.zygote && this.deps.zygotes?.take(spec.zygote);
    const env = (zygote && (await Environment.fromZygote(zygote, spec, deps, provisioned))) || (await Environment.start(spec, deps, provisioned));
    this.envs.add(env);
    return env;
  }

  private tooOld(env: Environment): boolean {
    return this.deps.clock.monotonic() - env.startedAt >= this.deps.maxEnvironmentAgeMs;
  }

  private onIdle(env: Environment): void {
    // A provisioned environment retired for its age is replaced (onDead), as Lambda keeps the allocation.
    if (this.retired || this.tooOld(env)) {
      env.stop();
      return;
    }
    this.idle.push(env);
    this.idleTimers.get(env)?.cancel();
    if (env.provisioned) return;
    this.idleTimers.set(env, this.deps.clock.setTimeout(() => env.currentState === 'idle' && env.stop(), this.deps.idleTimeoutMs));
  }

  private onDead(env: Environment): void {
    this.envs.delete(env);
    this.idleTimers.get(env)?.cancel();
    this.idleTimers.delete(env);
    this.idle = this.idle.filter((e) => e !== env);
    if (this.retired && this.envs.size === 0) this.onEmpty(this);
    // A provisioned environment lost to a timeout or crash is replaced, as Lambda keeps the allocation.
    if (env.provisioned && !this.retired && !env.retiring && this.provisionedCount < this.provisionedTarget) {
      this.spawn(true).catch(() => undefined);
    }
  }
}
