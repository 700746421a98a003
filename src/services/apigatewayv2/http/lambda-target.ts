/**
 * The function an integration or authorizer URI names: a function ARN, or API Gateway's
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`, with
 * `${stageVariables.x}` replaced by the stage's values.
 */
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import { parseFunctionRef, type Account, type FunctionRef } from '../../../wire/arn.js';
import { isThrottled } from '../../../wire/errors.js';

export function functionOfUri(uri: string, account: Account, stageVariables: Record<string, string>): FunctionRef {
  const resolved = uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => stageVariables[name] ?? '');
  const m = /^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/[0-9-]+\/functions\/(.+)\/invocations$/.exec(resolved);
  return parseFunctionRef(account, m ? m[1]! : resolved);
}

export type InvokeOutcome = { kind: 'ok'; payload: Buffer } | { kind: 'failed'; errorMessage?: string } | { kind: 'throttled' } | { kind: 'timeout' } | { kind: 'missing' };

/** Invokes synchronously through the invoker function URLs use; gives up waiting after `timeoutMs`. */
export async function invokeWithin(invoker: Invoker, clock: Clock, ref: FunctionRef, event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<InvokeOutcome>((resolve) => {
    timer = clock.setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  const run = (async (): Promise<InvokeOutcome> => {
    let target;
    try {
      target = await invoker.resolve(ref);
    } catch {
      return { kind: 'missing' };
    }
    try {
      // The function gets a Lambda request id of its own, as behind API Gateway.
      const result = await invoker.invoke(target, Buffer.from(JSON.stringify(event)));
      if (result.outcome.ok) return { kind: 'ok', payload: result.outcome.payload };
      return { kind: 'failed', errorMessage: errorMessageOf(result.outcome.payload) };
    } catch (err) {
      return isThrottled(err) ? { kind: 'throttled' } : { kind: 'failed' };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    timer?.cancel();
  }
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    const m = (JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown }).errorMessage;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}
