/**
 * How invocations end when the platform ends them (timeouts, exits, oversized answers) and how a
 * runtime's posted error becomes the caller's error body: Lambda's error types and wording.
 */
import { z } from 'zod';
import { platformError, type InvocationOutcome } from '../domain/invocation.js';

/** Error bodies a runtime posts; anything else is replaced by Lambda's generic wording. */
const ErrorBodySchema = z.looseObject({ errorType: z.string().optional(), errorMessage: z.string().optional() });

export const outcomes = {
  timedOut: (requestId: string, secs: string): InvocationOutcome => ({
    ok: false,
    errorType: 'Sandbox.Timedout',
    payload: platformError('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${secs} seconds`),
    status: 'timeout',
  }),
  initTimedOut: (requestId: string, secs: string): InvocationOutcome => ({
    ok: false,
    errorType: 'Sandbox.Timedout',
    payload: platformError('Sandbox.Timedout', `RequestId: ${requestId} Error: INIT phase timed out after ${secs} seconds`),
    status: 'timeout',
  }),
  /** The runtime's process ended; `outOfMemory` when the memory limit ended it. */
  exited: (requestId: string, how: string, outOfMemory: boolean): InvocationOutcome => {
    const errorType = outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
    return { ok: false, errorType, payload: platformError(errorType, `RequestId: ${requestId} Error: Runtime exited with error: ${how}`), status: 'error' };
  },
  responseTooLarge: (): InvocationOutcome => ({
    ok: false,
    errorType: 'Function.ResponseSizeTooLarge',
    payload: platformError('Function.ResponseSizeTooLarge', 'Response payload size exceeded maximum allowed payload size (6291556 bytes).'),
  }),
};

export function errorBody(headerType: string | undefined, body: Buffer): { errorType: string; payload: Buffer } {
  let parsed: z.infer<typeof ErrorBodySchema> | undefined;
  try {
    const r = ErrorBodySchema.safeParse(JSON.parse(body.toString('utf8')));
    if (r.success) parsed = r.data;
  } catch {
    parsed = undefined;
  }
  if (parsed) return { errorType: parsed.errorType ?? headerType ?? 'Unhandled', payload: body };
  const errorType = headerType && /^[\w.]{1,128}$/.test(headerType) ? headerType : 'Unhandled';
  return { errorType, payload: platformError(errorType, 'Unknown application error occurred') };
}
