/**
 * The warm environments of one function configuration: reuse the most recently used idle one;
 * when none is free, queue the invocation for the next environment that becomes ready, and start
 * as many new ones as invocations wait (through the start gate, which bounds how many initialise
 * at once). Idle ones stop after the idle timeout (scale to zero); old ones retire between
 * invocations. A wait is bounded: past it the invocation is throttled, never left hanging.
 *
 * Environments that serve several invocations at once (Lambda Managed Instances) fill up before a
 * new one starts: one start per `perEnvironment` waiting invocations, at most `maxEnvironments`
 * alive; with every one full and no start allowed, an invocation is throttled at once. Each
 * invocation goes to the least busy, and the CPU scaler adds or retires environments on CPU use.
 */
import type { InvocationRequest, InvocationResult } from '../domain/invocation.js';
import { AwsError, Errors } from '../wire/errors.js';
import type { Environment, EnvironmentDeps, EnvironmentSpec } from './environment.js';
import { adoptPreStarted, startEnvironment } from './environment-launch.js';
import type { StartGate, StartPermit } from './start-gate.js';
import { CpuScaler } from './cpu-scaler.js';
import { WaitLine } from './wait-line.js';
import { groupCpuMs } from './cpu-usage.js';
import { IdleReaper } from './idle-reaper.js';
import type { ZygotePool } from './zygote.js';

/** How a multi-concurrency function's environments share its load. */
export interface PoolConcurrency {
  perEnvironment: number;
  maxEnvironments: number;
}

export type PoolDeps = Omit<EnvironmentDeps<Environment>, 'onIdle' | 'onDead'> & {
  idleTimeoutMs: number;
  maxEnvironmentAgeMs: number;
  zygotes?: ZygotePool;
  gate: StartGate;
};

export class EnvironmentPool {
  private readonly envs = new Set<Environment>();
  /** Idle environments, most recently used last. */
  private idle: Environment[] = [];
  /** Stops on-demand environments idle past the idle timeout. */
  private readonly reaper: IdleReaper<Environment>;
  /** Monotonic time each idle environment went idle at. */
  private readonly idleSince = new Map<Environment, number>();
  /** Start permits of environments not yet settled: idle with nothing in flight once after their start. */
  private readonly unsettled = new Map<Environment, StartPermit>();
  /** Invocations waiting for an environment, oldest first. */
  private readonly waiters: WaitLine;
  /** Starts asked of the gate and not yet granted. */
  private queuedStarts = 0;
  /** Environments granted a start and not yet initialised (or dead). */
  private initialising = 0;
  private spec: Promise<EnvironmentSpec> | undefined;
  private retired = false;
  /** How many provisioned (always warm) environments this pool keeps. */
  private provisionedTarget = 0;
  /** Provisioned environments asked for and not yet launched (or failed). */
  private provisionedStarting = 0;
  /** Those starts, for a later provision() to wait for the ones it counts. */
  private readonly provisionedStarts = new Set<Promise<Environment | undefined>>();
  /** Set for a multi-concurrency function's pool. */
  private concurrency: PoolConcurrency | undefined;
  private scaler: CpuScaler<Environment> | undefined;

  constructor(
    readonly key: string,
    private readonly prepare: () => Promise<EnvironmentSpec>,
    private readonly deps: PoolDeps,
    private readonly onEmpty: (pool: EnvironmentPool) => void,
  ) {
    this.waiters = new WaitLine(deps.clock);
    this.reaper = new IdleReaper<Environment>(deps.clock, deps.idleTimeoutMs, (env) => env.currentState === 'idle' && env.stop());
  }

  get size(): number {
    return this.envs.size;
  }

  get environments(): readonly Environment[] {
    return [...this.envs];
  }

  /** Environments idle now (waiting for an event). */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Whether an invocation arriving now finds an environment at once: an idle one, or for a multi-concurrency pool one with room. */
  get canTakeNow(): boolean {
    if (!this.concurrency) return this.idle.length > 0;
    for (const env of this.envs) if (env.available && !this.tooOld(env)) return true;
    return false;
  }

