// Response streaming as Lambda's Node.js runtime offers it: `awslambda.streamifyResponse(handler)`
// gives the handler a writable stream whose bytes go to the Runtime API as the handler writes them
// (a chunked POST with `Lambda-Runtime-Function-Response-Mode: streaming`); an error raised
// mid-stream travels in the body's trailers. `awslambda.HttpResponseStream.from` prefixes the
// status, headers and cookies that function URLs turn into the HTTP response. Node built-ins only.
import type http from 'node:http';
import type { Writable } from 'node:stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';

export interface LambdaResponseStream extends Writable {
  setContentType(contentType: string): void;
}

type Handler = (...args: never[]) => unknown;

export function isStreamingHandler(handler: object): boolean {
  return (handler as Record<symbol, unknown>)[STREAMING] === 'response';
}

/** The `awslambda` global that Lambda's Node.js runtimes define before loading the handler. */
export function installAwsLambdaGlobal(): void {
  (globalThis as Record<string, unknown>)['awslambda'] = {
    streamifyResponse<H extends Handler>(handler: H): H {
      Object.defineProperty(handler, STREAMING, { value: 'response' });
      return handler;
    },
    HttpResponseStream: {
      from(stream: LambdaResponseStream, metadata: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] }) {
        stream.setContentType(HTTP_INTEGRATION);
        stream.write(JSON.stringify(metadata ?? {}));
        // Eight NUL bytes end the prelude: what follows is the body.
        stream.write(new Uint8Array(8));
        return stream;
      },
    },
  };
}

export interface ResponseStreamPost {
  /** What the handler writes to. */
  readonly writable: LambdaResponseStream;
  /** Ends the stream (if the handler did not) and waits for the Runtime API's answer. */
  finish(): Promise<void>;
  /** Ends the stream with the error in its trailers and waits for the Runtime API's answer. */
  fail(error: { errorType?: string | undefined; errorMessage?: string | undefined; trace?: string[] | undefined }): Promise<void>;
}

export function openResponseStream(runtimeApi: string, requestId: string): ResponseStreamPost {
  const colon = runtimeApi.lastIndexOf(':');
  const host = runtimeApi.slice(0, colon);
  const port = Number(runtimeApi.slice(colon + 1));
  let contentType = 'application/octet-stream';
  let request: http.ClientRequest | undefined;
  let answered: Promise<void> = Promise.resolve();
  const open = (): http.ClientRequest => {
    if (request) return request;
    // node:http is loaded by the first streamed response, not at every environment's start.
    const req = (require('node:http') as typeof http).request({
      host,
      port,
      method: 'POST',
      path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`,
      agent: false,
      headers: {
        'Content-Type': contentType,
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    });
    answered = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
    });
    request = req;
    return req;
  };
  // node:stream too, by the first streamed response.
  const { Writable: WritableStream } = require('node:stream') as typeof import('node:stream');
  const writable = new WritableStream({
    write(chunk: Buffer, _encoding, callback) {
      open().write(chunk, callback);
    },
  }) as LambdaResponseStream;
  writable.setContentType = (type: string) => {
    if (request) throw new Error('The content type must be set before the first write to the response stream.');
    contentType = type;
  };
  const ended = new Promise<void>((resolve) => writable.once('finish', () => resolve()));
  return {
    writable,
    async finish() {
      if (!writable.writableEnded) writable.end();
      await ended;
      open().end();
      await answered;
    },
    async fail(error) {
      const req = open();
      req.addTrailers({
        'Lambda-Runtime-Function-Error-Type': (error.errorType ?? 'Error').replace(/[^\x20-\x7e]/g, ''),
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
      });
      req.end();
      await answered;
    },
  };
}
