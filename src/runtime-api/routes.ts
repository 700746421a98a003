/**
 * The whole Runtime API (2018-06-01) surface in one table. Each route parses its request and calls
 * the environment; rendering of answers lives in ./rendering.ts.
 */
import type { Http1Request } from './http1.js';
import { type ApiAnswer, answers } from './rendering.js';

/** What the environment behind one AWS_LAMBDA_RUNTIME_API address does with each call. */
export interface RuntimeApiHandler {
  /**
   * Long poll: `deliver` is called once an event is ready for this environment; it returns false
   * if the runtime's connection is gone, and the event stays with the environment. An answer
   * returned instead ends the poll at once (500 when the environment is going away).
   */
  next(deliver: (headers: string, body: Buffer) => boolean): ApiAnswer | undefined;
  response(requestId: string, body: Buffer, oversized: boolean): ApiAnswer;
  error(requestId: string, errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer;
  initError(errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer;
  /**
   * Selfless's extension for pre-started runtimes: a generic runtime long-polls here for the
   * function it is to become (its environment variables), then proceeds as any runtime does.
   */
  assignment?(deliver: (headers: string, body: Buffer) => boolean): ApiAnswer | undefined;
}

/** Not under /2018-06-01: no Lambda runtime asks for it unless Selfless started it as a zygote. */
export const ASSIGNMENT_PATH = '/selfless/2026-11-25/assignment';

const PREFIX = '/2018-06-01/runtime/';
const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

export type Routed = { kind: 'answer'; answer: ApiAnswer } | { kind: 'next' } | { kind: 'assignment' };

export function route(req: Http1Request, h: RuntimeApiHandler): Routed {
  const path = req.path.split('?')[0]!;
  if (path === ASSIGNMENT_PATH && req.method === 'GET' && h.assignment) return { kind: 'assignment' };
  if (!path.startsWith(PREFIX)) return { kind: 'answer', answer: answers.notFound() };
  const rest = path.slice(PREFIX.length);
  if (rest === 'invocation/next') {
    return req.method === 'GET' ? { kind: 'next' } : { kind: 'answer', answer: answers.methodNotAllowed() };
  }
  if (rest === 'init/error') {
    if (req.method !== 'POST') return { kind: 'answer', answer: answers.methodNotAllowed() };
    return { kind: 'answer', answer: h.initError(req.headers.get('lambda-runtime-function-error-type'), req.body, req.oversized) };
  }
  const m = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
  if (!m) return { kind: 'answer', answer: answers.notFound() };
  if (req.method !== 'POST') return { kind: 'answer', answer: answers.methodNotAllowed() };
  const id = decodeURIComponent(m[1]!);
  if (!REQUEST_ID.test(id)) return { kind: 'answer', answer: answers.invalidRequestId() };
  const answer =
    m[2] === 'response'
      ? h.response(id, req.body, req.oversized)
      : h.error(id, req.headers.get('lambda-runtime-function-error-type'), req.body, req.oversized);
  return { kind: 'answer', answer };
}