  /** Invocations waiting for an environment. */
  get waiting(): number {
    return this.waiters.length;
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
    const provisioned = [...this.envs].filter((e) => e.provisioned && !e.retiring);
    for (const extra of provisioned.slice(n)) this.release(extra);
    // Starts an earlier call began count towards n: they are waited for too (those beyond n are released as they start).
    const starting = [...this.provisionedStarts];
    for (let i = provisioned.length + starting.length; i < n; i++) starting.push(this.startProvisionedTracked());
    const started = (await Promise.all(starting)).filter((e): e is Environment => e !== undefined && e.provisioned && !e.retiring);
    await Promise.all([...provisioned.slice(0, n), ...started].slice(0, n).map((e) => e.initialisedOk));
  }

  /**
   * Lambda Managed Instances' MinExecutionEnvironments: keeps `n` environments started and warm ahead
   * of any invocation (never stopped for idleness, replaced when lost); they serve like the others.
   * `concurrency` shapes the pool until an invocation brings the current limits.
   */
  keep(n: number, concurrency: PoolConcurrency): Promise<void> {
    this.concurrency ??= concurrency;
    return this.provision(n);
  }

  /** Provisioned environments alive and still wanted. */
  private keptCount(): number {
    return [...this.envs].filter((e) => e.provisioned && !e.retiring && e.currentState !== 'dead').length;
  }

  /** A provisioned environment no longer asked for returns to the on-demand rules: stopped now if idle. */
  private release(env: Environment): void {
    if (env.currentState === 'idle' && env.inFlight === 0) env.stop();
    else env.retiring = true;
  }

  /**
   * Runs an invocation on a free environment, or queues it for the next one ready. The wait is
   * bounded by the function's timeout, and never shorter than a cold start may take.
   */
  run(req: InvocationRequest, spec: { timeoutSeconds: number; concurrency?: PoolConcurrency }): Promise<InvocationResult> {
    this.concurrency = spec.concurrency;
    const env = this.takeAvailable();
    if (env) return env.invoke(req);
    if (this.concurrency && this.atCapacity(this.concurrency)) return Promise.reject(Errors.tooManyRequests('ConcurrentInvocationLimitExceeded'));
    const waited = this.waiters.wait(req, Math.max(spec.timeoutSeconds * 1000, this.deps.initTimeoutMs), () => {
      this.emptied();
      return Errors.tooManyRequests('FunctionInvocationRateLimitExceeded');
    });
    this.scale();
    return waited;
  }

  /** Stops idle environments now and the others when they finish; the pool takes no more work. */
  retire(): void {
    this.retired = true;
    this.scaler?.stop();
    for (const env of [...this.envs]) {
      env.retiring = true;
      if (env.currentState === 'idle') env.stop();
    }
    this.emptied();
  }

  /** Stops every environment at once; resolves when their processes have exited. */
  async stopAll(reason?: string): Promise<void> {
    this.retired = true;
    this.scaler?.stop();
    this.waiters.failAll(Errors.service('The server is shutting down.'));
    const envs = [...this.envs];
    for (const env of envs) env.stop(reason);
    await Promise.all(envs.map((e) => e.exited));
  }

  /** The on-demand environment idle the longest, with when it went idle: the first to stop for room. */
  longestIdle(): { env: Environment; since: number } | undefined {
    const env = this.idle.find((e) => !e.provisioned && e.currentState === 'idle');
    return env ? { env, since: this.idleSince.get(env) ?? 0 } : undefined;
  }

  private takeAvailable(): Environment | undefined {
    if (this.concurrency) return this.leastBusy();
    while (this.idle.length > 0) {
      const env = this.idle.pop()!;
      if (this.tooOld(env)) {
        env.stop();
        continue;
      }
      if (env.available) {
        this.reaper.forget(env);
        return env;
      }
    }
    // None idle: one that has answered and is about to ask for the next event is nearly as good.
    for (const env of this.envs) if (env.available && !this.tooOld(env)) return env;
    return undefined;
  }

  /** Multi-concurrency: the environment with room that runs the fewest invocations (of equals, the one picked longest ago). */
  private leastBusy(): Environment | undefined {
    let best: Environment | undefined;
    for (const env of this.envs) if (env.available && !this.tooOld(env) && (!best || env.inFlight < best.inFlight)) best = env;
    if (!best) return undefined;
    this.leaveIdle(best);
    this.envs.delete(best);
    this.envs.add(best);
    return best;
  }

