/**
 * One invocation's streamed response (the runtime posted it with `Lambda-Runtime-Function-Response-
 * Mode: streaming`): forwarded chunk by chunk to a caller that takes streams, otherwise gathered
 * (up to Invoke's 6 MB) as Lambda buffers a streamed response for a plain Invoke. An error the
 * function raised mid-stream arrives in the body's trailers.
 */
import type { InvocationOutcome, ResponseSink } from '../domain/invocation.js';
import { MAX_RESPONSE_BYTES } from '../runtime-api/rendering.js';
import { errorBody, outcomes } from './outcomes.js';

export class StreamedResponse {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private ended = false;

  constructor(
    private readonly sink: ResponseSink | undefined,
    contentType: string | undefined,
  ) {
    sink?.start(contentType ?? 'application/octet-stream');
  }

  chunk(data: Buffer): void {
    if (this.ended) return;
    this.bytes += data.length;
    if (this.sink) this.sink.chunk(data);
    else if (this.bytes <= MAX_RESPONSE_BYTES) this.chunks.push(data);
  }

  /** The invocation's outcome once the body has ended, from its trailers. */
  finish(trailers: ReadonlyMap<string, string> | undefined): InvocationOutcome {
    const errorType = trailers?.get('lambda-runtime-function-error-type');
    if (errorType !== undefined) {
      const encoded = trailers?.get('lambda-runtime-function-error-body') ?? '';
      const err = errorBody(errorType, Buffer.from(encoded, 'base64'));
      return { ok: false, errorType: err.errorType, payload: err.payload };
    }
    if (!this.sink && this.bytes > MAX_RESPONSE_BYTES) return outcomes.responseTooLarge();
    return { ok: true, payload: this.sink ? Buffer.alloc(0) : Buffer.concat(this.chunks) };
  }

  /** Tells the caller's stream how the invocation ended (once), whatever ended it: the function, a timeout, a crash. */
  close(outcome: InvocationOutcome): void {
    if (this.ended) return;
    this.ended = true;
    if (outcome.ok) return this.sink?.end();
    let errorMessage = '';
    try {
      errorMessage = String((JSON.parse(outcome.payload.toString('utf8')) as { errorMessage?: unknown }).errorMessage ?? '');
    } catch {
      errorMessage = outcome.payload.toString('utf8');
    }
    this.sink?.end({ errorType: outcome.errorType, errorMessage });
  }
}
