/** What a service gives the router: its models (one per protocol it speaks) and a handler per operation. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Principal } from '../security/authenticator.js';
import type { ServiceModel } from '../wire/model.js';
import type { Input, ResponseParts } from '../wire/protocols/protocol.js';

export type { Input };

export interface RequestContext {
  requestId: string;
  principal: Principal;
  /** The caller's X-Amzn-Trace-Id (the SDK inside a function sends its own): traces continue through the call. */
  traceHeader?: string;
  /** Set when the request runs on this node, never sent to another: a peer forwarded it here, or the server calls itself. */
  runHere?: boolean;
}

/** Takes the decoded, validated input; returns the output, JSON-ready (timestamps in epoch seconds). */
export type OperationHandler = (input: Input, ctx: RequestContext) => Promise<Input>;

/** A handler per operation, each taking its operation's input as typed in `src/wire/inputs/` (I: e.g. `LambdaInputs`). */
export type TypedHandlers<I> = { [K in keyof I]?: (input: I[K], ctx: RequestContext) => Promise<Input> };

/**
 * The handlers as the router holds them. The router decodes every input and checks it against its
 * operation's shape in the model (required members, types, enums) before it calls a handler, and the
 * input types are generated from those same shapes: this is the one place that relies on it.
 */
export function typedHandlers<I>(handlers: TypedHandlers<I>): Record<string, OperationHandler> {
  return handlers as unknown as Record<string, OperationHandler>;
}

/**
 * What browsers send a service that its model does not describe (S3's CORS preflights and POST form
 * uploads), and the CORS headers of its answers. Errors thrown are rendered by the service's protocol.
 */
export interface BrowserRoutes {
  /** Whether an unsigned request is one of these (only asked of requests no signature claims). */
  claims(method: string, path: string, headers: IncomingHttpHeaders): boolean;
  serve(req: IncomingMessage, target: { method: string; path: string; query: string }, requestId: string): Promise<ResponseParts>;
  /** Headers for the answer to a request with an `Origin` (none when no rule allows it). */
  crossOrigin(method: string, path: string, headers: IncomingHttpHeaders): Promise<Record<string, string>>;
}

export interface ServiceBinding {
  /** The service's model for each protocol it is served over (SQS: JSON, and query for older clients). */
  models: readonly ServiceModel[];
  /** Operations of the models without a handler answer 501 NotImplemented. */
  handlers: Readonly<Record<string, OperationHandler>>;
  browser?: BrowserRoutes;
}
