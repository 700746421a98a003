/**
 * A RESPONSE_STREAM function URL writes the function's stream to the HTTP response as it comes: the
 * first bytes leave before the handler returns. A stream made by `awslambda.HttpResponseStream.from`
 * starts with a JSON prelude (status, headers, cookies) ended by eight NUL bytes.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
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
}

export function urlResponseStream(res: ServerResponse, requestId: string, extraHeaders: Record<string, string> = {}): UrlStream {
  let started = false;
  let prelude: Buffer[] | undefined;
  let preludeBytes = 0;
  const head = (status: number, headers: Record<string, string | string[]>) => {
    res.writeHead(status, Object.assign({}, extraHeaders, headers, { 'x-amzn-requestid': requestId }));
  };
  return {
    get started() {
      return started;
    },
    sink: {
      start(contentType) {
        started = true;
        if (contentType === HTTP_INTEGRATION) prelude = [];
        else head(200, { 'content-type': contentType });
      },
      chunk(data) {
        if (!prelude) {
          res.write(data);
          return;
        }
        prelude.push(data);
        preludeBytes += data.length;
        const all = Buffer.concat(prelude);
        const end = all.indexOf(DELIMITER);
        if (end < 0 && preludeBytes <= MAX_PRELUDE_BYTES) return;
        prelude = undefined;
        const parsed = end < 0 ? undefined : PreludeSchema.safeParse(safeJson(all.subarray(0, end).toString('utf8')));
        if (!parsed?.success) {
          // Not a prelude after all: Lambda answers 502 rather than guess.
          head(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Message: 'Internal Server Error' }));
          return;
        }
        const p = parsed.data;
        head(p.statusCode ?? 200, { 'content-type': 'application/octet-stream', ...(p.headers ?? {}), ...(p.cookies?.length ? { 'set-cookie': p.cookies } : {}) });
        res.write(all.subarray(end + DELIMITER.length));
      },
      end() {
        if (!res.headersSent) head(200, {});
        // A failure mid-stream cannot change the status any more: the body just ends, as on Lambda.
        res.end();
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
