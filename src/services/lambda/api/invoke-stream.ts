/**
 * InvokeWithResponseStream: the function's response as an event stream, PayloadChunk events as the
 * function writes (or one chunk, for a function that does not stream), then InvokeComplete with the
 * error and the log tail. Errors before anything was streamed answer as HTTP errors, as Invoke's do.
 */
import { PassThrough, type Readable } from 'node:stream';
import { tailOf } from '../../../environments/invocation-log.js';
import type { InvocationOutcome, ResponseSink } from '../../../domain/invocation.js';
import { encodeEvent } from '../../../wire/eventstream.js';

export interface StreamedInvocation {
  /** The bytes of the event stream, written as the invocation runs. */
  events: Readable;
  /** Settles once the function starts streaming or the invocation ends, whichever comes first. */
  ready: Promise<void>;
  sink: ResponseSink;
  /** Call with the invocation's outcome (and its closed log for `LogType: Tail`): the last events are written and the stream ends. */
  complete(outcome: InvocationOutcome, log: readonly string[] | undefined): void;
  /** The invocation failed in the platform after streaming had begun. */
  abort(error: Error): void;
}

export function streamedInvocation(): StreamedInvocation {
  const events = new PassThrough();
  let started = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  return {
    events,
    ready,
    sink: {
      start() {
        started = true;
        markReady();
      },
      chunk(data) {
        if (data.length > 0) events.write(encodeEvent('PayloadChunk', data, 'application/octet-stream'));
      },
      end() {
        // The invocation's completion writes InvokeComplete, with the log tail.
      },
    },
    complete(outcome, log) {
      // A function that did not stream answers in one chunk, as Lambda does.
      if (!started && outcome.ok && outcome.payload.length > 0) events.write(encodeEvent('PayloadChunk', outcome.payload, 'application/octet-stream'));
      const complete: Record<string, string> = {};
      if (!outcome.ok) {
        complete['ErrorCode'] = outcome.errorType;
        complete['ErrorDetails'] = outcome.payload.toString('utf8');
      }
      if (log !== undefined) complete['LogResult'] = tailOf(log);
      events.end(encodeEvent('InvokeComplete', Buffer.from(JSON.stringify(complete)), 'application/json'));
      markReady();
    },
    abort(error) {
      events.destroy(error);
      markReady();
    },
  };
}
