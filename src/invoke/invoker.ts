/**
 * The invoke pipeline: resolve the function and qualifier, check payload and state, take a
 * concurrency slot, run the event in a warm or new environment, give the slot back.
 */
import { randomBytes } from 'node:crypto';
import { LATEST, type FunctionRecord } from '../domain/function.js';
import type { InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { PoolRegistry } from '../environments/registry.js';
import type { FunctionService } from '../functions/function-service.js';
import type { Clock } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { FunctionRef } from '../wire/arn.js';
import { Errors, MAX_SYNC_PAYLOAD } from '../wire/errors.js';
import type { ConcurrencyLimiter } from './concurrency.js';

export interface SyncInvokeOptions {
  clientContext?: string;
  requestId?: string;
}

export interface ResolvedInvocation {
  fn: FunctionRecord;
  version: string;
  invokedArn: string;
}

export class Invoker {
  private stopping = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly functions: FunctionService,
    private readonly pools: PoolRegistry,
    private readonly concurrency: ConcurrencyLimiter,
    private readonly clock: Clock,
  ) {}

  /** Finds what a (possibly qualified) function name points at, ready to run. */
  async resolve(ref: FunctionRef): Promise<ResolvedInvocation> {
    const fn = await this.functions.get(ref.name);
    if (ref.qualifier !== undefined && ref.qualifier !== LATEST) {
      throw Errors.functionNotFound(this.functions.arn(ref.name, ref.qualifier));
    }
    if (fn.state !== 'Active') {
      throw Errors.resourceConflict(`The operation cannot be performed at this time. The function is currently in the following state: ${fn.state}`);
    }
    const invokedArn = this.functions.arn(ref.name, ref.qualifier);
    return { fn, version: LATEST, invokedArn };
  }

  async invoke(target: ResolvedInvocation, payload: Buffer, opts: SyncInvokeOptions = {}): Promise<InvocationResult & { requestId: string }> {
    if (this.stopping) throw Errors.service('The server is shutting down.');
    if (payload.length > MAX_SYNC_PAYLOAD) throw Errors.requestTooLarge(MAX_SYNC_PAYLOAD, 'InvokeFunction');
    const lease = this.concurrency.acquire(target.fn.name, target.fn.reservedConcurrency);
    const req: InvocationRequest = {
      requestId: opts.requestId ?? newRequestId(),
      payload: payload.length === 0 ? Buffer.from('{}') : payload,
      invokedFunctionArn: target.invokedArn,
      version: target.version,
      traceId: traceId(this.clock.now()),
      ...(opts.clientContext !== undefined ? { clientContext: opts.clientContext } : {}),
    };
    const run = this.pools.pool(target.fn).run(req);
    this.inFlight.add(run);
    try {
      return { ...(await run), requestId: req.requestId };
    } finally {
      this.inFlight.delete(run);
      lease.release();
    }
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

/** An X-Ray trace header for an invocation that arrived without one. */
function traceId(nowMs: number): string {
  const epoch = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
