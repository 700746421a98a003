/**
 * The invoke pipeline: resolve the function and qualifier, check payload and state, take a
 * concurrency slot, run the event in a warm or new environment, give the slot back.
 */
import { LATEST, type FunctionRecord, type RunnableVersion } from '../domain/function.js';
import { classifyQualifier } from '../domain/qualifier.js';
import type { InvocationRequest, InvocationResult, ResponseSink } from '../domain/invocation.js';
import type { PoolRegistry } from '../environments/registry.js';
import type { AliasService } from '../functions/alias-service.js';
import type { FunctionService } from '../functions/function-service.js';
import type { VersionService } from '../functions/version-service.js';
import type { Clock } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { FunctionRef } from '../wire/arn.js';
import { Errors, isThrottled, MAX_SYNC_PAYLOAD } from '../wire/errors.js';
import type { InvocationMetrics } from '../telemetry/metrics.js';
import type { FleetConcurrency, HeldSlot } from '../fleet/fleet-concurrency.js';
import type { FleetPool } from '../fleet/fleet-pool.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import { RECURSION_LIMIT, Tracer } from './tracing.js';

/** How long a version's scaling config, once read, bounds its environments before it is read again. */
const SCALING_READ_EVERY_MS = 5_000;

export interface SyncInvokeOptions {
  clientContext?: string;
  requestId?: string;
  /** Required by, and only accepted for, tenant-isolated functions. */
  tenantId?: string;
  /** The trace to continue: the caller's X-Amzn-Trace-Id, an event's or a message's. */
  traceHeader?: string;
  /**
   * Set for events that reach the function through a service (asynchronous invokes, queues): a
   * function met more than RECURSION_LIMIT times along one trace is stopped, as Lambda stops loops.
   */
  stopRecursion?: boolean;
  /** Takes a streamed response as the function writes it (InvokeWithResponseStream, streaming URLs). */
  responseSink?: ResponseSink;
}

export interface ResolvedInvocation {
  fn: FunctionRecord;
  /** The version that runs: for an alias, the one its routing weights picked for this invocation. */
  version: string;
  run: RunnableVersion;
  invokedArn: string;
  /** Set when the function was invoked through an alias. */
  alias?: string;
}

export class Invoker {
  private stopping = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Set on a node of a fleet sharing its store: reserved concurrency is counted there, across nodes. */
  private fleetSlots: FleetConcurrency | undefined;
  /** Set with it: the account's unreserved pool is leased in blocks from the store (see fleet/fleet-pool.ts). */
  private fleetPool: FleetPool | undefined;

  constructor(
    private readonly functions: FunctionService,
    private readonly versions: VersionService,
    private readonly aliases: AliasService,
    private readonly pools: PoolRegistry,
    private readonly concurrency: ConcurrencyLimiter,
    private readonly clock: Clock,
    private readonly metrics?: InvocationMetrics,
    private readonly tracer = new Tracer(clock),
  ) {}

  /**
   * Finds what a (possibly qualified) function name points at, ready to run: $LATEST, a published
   * version, or an alias, whose routing weights pick the version for this invocation.
   */
  async resolve(ref: FunctionRef): Promise<ResolvedInvocation> {
    const fn = await this.functions.get(ref.name);
    const invokedArn = this.functions.arn(ref.name, ref.qualifier);
    const q = classifyQualifier(ref.qualifier);
    let version = LATEST;
    let alias: string | undefined;
    if (q.kind === 'version') version = q.version;
    else if (q.kind === 'alias') {
      const a = await this.aliases.get(ref.name, q.alias).catch(() => {
        throw Errors.functionNotFound(invokedArn);
      });
      version = this.aliases.pick(a);
      alias = q.alias;
    }
    // A function on a capacity provider runs only as a published version: unqualified, its
    // `$LATEST.PUBLISHED` (NoPublishedVersionException while there is none); `$LATEST` named is refused.
    if (version === LATEST && fn.config.managedInstances) {
      if (ref.qualifier === LATEST) {
        throw Errors.invalidParameter('The $LATEST version of a function with a capacity provider cannot be invoked: invoke a published version, an alias or $LATEST.PUBLISHED.');
      }
      const run = ready(await this.versions.runnable(ref.name, version));
      return { fn, version: run.version, run, invokedArn, ...(alias !== undefined ? { alias } : {}) };
    }
    if (version === LATEST && fn.state !== 'Active') {
      throw Errors.notActive(fn.state);
    }
    const run = ready(await this.versions.runnable(ref.name, version));
    return { fn, version, run, invokedArn, ...(alias !== undefined ? { alias } : {}) };
  }

