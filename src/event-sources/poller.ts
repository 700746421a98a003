/** One poller per enabled mapping, behind one interface so that other sources (schedules, streams) fit. */
import type { ResolvedInvocation, SyncInvokeOptions } from '../invoke/invoker.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { InvocationResult } from '../domain/invocation.js';
import type { FunctionRef } from '../wire/arn.js';

export interface EventSourcePoller {
  /** Starts polling; returns at once. */
  start(): void;
  /**
   * Stops receiving and starting invocations, hands back what it holds but has not invoked yet,
   * and resolves once the invocations under way have finished and been settled.
   */
  stop(): Promise<void>;
}

/** The part of the invoke pipeline a poller uses. */
export interface PollerInvoker {
  resolve(ref: FunctionRef): Promise<ResolvedInvocation>;
  invoke(target: ResolvedInvocation, payload: Buffer, opts?: SyncInvokeOptions): Promise<InvocationResult & { requestId: string }>;
}

export interface PollerContext {
  invoker: PollerInvoker;
  clock: Clock;
  logger: Logger;
  region: string;
  /** The mapping the poller serves (stream checkpoints are kept under it). */
  mappingUuid: string;
  /** The function's ARN as Lambda writes it in records it sends elsewhere. */
  functionArn(ref: FunctionRef): string;
  /** Lambda's LastProcessingResult: "OK", "PROBLEM: ...". */
  report(result: string): void;
  /** A stream batch goes to the function, its last record `ageMs` old (Lambda's IteratorAge metric). */
  iteratorAge(ageMs: number): void;
}
