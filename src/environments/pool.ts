/**
 * The warm environments of one function configuration: reuse the most recently used idle one,
 * start a new one when all are busy, stop those idle longer than the idle timeout (scale to zero).
 */
import type { InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { Timer } from '../lib/clock.js';
import { Environment, type EnvironmentDeps, type EnvironmentSpec } from './environment.js';

export type PoolDeps = Omit<EnvironmentDeps, 'onIdle' | 'onDead'> & { idleTimeoutMs: number };

export class EnvironmentPool {
  private readonly envs = new Set<Environment>();
  /** Idle environments, most recently used last. */
  private idle: Environment[] = [];
  private readonly idleTimers = new Map<Environment, Timer>();
  private spec: Promise<EnvironmentSpec> | undefined;
  private retired = false;

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
      if (env.available) {
        this.idleTimers.get(env)?.cancel();
        this.idleTimers.delete(env);
        return env;
      }
    }
    // None idle: one that has answered and is about to ask for the next event is nearly as good.
    for (const env of this.envs) if (env.available) return env;
    return undefined;
  }

  private async spawn(): Promise<Environment> {
    this.spec ??= this.prepare();
    this.spec.catch(() => (this.spec = undefined));
    const env = await Environment.start(await this.spec, {
      ...this.deps,
      onIdle: (e) => this.onIdle(e),
      onDead: (e) => this.onDead(e),
    });
    this.envs.add(env);
    return env;
  }

  private onIdle(env: Environment): void {
    if (this.retired) {
      env.stop();
      return;
    }
    this.idle.push(env);
    this.idleTimers.get(env)?.cancel();
    this.idleTimers.set(env, this.deps.clock.setTimeout(() => env.currentState === 'idle' && env.stop(), this.deps.idleTimeoutMs));
  }

  private onDead(env: Environment): void {
    this.envs.delete(env);
    this.idleTimers.get(env)?.cancel();
    this.idleTimers.delete(env);
    this.idle = this.idle.filter((e) => e !== env);
    if (this.retired && this.envs.size === 0) this.onEmpty(this);
  }
}