  private leaveIdle(env: Environment): void {
    this.reaper.forget(env);
    this.idle = this.idle.filter((e) => e !== env);
  }

  /** The CPU scaler of a multi-concurrency pool, made on its first ready environment. */
  private cpuScaler(c: PoolConcurrency): CpuScaler<Environment> {
    const pool = this;
    this.scaler ??= new CpuScaler<Environment>(
      {
        ready: () => [...this.envs].filter((e) => !e.retiring && (e.currentState === 'idle' || e.currentState === 'busy')),
        get starting() {
          return pool.queuedStarts + pool.initialising;
        },
        get perEnvironment() {
          return pool.concurrency?.perEnvironment ?? c.perEnvironment;
        },
        get maxEnvironments() {
          return pool.concurrency?.maxEnvironments ?? c.maxEnvironments;
        },
        startAhead: () => {
          if (this.retired) return;
          this.queuedStarts++;
          void this.startOnDemand(true);
        },
        retire: (env) => {
          env.retiring = true;
          if (env.inFlight === 0) env.stop();
        },
      },
      (e) => groupCpuMs(e.pid),
      this.deps.clock,
    );
    return this.scaler;
  }

  /**
   * Asks for one new environment per waiting invocation that no start in progress will serve (per
   * `perEnvironment` of them for a multi-concurrency function, within its environment limit).
   */
  private scale(): void {
    const c = this.concurrency;
    while (this.waiters.length > (this.queuedStarts + this.initialising) * (c?.perEnvironment ?? 1)) {
      if (c && this.environmentsCounted() >= c.maxEnvironments) return;
      this.queuedStarts++;
      void this.startOnDemand();
    }
  }

  /** Environments alive or on their way (a start asked for or initialising counts once). */
  private environmentsCounted(): number {
    let ready = 0;
    for (const e of this.envs) if (e.currentState !== 'starting' && e.currentState !== 'dead') ready++;
    return ready + this.queuedStarts + this.initialising;
  }

  /** Every environment full, the starts in progress spoken for, and no more may start. */
  private atCapacity(c: PoolConcurrency): boolean {
    return this.waiters.length >= (this.queuedStarts + this.initialising) * c.perEnvironment && this.environmentsCounted() >= c.maxEnvironments;
  }

  /** `ahead`: asked by the CPU scaler, needed whether or not invocations wait. */
  private async startOnDemand(ahead = false): Promise<void> {
    const permit = await this.deps.gate.acquire(ahead ? 'background' : 'invoke').granted;
    this.queuedStarts--;
    // Served meanwhile by environments that became free: the start is not needed.
    if (!ahead && this.waiters.length <= this.initialising * (this.concurrency?.perEnvironment ?? 1)) {
      permit.ended();
      return;
    }
    this.initialising++;
    let env: Environment | undefined;
    try {
      env = await this.launch(permit, false);
    } catch (err) {
      this.initialising--;
      permit.ended();
      // The function cannot start at all (its runtime is missing, its code is lost): say so to one waiter.
      this.waiters.failNext(err instanceof AwsError ? err : Errors.service());
      this.emptied();
      this.scale();
      return;
    }
    void env.initialisedOk.then(() => {
      this.initialising--;
      this.scale();
    });
  }

  private startProvisionedTracked(): Promise<Environment | undefined> {
    const start = this.startProvisioned();
    this.provisionedStarts.add(start);
    const drop = () => void this.provisionedStarts.delete(start);
    start.then(drop, drop);
    return start;
  }

  private async startProvisioned(): Promise<Environment | undefined> {
    // A multi-concurrency pool's invocations wait for its kept environments instead of starting others.
    const counted = this.concurrency !== undefined;
    this.provisionedStarting++;
    if (counted) this.queuedStarts++;
    const permit = await this.deps.gate.acquire('invoke').granted;
    if (counted) {
      this.queuedStarts--;
      this.initialising++;
    }
    let env: Environment;
    try {
      env = await this.launch(permit, true);
    } catch (err) {
      if (counted) this.initialising--;
      permit.ended();
      throw err;
    } finally {
      this.provisionedStarting--;
    }
    if (counted) {
      void env.initialisedOk.then(() => {
        this.initialising--;
        this.scale();
      });
    }
    // The target went down while it started: it is one too many.
    if (this.retired || this.keptCount() > this.provisionedTarget) this.release(env);
    return env;
  }