  async invoke(target: ResolvedInvocation, payload: Buffer, opts: SyncInvokeOptions = {}): Promise<InvocationResult & { requestId: string }> {
    if (this.stopping) throw Errors.service('The server is shutting down.');
    if (payload.length > MAX_SYNC_PAYLOAD) throw Errors.requestTooLarge(MAX_SYNC_PAYLOAD, 'InvokeFunction');
    checkTenant(target, opts.tenantId);
    const trace = this.tracer.forInvocation(target.invokedArn, target.run.config.tracing, opts.traceHeader);
    if (opts.stopRecursion && trace.depth > RECURSION_LIMIT && target.fn.recursiveLoop === 'Terminate') {
      throw Errors.recursiveInvocation(this.functions.arn(target.fn.name));
    }
    const dims = { functionName: target.fn.name, version: target.version, alias: target.alias };
    let lease;
    let slot: HeldSlot | undefined;
    try {
      const reserved = target.fn.reservedConcurrency;
      if (reserved !== null && this.fleetSlots !== undefined) slot = await this.fleetSlots.take(target.fn.name, reserved);
      // Only when this node's share of the pool is used up: one round trip for more.
      if (reserved === null && this.fleetPool !== undefined && !this.concurrency.hasUnreservedRoom()) await this.fleetPool.grow();
      lease = this.concurrency.acquire(target.fn.name, reserved);
    } catch (err) {
      if (slot !== undefined) await slot.release();
      this.metrics?.throttled(dims);
      throw err;
    }
    const concurrent = this.concurrency.inUse(target.fn.name);
    const req: InvocationRequest = {
      requestId: opts.requestId ?? newRequestId(),
      payload: payload.length === 0 ? Buffer.from('{}') : payload,
      invokedFunctionArn: target.invokedArn,
      version: target.version,
      traceId: trace.header,
      ...(opts.clientContext !== undefined ? { clientContext: opts.clientContext } : {}),
      ...(opts.tenantId !== undefined ? { tenantId: opts.tenantId } : {}),
      ...(opts.responseSink !== undefined ? { responseSink: opts.responseSink } : {}),
    };
    const run = this.pools.pool(target.run, opts.tenantId).run(req, {
      timeoutSeconds: target.run.config.timeoutSeconds,
      ...(target.run.config.managedInstances ? { concurrency: await this.environmentsFor(target, target.run.config.managedInstances.perEnvironmentMaxConcurrency) } : {}),
    });
    this.inFlight.add(run);
    try {
      const result = await run;
      const metrics = this.metrics;
      if (metrics !== undefined) void result.closed.then((closed) => metrics.invoked(dims, closed, concurrent));
      // Field by field, not `{ ...result, … }`: on Node.js 20 every object that a spread begins and more properties follow gets a hidden class of its own.
      return { outcome: result.outcome, closed: result.closed, requestId: req.requestId };
    } catch (err) {
      // No environment could take it (all full, or none ready in time).
      if (isThrottled(err)) this.metrics?.throttled(dims);
      throw err;
    } finally {
      this.inFlight.delete(run);
      lease.release();
      // Given back before the answer, so that a caller's next invocation finds it free.
      if (slot !== undefined) await slot.release();
    }
  }

  /** On a node of a fleet: reserved concurrency holds across the nodes (see fleet/fleet-concurrency.ts). */
  holdReservedAcrossFleet(slots: FleetConcurrency): void {
    this.fleetSlots = slots;
  }

  /** On a node of a fleet: the account's unreserved pool holds across the nodes (see fleet/fleet-pool.ts). */
  holdPoolAcrossFleet(pool: FleetPool): void {
    this.fleetPool = pool;
    this.concurrency.drawFrom(pool);
  }

  /**
   * How many environments a managed-instances version may have: whole environments within its
   * reserved concurrency (else within what the account leaves unreserved), and no more than its
   * scaling config's MaxExecutionEnvironments (read at most every few seconds).
   */
  private async environmentsFor(target: ResolvedInvocation, perEnvironment: number): Promise<{ perEnvironment: number; maxEnvironments: number }> {
    const limit = target.fn.reservedConcurrency ?? this.concurrency.unreservedLimit;
    const byConcurrency = Math.max(1, Math.floor(limit / perEnvironment));
    const scaling = await this.scalingOf(target.fn.name, target.run.version);
    return { perEnvironment, maxEnvironments: Math.min(byConcurrency, scaling ?? Infinity) };
  }

  private readonly scaling = new Map<string, { max: number | undefined; until: number }>();

  private async scalingOf(name: string, version: string): Promise<number | undefined> {
    const key = `${name}:${version}`;
    const now = this.clock.now();
    const known = this.scaling.get(key);
    if (known && known.until > now) return known.max;
    const max = (await this.versions.scalingConfig(name, version)).maxEnvironments;
    if (this.scaling.size > 1024) this.scaling.clear();
    this.scaling.set(key, { max, until: now + SCALING_READ_EVERY_MS });
    return max;
  }

  /** Invocations running now (a node's load, in the fleet's view). */
  get running(): number {
    return this.inFlight.size;
  }

  /** Refuses new invocations and waits (up to `graceMs`) for those running to finish. */
  async drain(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.inFlight.size === 0) return;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => this.clock.setTimeout(resolve, graceMs)),
    ]);
  }
}

/** A version still `Pending` (or `Failed`) is refused, as Lambda refuses a function in either state. */
function ready(run: RunnableVersion): RunnableVersion {
  if (run.notReady === undefined) return run;
  throw Errors.notActive(run.notReady);
}

/** A tenant-isolated function runs only for a tenant; any other function never takes one (Lambda's rule). */
export function checkTenant(target: ResolvedInvocation, tenantId: string | undefined): void {
  const isolated = target.run.config.tenantIsolation !== undefined;
  if (isolated && tenantId === undefined) {
    throw Errors.invalidParameter('The function uses tenant isolation mode PER_TENANT: the invocation must specify a tenant ID (X-Amz-Tenant-Id).');
  }
  if (!isolated && tenantId !== undefined) {
    throw Errors.invalidParameter('The function does not use tenant isolation: the invocation must not specify a tenant ID.');
  }
}
