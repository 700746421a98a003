/** Invoke: RequestResponse, Event and DryRun, with the Tail log and Lambda's error headers. */
import { tailOf } from '../../../environments/invocation-log.js';
import type { AsyncInvocations } from '../../../async/async-invocations.js';
import { checkTenant, type Invoker, type ResolvedInvocation } from '../../../invoke/invoker.js';
import { streamedInvocation } from './invoke-stream.js';
import { parseFunctionRef, withQualifier, type Account } from '../../../wire/arn.js';
import { Errors, MAX_ASYNC_PAYLOAD, MAX_SYNC_PAYLOAD } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';
import { ForwardTo } from '../../../fleet/forwarding.js';
import type { Placement } from '../../../fleet/placement.js';

/**
 * `placement` is set on a node of a fleet: a RequestResponse or streamed invoke this node should not
 * run goes to another, once (a forwarded request is run where it arrives). An Event invoke is never
 * forwarded: it is stored in the shared store, and whichever node's dispatcher claims it runs it under
 * the fleet-wide concurrency counts.
 */
export function invokeHandlers(invoker: Invoker, asyncEvents: AsyncInvocations, account: Account, placement?: Placement): Record<string, OperationHandler> {
  return typedHandlers<LambdaInputs>({
    /** The deprecated asynchronous invoke, still used by old clients: an Event invoke answering 202. */
    async InvokeAsync(i, ctx) {
      const payload = i.InvokeArgs ?? Buffer.alloc(0);
      if (payload.length > MAX_ASYNC_PAYLOAD) throw Errors.requestTooLarge(MAX_ASYNC_PAYLOAD, 'InvokeAsync');
      checkJson(payload);
      const target = await invoker.resolve(parseFunctionRef(account, i.FunctionName));
      await asyncEvents.submit(target, payload, ctx.requestId, ctx.traceHeader === undefined ? {} : { traceHeader: ctx.traceHeader });
      return { Status: 202 };
    },

    async Invoke(i, ctx) {
      const payload = i.Payload ?? Buffer.alloc(0);
      const type = i.InvocationType ?? 'RequestResponse';
      const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
      if (payload.length > limit) throw Errors.requestTooLarge(limit, 'InvokeFunction');
      checkJson(payload);
      const clientContext = i.ClientContext === undefined ? undefined : decodeClientContext(i.ClientContext);
      const target = await invoker.resolve(withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier));
      checkTenant(target, i.TenantId);
      const tenant = {
        ...(i.TenantId === undefined ? {} : { tenantId: i.TenantId }),
        ...(ctx.traceHeader === undefined ? {} : { traceHeader: ctx.traceHeader }),
      };

      if (type === 'DryRun') return { StatusCode: 204 };
      if (type === 'Event') {
        // Stored durably before 202; the API request id becomes the event's request id.
        await asyncEvents.submit(target, payload, ctx.requestId, tenant);
        return { StatusCode: 202 };
      }
      const away = placement === undefined ? undefined : elsewhere(placement, target, i.TenantId, ctx.runHere);
      if (away !== undefined) return away;
      // As on Lambda, the API request id is the invocation's request id (context.awsRequestId).
      const result = await invoker.invoke(target, payload, { requestId: ctx.requestId, ...tenant, ...(clientContext === undefined ? {} : { clientContext }) });
      return {
        StatusCode: 200,
        ExecutedVersion: target.version,
        FunctionError: result.outcome.ok ? undefined : 'Unhandled',
        LogResult: i.LogType === 'Tail' ? tailOf((await result.closed).log) : undefined,
        Payload: result.outcome.payload,
      };
    },

    async InvokeWithResponseStream(i, ctx) {
      const payload = i.Payload ?? Buffer.alloc(0);
      if (payload.length > MAX_SYNC_PAYLOAD) throw Errors.requestTooLarge(MAX_SYNC_PAYLOAD, 'InvokeWithResponseStream');
      checkJson(payload);
      const clientContext = i.ClientContext === undefined ? undefined : decodeClientContext(i.ClientContext);
      const target = await invoker.resolve(withQualifier(parseFunctionRef(account, i.FunctionName), i.Qualifier));
      checkTenant(target, i.TenantId);
      if (i.InvocationType === 'DryRun') return { StatusCode: 204 };
      const away = placement === undefined ? undefined : elsewhere(placement, target, i.TenantId, ctx.runHere);
      if (away !== undefined) return away;
      const streamed = streamedInvocation();
      const run = invoker.invoke(target, payload, {
        requestId: ctx.requestId,
        responseSink: streamed.sink,
        ...(i.TenantId === undefined ? {} : { tenantId: i.TenantId }),
        ...(ctx.traceHeader === undefined ? {} : { traceHeader: ctx.traceHeader }),
        ...(clientContext === undefined ? {} : { clientContext }),
      });
      run.then(
        async (result) => streamed.complete(result.outcome, i.LogType === 'Tail' ? (await result.closed).log : undefined),
        (err: unknown) => streamed.abort(err instanceof Error ? err : new Error(String(err))),
      );
      // Until the function streams, a failure (throttled, not found) is still an HTTP error.
      await Promise.race([streamed.ready, run]);
      return { StatusCode: 200, ExecutedVersion: target.version, EventStream: streamed.events };
    },
  });
}

/** The node this invocation should go to, or undefined to run it here; a tenant's environments stay on the node it reached. */
function elsewhere(placement: Placement, target: ResolvedInvocation, tenantId: string | undefined, runHere: boolean | undefined): Record<string, unknown> | undefined {
  if (runHere === true || tenantId !== undefined) return undefined;
  const node = placement.elsewhere(target.fn.name, target.version);
  return node === undefined ? undefined : (new ForwardTo(node) as unknown as Record<string, unknown>);
}

function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw Errors.invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
  }
}

/** X-Amz-Client-Context is base64 JSON; the runtime receives the decoded JSON. */
function decodeClientContext(b64: string): string {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && text.length <= 3583) return JSON.stringify(parsed);
  } catch {
    // fall through
  }
  throw Errors.invalidParameter('Client context must be a valid Base64-encoded JSON object.');
}
