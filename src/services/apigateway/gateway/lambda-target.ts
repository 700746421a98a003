/**
 * Calling a function from API Gateway: the integration's URI
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`, stage
 * variables allowed in it) names the function; the invocation goes through the Invoker as function
 * URLs' do, bounded by the integration's timeout.
 */
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import { parseFunctionRef, type Account, type FunctionRef } from '../../../wire/arn.js';
import { Gateway, GatewayResponse } from './responses.js';

const FUNCTION_URI = /^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** The function a Lambda URI names, after `${stageVariables.x}` is replaced; a URI naming none is a 500. */
export function functionOfUri(account: Account, uri: string | undefined, stageVariables: Record<string, string>): FunctionRef {
  const resolved = (uri ?? '').replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stageVariables[name] ?? '');
  const arn = FUNCTION_URI.exec(resolved)?.[1];
  if (arn === undefined) throw Gateway.internal();
  try {
    return parseFunctionRef(account, arn);
  } catch {
    throw Gateway.internal();
  }
}

export type LambdaOutcome = { ok: true; payload: Buffer } | { ok: false; payload: Buffer; errorType: string };

export interface LambdaCaller {
  /** The function's answer; throws a gateway response if it cannot be had in time (504) or at all (500). */
  call(ref: FunctionRef, event: unknown, requestId: string, timeoutMs: number): Promise<LambdaOutcome>;
}

/** Integration timeouts run on `timers` (real time unless a test says otherwise), not on the usage clock. */
export function invokerCaller(invoker: Invoker, timers: Clock): LambdaCaller {
  return {
    async call(ref, event, requestId, timeoutMs) {
      let target;
      try {
        target = await invoker.resolve(ref);
      } catch {
        // No such function, or not ready: API Gateway reports its own internal error.
        throw Gateway.internal();
      }
      let timer: { cancel(): void } | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = timers.setTimeout(() => reject(Gateway.timeout()), timeoutMs);
      });
      try {
        const result = await Promise.race([invoker.invoke(target, Buffer.from(JSON.stringify(event)), { requestId }), timeout]);
        const outcome = result.outcome;
        return outcome.ok ? { ok: true, payload: outcome.payload } : { ok: false, payload: outcome.payload, errorType: outcome.errorType };
      } catch (err) {
        if (err instanceof GatewayResponse) throw err;
        // Throttled or refused by Lambda: API Gateway's own 500.
        throw Gateway.internal();
      } finally {
        timer?.cancel();
      }
    },
  };
}
