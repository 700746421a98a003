/** What an environment is asked to run, and what comes back. */
export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  /** Version that runs: `$LATEST` or a number. */
  version: string;
  traceId: string;
  /** Decoded client context JSON, passed to the runtime as Lambda-Runtime-Client-Context. */
  clientContext?: string;
  cognitoIdentity?: string;
  /** The tenant a tenant-isolated function runs this invocation for. */
  tenantId?: string;
  /**
   * Set by a caller that takes a streamed response as it is written (InvokeWithResponseStream, a
   * RESPONSE_STREAM function URL). Without it, a streamed response is buffered, as Invoke does.
   */
  responseSink?: ResponseSink;
}

/** Where a function's streamed response goes, chunk by chunk, before the invocation completes. */
export interface ResponseSink {
  /** The runtime started streaming, with this content type. */
  start(contentType: string): void;
  chunk(data: Buffer): void;
  /** The stream ended; `error` when the function failed mid-stream (also in the invocation's outcome). */
  end(error?: { errorType: string; errorMessage: string }): void;
}

export type InvocationOutcome =
  | { ok: true; payload: Buffer }
  | {
      ok: false;
      /** The error body the caller receives, `{"errorType": ..., "errorMessage": ...}`. */
      payload: Buffer;
      errorType: string;
      /** Set when the platform ended the environment (timeout, crash, out of memory). */
      status?: 'timeout' | 'error';
    };

export interface InvocationReport {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
}

/**
 * What an invocation answers, as soon as its runtime answered (or the platform ended it). Its log
 * closes after (END and REPORT, the memory used), off the caller's path: `closed` never rejects.
 */
export interface InvocationResult {
  outcome: InvocationOutcome;
  closed: Promise<ClosedInvocation>;
}

/** An invocation whose log is closed: what metrics and `LogType: Tail` read. */
export interface ClosedInvocation {
  outcome: InvocationOutcome;
  report: InvocationReport;
  /** The invocation's log, START to REPORT, one entry per line. */
  log: readonly string[];
}

export const platformError = (errorType: string, errorMessage: string): Buffer =>
  Buffer.from(JSON.stringify({ errorType, errorMessage }));
