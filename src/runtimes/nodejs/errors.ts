// Errors of the Node.js runtime, with the names and shapes Lambda reports: the runtime's own
// error types, and how any thrown value becomes a Runtime API error body or a log line.
import util from 'node:util';

export class ImportModuleError extends Error {}
export class HandlerNotFound extends Error {}
export class MalformedHandlerName extends Error {}
export class UserCodeSyntaxError extends Error {}
export class UnmarshalError extends Error {}
/** Node.js 24 and later runtimes no longer run callback-style handlers. */
export class CallbackHandlerDeprecated extends Error {}
export class NodeJsExit extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
export class UnhandledPromiseRejection extends Error {
  constructor(
    readonly reason: unknown,
    readonly promise: Promise<unknown>,
  ) {
    // Lambda's message is String(reason), e.g. "Error: boom".
    super(reason === undefined ? undefined : describe(reason));
  }
}
const runtimeErrors = {
  ImportModuleError,
  HandlerNotFound,
  MalformedHandlerName,
  UserCodeSyntaxError,
  UnmarshalError,
  CallbackHandlerDeprecated,
  NodeJsExit,
  UnhandledPromiseRejection,
};
for (const [name, errorClass] of Object.entries(runtimeErrors)) {
  errorClass.prototype.name = `Runtime.${name}`;
}

interface RapidError {
  errorType?: string;
  errorMessage?: string;
  trace?: string[];
}

/** Lambda's test: non-empty string name, message and stack. */
function isErrorLike(value: unknown): value is Error {
  const e = value as Partial<Record<'name' | 'message' | 'stack', unknown>> | null | undefined;
  return [e?.name, e?.message, e?.stack].every((field) => typeof field === 'string' && field !== '');
}

/** The body posted to /error and /init/error: `trace`, not `stackTrace`. */
export function toRapidError(error: unknown): RapidError {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: (error.stack as string).replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: (error as object).toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

export function intoError(error: unknown): Error {
  return error instanceof Error ? error : new Error(error as string);
}

/** How an error appears in a text log line: a tab, then JSON. */
export function toFormatted(error: unknown): string {
  try {
    return '\t' + JSON.stringify(error, (_key, value: unknown) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRapidError(error));
  }
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = {
    errorType: value.name,
    errorMessage: value.message,
    code: (value as { code?: unknown }).code,
    ...value,
  };
  if (typeof value.stack === 'string') out['stack'] = value.stack.split('\n');
  return out;
}

/** String(value), even for values whose toString throws. */
export function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