  /** Starts one environment (on a pre-started runtime when one is ready) under a granted permit. */
  private async launch(permit: StartPermit, provisioned: boolean): Promise<Environment> {
    this.spec ??= this.prepare();
    this.spec.catch(() => (this.spec = undefined));
    const spec = await this.spec;
    const plan = await spec.prepareLaunch();
    const deps = { ...this.deps, onIdle: (e: Environment) => this.onIdle(e), onDead: (e: Environment) => this.onDead(e) };
    const zygote = spec.zygote && this.deps.zygotes?.take(spec.zygote);
    const env = (zygote && (await adoptPreStarted(zygote, spec, plan, deps, provisioned))) || (await startEnvironment(spec, plan, deps, provisioned));
    this.envs.add(env);
    void env.initialisedOk.then(() => permit.initialised());
    void env.exited.then(() => permit.ended());
    this.unsettled.set(env, permit);
    return env;
  }

  private tooOld(env: Environment): boolean {
    return this.deps.clock.monotonic() - env.startedAt >= this.deps.maxEnvironmentAgeMs;
  }

  /** An environment idle with nothing in flight, its first invocations answered, lets background starts go (StartPermit.settled). */
  private settled(env: Environment): void {
    this.unsettled.get(env)?.settled();
    this.unsettled.delete(env);
  }

  private onIdle(env: Environment): void {
    if (env.concurrent) return this.onRoom(env);
    // A provisioned environment retired for its age is replaced (onDead), as Lambda keeps the allocation.
    if (this.tooOld(env)) {
      env.stop();
      return;
    }
    if (this.waiters.serveNext((req) => env.invoke(req))) return;
    this.settled(env);
    if (this.retired) {
      env.stop();
      return;
    }
    this.idle.push(env);
    this.idleSince.set(env, this.deps.clock.monotonic());
    if (env.provisioned) return this.reaper.forget(env);
    this.reaper.watch(env);
    this.deps.gate.idleAppeared();
  }

  /** A multi-concurrency environment initialised or finished an invocation: it takes waiting ones first. */
  private onRoom(env: Environment): void {
    if (this.tooOld(env)) env.retiring = true;
    if (this.concurrency && !this.retired) this.cpuScaler(this.concurrency).ensureRunning();
    while (env.available && this.waiters.serveNext((req) => env.invoke(req)));
    if ((this.retired || env.retiring) && env.inFlight === 0) {
      env.stop();
      return;
    }
    this.leaveIdle(env);
    if (env.inFlight > 0) return;
    this.settled(env);
    this.idle.push(env);
    this.idleSince.set(env, this.deps.clock.monotonic());
    if (env.provisioned) return;
    this.reaper.watch(env);
    this.deps.gate.idleAppeared();
  }

  private onDead(env: Environment): void {
    this.settled(env);
    if (!this.envs.delete(env)) return;
    this.reaper.forget(env);
    this.idleSince.delete(env);
    this.idle = this.idle.filter((e) => e !== env);
    // A cold start that failed answers the invocation waiting longest, as on Lambda (a multi-concurrency
    // pool's waiters wait for its kept environments too).
    if (env.failedInit && (!env.provisioned || this.concurrency)) {
      this.waiters.serveNext((req) => env.answerInitFailure(req));
    }
    this.emptied();
    // A provisioned environment lost to a timeout or crash is replaced, as Lambda keeps the allocation;
    // one whose init failed is not, or a function that cannot start would restart forever.
    // (Retired for its age or lost, alike: the count says whether it is still wanted.)
    if (env.provisioned && !env.failedInit && !this.retired && this.keptCount() + this.provisionedStarting < this.provisionedTarget) {
      this.startProvisionedTracked().catch(() => undefined);
    }
  }

  /** A retired pool with nothing left running or waiting leaves the registry. */
  private emptied(): void {
    if (this.retired && this.envs.size === 0 && this.waiters.length === 0) this.onEmpty(this);
  }
}
