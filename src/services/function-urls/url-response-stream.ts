/**
 * A RESPONSE_STREAM function URL writes the function's stream to the HTTP response as it comes: the
 * first bytes leave before the handler returns. A stream made by `awslambda.HttpResponseStream.from`
 * starts with a JSON prelude (status, headers, cookies) ended by eight NUL bytes.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Exchange } from '../../api/exchange.js';
import type { ResponseSink } from '../../domain/invocation.js';

const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** A prelude is a few headers: past this, what was written is not one. */
const MAX_PRELUDE_BYTES = 64 * 1024;

const PreludeSchema = z.looseObject({
  statusCode: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  cookies: z.array(z.string()).optional(),
});

export interface UrlStream {
  sink: ResponseSink;
  /** Whether the function streamed (else the buffered answer is sent as for a BUFFERED URL). */
  readonly started: boolean;
  /** Ends a streamed answer that the function's end did not (the invocation failed). */
  close(): void;
}

type State =
  | { kind: 'waiting' }
  /** The function's stream begins with an HTTP integration prelude: its bytes so far. */
  | { kind: 'prelude'; parts: Buffer[]; bytes: number }
  | { kind: 'streaming'; body: PassThrough }
  | { kind: 'done' };

export function urlResponseStream(ex: Exchange, requestId: string, extraHeaders: Record<string, string> = {}): UrlStream {
  let state: State = { kind: 'waiting' };
  const open = (status: number, headers: Record<string, string | string[]>): PassThrough => {
    const body = new PassThrough();
    void ex.relay(status, Object.assign({}, extraHeaders, headers, { 'x-amzn-requestid': requestId }), body, false);
    state = { kind: 'streaming', body };
    return body;
  };
  return {
    get started() {
      return state.kind !== 'waiting';
    },
    close() {
      if (state.kind === 'streaming') state.body.end();
      state = { kind: 'done' };
    },
    sink: {
      start(contentType) {
        if (state.kind !== 'waiting') return;
        if (contentType === HTTP_INTEGRATION) state = { kind: 'prelude', parts: [], bytes: 0 };
        else open(200, { 'content-type': contentType });
      },
      chunk(data) {
        if (state.kind === 'streaming') {
          state.body.write(data);
          return;
        }
        if (state.kind !== 'prelude') return;
        state.parts.push(data);
        state.bytes += data.length;
        const all = Buffer.concat(state.parts);
        const end = all.indexOf(DELIMITER);
        if (end < 0 && state.bytes <= MAX_PRELUDE_BYTES) return;
        const parsed = end < 0 ? undefined : PreludeSchema.safeParse(safeJson(all.subarray(0, end).toString('utf8')));
        if (!parsed?.success) {
          // Not a prelude after all: Lambda answers 502 rather than guess.
          state = { kind: 'done' };
          ex.reply(502, { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, JSON.stringify({ Message: 'Internal Server Error' }), false);
          return;
        }
        const p = parsed.data;
        const headers: Record<string, string | string[]> = Object.assign({ 'content-type': 'application/octet-stream' }, p.headers ?? {});
        if (p.cookies?.length) headers['set-cookie'] = p.cookies;
        open(p.statusCode ?? 200, headers).write(all.subarray(end + DELIMITER.length));
      },
      end() {
        // A failure mid-stream cannot change the status any more: the body just ends, as on Lambda.
        if (state.kind === 'streaming') state.body.end();
        else if (state.kind !== 'done') open(200, {}).end();
        state = { kind: 'done' };
      },
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
