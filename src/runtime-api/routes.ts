/**
 * The whole Runtime API (2018-06-01) surface in one table. Each route parses its request and calls
 * the environment; rendering of answers lives in ./rendering.ts.
 */
import type { BodyStream, Http1Request } from './http1.js';
import { type ApiAnswer, answers } from './rendering.js';

/** What the environment behind one AWS_LAMBDA_RUNTIME_API address does with each call. */
export interface RuntimeApiHandler {
  /**
   * Long poll: `deliver` is called once an event is ready for this environment; it returns false
   * if the runtime's connection is gone, and the event stays with the environment. An answer
   * returned instead ends the poll at once (500 when the environment is going away).
   */
  next(deliver: (headers: string, body: Buffer) => boolean): ApiAnswer | undefined;
  /** The connection of a poll still open closed: its `deliver` will not be called (several polls per environment). */
  withdraw?(deliver: (headers: string, body: Buffer) => boolean): void;
  response(requestId: string, body: Buffer, oversized: boolean): ApiAnswer;
  error(requestId: string, errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer;
  initError(errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer;
  /**
   * A response streamed as the function writes it (`Lambda-Runtime-Function-Response-Mode:
   * streaming`): where its body goes, or the answer refusing it (its body is then read and dropped).
   */
  responseStream(requestId: string, contentType: string | undefined): BodyStream | ApiAnswer;
  /** The streamed body ended; its trailers carry an error the function raised mid-stream. */
  responseStreamEnd(requestId: string, trailers: ReadonlyMap<string, string> | undefined): ApiAnswer;
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
  if (m[2] === 'response' && req.streamed) return { kind: 'answer', answer: refusedStreams.get(req) ?? h.responseStreamEnd(id, req.trailers) };
  const answer =
    m[2] === 'response'
      ? h.response(id, req.body, req.oversized)
      : h.error(id, req.headers.get('lambda-runtime-function-error-type'), req.body, req.oversized);
  return { kind: 'answer', answer };
}

/** Streams refused when they began, answered once their (dropped) body has been read. */
const refusedStreams = new WeakMap<Http1Request, ApiAnswer>();
const DROP: BodyStream = { chunk: () => undefined, abort: () => undefined };

/** Offered each chunked request as its head arrives: a streamed response's body goes to the environment. */
export function streamBody(req: Http1Request, h: RuntimeApiHandler): BodyStream | undefined {
  if (req.method !== 'POST' || req.headers.get('lambda-runtime-function-response-mode')?.toLowerCase() !== 'streaming') return undefined;
  const path = req.path.split('?')[0]!;
  const m = /^invocation\/([^/]+)\/response$/.exec(path.startsWith(PREFIX) ? path.slice(PREFIX.length) : '');
  if (!m) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  if (!REQUEST_ID.test(id)) return undefined;
  const taken = h.responseStream(id, req.headers.get('content-type'));
  if ('chunk' in taken) return taken;
  refusedStreams.set(req, taken);
  return DROP;
}
