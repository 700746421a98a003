/** What a service gives the router: its models (one per protocol it speaks) and a handler per operation. */
import type { Principal } from '../security/authenticator.js';
import type { ServiceModel } from '../wire/model.js';
import type { Input } from '../wire/protocols/protocol.js';

export type { Input };

export interface RequestContext {
  requestId: string;
  principal: Principal;
  /** The caller's X-Amzn-Trace-Id (the SDK inside a function sends its own): traces continue through the call. */
  traceHeader?: string;
}

/** Takes the decoded, validated input; returns the output, JSON-ready (timestamps in epoch seconds). */
export type OperationHandler = (input: Input, ctx: RequestContext) => Promise<Input>;

export interface ServiceBinding {
  /** The service's model for each protocol it is served over (SQS: JSON, and query for older clients). */
  models: readonly ServiceModel[];
  /** Operations of the models without a handler answer 501 NotImplemented. */
  handlers: Readonly<Record<string, OperationHandler>>;
}
