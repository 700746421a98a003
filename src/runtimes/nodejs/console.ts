// The console of a Node.js function as Lambda formats it: one line per call,
// `<time>\t<request id>\t<LEVEL>\t<message>`, or JSON with AWS_LAMBDA_LOG_FORMAT=JSON.
import fs from 'node:fs';
import util from 'node:util';

export type LogError = (message: string, error: unknown) => void;

export const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
export const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');
export const globals = globalThis as unknown as Record<symbol, string | undefined>;
/** The invocation a log line belongs to: the runtime's current one, or (concurrent runtimes) the async context's. */
export interface LogContext {
  requestId: string | undefined;
  tenantId: string | undefined;
}
let currentContext = (): LogContext => ({ requestId: globals[REQUEST_ID], tenantId: globals[TENANT_ID] });
/** Lines are written straight to the file descriptor: a worker thread's process.stdout reaches it only later, through the main thread. */
let direct = false;

/** For a runtime serving several invocations at once: each line names the invocation of its async context. */
export function useLogContext(context: () => LogContext): void {
  currentContext = context;
  direct = true;
}

/**
 * Whether some code has taken process.stdout or process.stderr. Until then a line goes straight to
 * its file descriptor, as Lambda's runtime writes to its log descriptor: the streams (and node:net
 * with them, ~1 MB of an idle environment's memory) are made only for code that asks for them. Once
 * made, lines go through the stream, in order with what the code wrote to it.
 */
let streamsTaken = false;

function watchStdio(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const get = descriptor?.get;
    if (get === undefined || descriptor?.configurable !== true) {
      streamsTaken = true;
      continue;
    }
    Object.defineProperty(process, name, {
      ...descriptor,
      get(this: NodeJS.Process) {
        streamsTaken = true;
        return get.call(this);
      },
    });
  }
}

function writeLine(fd: 1 | 2, text: string): void {
  if (!direct && streamsTaken) {
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
  } catch (error) {
    // A descriptor made non-blocking by its stream, and full: the rest goes through the stream.
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || direct) throw error;
    streamsTaken = true;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(written));
  }
}

const PRIORITY: Record<string, number> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

/** Patches console; returns how the runtime logs an error of its own. */
export function patchConsole(intoError: (error: unknown) => Error, toFormatted: (error: unknown) => string): LogError {
  const json = process.env['AWS_LAMBDA_LOG_FORMAT']?.toUpperCase() === 'JSON';
  const minimum = PRIORITY[process.env['AWS_LAMBDA_LOG_LEVEL']?.toUpperCase() ?? 'TRACE'] ?? 1;
  watchStdio();
  const method = (level: string, fd: 1 | 2) => {
    if ((PRIORITY[level] ?? 0) < minimum) return (): void => {};
    return (message?: unknown, ...params: unknown[]): void => {
      const time = new Date().toISOString();
      const { requestId, tenantId } = currentContext();
      const line = json
        ? formatJson(time, level, requestId, tenantId, message, params)
        : `${time}\t${requestId}\t${level}\t${util.format(message, ...params)}`;
      // Lambda keeps one console call on one line: newlines become \r.
      const text = line.replace(/\n/g, '\r') + '\n';
      writeLine(fd, text);
    };
  };
  console.trace = method('TRACE', 2);
  console.debug = method('DEBUG', 1);
  console.info = method('INFO', 1);
  console.log = console.info;
  console.warn = method('WARN', 2);
  console.error = method('ERROR', 2);
  Object.assign(console, { fatal: method('FATAL', 2) });
  return json
    ? (_message, error) => console.error(intoError(error))
    : (message, error) => console.error(message, toFormatted(intoError(error)));
}

function formatJson(timestamp: string, level: string, requestId: unknown, tenantId: unknown, message: unknown, params: unknown[]): string {
  const result: Record<string, unknown> = { timestamp, level, requestId };
  if (tenantId != null) result['tenantId'] = tenantId;
  if (params.length === 0) {
    result['message'] = message;
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch {
      result['message'] = util.format(message);
      return JSON.stringify(result);
    }
  }
  result['message'] = util.format(message, ...params);
  const error = [message, ...params].find((param) => param instanceof Error) as Error | undefined;
  if (error !== undefined) {
    result['errorType'] = error.constructor?.name ?? 'UnknownError';
    result['errorMessage'] = error.message;
    result['stackTrace'] = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(result);
}

function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return {
    errorType: value.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    ...value,
  };
}
