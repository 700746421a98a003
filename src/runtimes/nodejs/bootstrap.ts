// The Node.js runtime of an execution environment, as Lambda's own
// (aws-lambda-nodejs-runtime-interface-client) behaves: the same handler
// loading, context, console format, error shapes, exit codes and 'beforeExit'
// semantics. Node built-ins only. Compiled to CommonJS (see ./package.json).
import { globals, patchConsole, REQUEST_ID, TENANT_ID } from './console.js';
import { CallbackHandlerDeprecated, describe, intoError, NodeJsExit, toFormatted, toRapidError, UnhandledPromiseRejection, UnmarshalError } from './errors.js';
import { isAsyncFunction, loadHandler, type Callback, type Handler } from './handler-loader.js';
import { resolveLocalhostNames } from './localhost-names.js';
import { installAwsLambdaGlobal, isStreamingHandler, openResponseStream } from './response-stream.js';
import { RuntimeApiStatusError, RuntimeClient, type RuntimeApiResponse } from './runtime-client.js';
import { concurrencyOf, runWorkers } from './concurrent.js';
import { environmentContextFields, parseJsonHeader } from './context-fields.js';
import { installInvokeStore, type InvokeStore } from './invoke-store.js';
import { installTraceIdEnv, type TraceIdEnv } from './trace-env.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}

// --- The invocation loop ---------------------------------------------------

/** Runtime API failures end the environment, as Lambda's runtimes do. */
function die(message: string): never {
  process.stderr.write(`selfless bootstrap: ${message}\n`);
  process.exit(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describe(error);
}

/**
 * A pre-started ("zygote") runtime: Node.js and this bootstrap are loaded before any function is
 * known. The platform answers with the function's environment once it links its code into
 * /var/task; from there this process is that function's environment, as if started for it.
 */
async function becomeAssigned(runtime: RuntimeClient): Promise<void> {
  const response = await runtime.assignment();
  const parsed: unknown = JSON.parse(response.body.toString('utf8'));
  const env = (parsed as { env?: unknown } | null)?.env;
  if (typeof env !== 'object' || env === null || Object.values(env).some((v) => typeof v !== 'string')) {
    die('malformed assignment from the platform');
  }
  // Only what differs changes: unsetting TZ costs Node ~5 ms of time zone reloading, and the zygote
  // already has the function's TZ.
  const assigned = env as Record<string, string>;
  for (const key of Object.keys(process.env)) if (!Object.hasOwn(assigned, key)) delete process.env[key];
  for (const [key, value] of Object.entries(assigned)) if (process.env[key] !== value) process.env[key] = value;
  process.chdir(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd());
}

const address = process.env['AWS_LAMBDA_RUNTIME_API'];
if (!address) die('AWS_LAMBDA_RUNTIME_API is not set');
let client: RuntimeClient;
try {
  // The endpoint's token is the runtime's alone: the function's code does not see it in process.env.
  const token = process.env['SELFLESS_RUNTIME_TOKEN'];
  delete process.env['SELFLESS_RUNTIME_TOKEN'];
  client = new RuntimeClient(address, token);
} catch (error) {
  die(messageOf(error));
}
let logError: ReturnType<typeof patchConsole>;
let environment: ReturnType<typeof environmentContextFields>;

const noop = (): void => {};
/** Runs when the event loop empties during an invocation. */
let beforeExit: () => void = noop;
/** Where an uncaught error goes: init error, the current invocation, or only the log. */
let onFatal: (error: unknown, exitCode: number) => void = (error, exitCode) => {
  const body = toRapidError(error);
  exitAfter(client.postInitError(body.errorType, JSON.stringify(body)), exitCode);
};
let exiting = false;

function exitAfter(post: Promise<unknown>, exitCode: number): void {
  post.then(
    () => process.exit(exitCode),
    (error: unknown) => {
      process.stderr.write(`selfless bootstrap: reporting the error failed: ${messageOf(error)}\n`);
      process.exit(exitCode);
    },
  );
}

function fatal(error: unknown, exitCode: number): void {
  if (exiting) return;
  exiting = true;
  onFatal(error, exitCode);
}

// Lambda's exit codes: 129 after an uncaught exception, 128 after an unhandled rejection.
function installProcessHandlers(): void {
  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    fatal(error, 129);
  });
  process.on('unhandledRejection', (rejection, promise) => {
    const error = new UnhandledPromiseRejection(rejection, promise);
    logError('Unhandled Promise Rejection', error);
    fatal(error, 128);
  });
  process.on('beforeExit', () => beforeExit());
}

function nextInvocation(handler: Handler, isAsync: boolean): void {
  client.next().then(
    (response) => invoke(handler, isAsync, response),
    (error: unknown) => die(`fetching the next invocation failed: ${messageOf(error)}`),
  );
}

/** What an invocation's handler may change of how it ends. */
interface InvocationFlags {
  waitsForEmptyEventLoop: boolean;
}

const FLAGS = Symbol('invocation flags');
/**
 * `callbackWaitsForEmptyEventLoop`, an own enumerable accessor of each context as on Lambda, through
 * the same getter and setter for every invocation (its flags sit in a hidden, non-enumerable property),
 * so that every context is an object of one shape with fast properties. An object literal declaring a
 * getter and a setter is built by V8 in dictionary mode: each context had a property table of its own,
 * which survived the young generation's collections (each scavenge kept 320-730 KB, 2.5 KB since) and
 * grew an environment's memory by megabytes over a few thousand invocations until a full collection.
 */
const WAITS_FLAG: PropertyDescriptor = {
  get(this: { [FLAGS]: InvocationFlags }): boolean {
    return this[FLAGS].waitsForEmptyEventLoop;
  },
  set(this: { [FLAGS]: InvocationFlags }, value: boolean) {
    this[FLAGS].waitsForEmptyEventLoop = value;
  },
  enumerable: true,
  configurable: true,
};

function withWaitsFlag(flags: InvocationFlags): Record<string, unknown> {
  const context = Object.defineProperty({}, 'callbackWaitsForEmptyEventLoop', WAITS_FLAG);
  return Object.defineProperty(context, FLAGS, { value: flags });
}

function invoke(handler: Handler, isAsync: boolean, response: RuntimeApiResponse): void {
  const headers = response.headers;
  const requestId = headers.get('lambda-runtime-aws-request-id');
  if (!requestId) die('the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id');
  globals[REQUEST_ID] = requestId;
  globals[TENANT_ID] = headers.get('lambda-runtime-aws-tenant-id');
  const traceId = headers.get('lambda-runtime-trace-id') || undefined;
  traceEnv.set(traceId);

  let reported = false;
  const flags: InvocationFlags = { waitsForEmptyEventLoop: true };
  // The outcome and the ask for the next event go out in one write (pipelined).
  const report = (body: string, error?: { errorType: string | undefined }): void => {
    const { posted, next } = client.reportThenNext(requestId, body, error);
    posted.catch((error: unknown) => {
      // The server refused this outcome (e.g. the invocation timed out): move on.
      if (!(error instanceof RuntimeApiStatusError)) die(`reporting invocation ${requestId} failed: ${messageOf(error)}`);
      process.stderr.write(`selfless bootstrap: ${error.message}\n`);
    });
    next.then(
      (response) => invoke(handler, isAsync, response),
      (error: unknown) => die(`fetching the next invocation failed: ${messageOf(error)}`),
    );
  };
  const alreadyReported = (): void =>
    console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
  const postError = (error: unknown): void => {
    if (reported) return alreadyReported();
    reported = true;
    logError('Invoke Error', error);
    const body = toRapidError(error);
    report(JSON.stringify(body), { errorType: body.errorType });
  };
  const complete = (result: unknown): void => {
    if (reported) return alreadyReported();
    let body: string | undefined;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch {
      return postError(new Error('Unable to stringify response body'));
    }
    reported = true;
    report(body ?? 'null');
  };
  onFatal = (error, exitCode) => {
    if (reported) process.exit(exitCode);
    reported = true;
    const body = toRapidError(error);
    exitAfter(client.postError(requestId, body.errorType, JSON.stringify(body)), exitCode);
  };

  const callback: Callback = (error, result) => {
    beforeExit = noop;
    if (error !== undefined && error !== null) postError(error);
    else if (!flags.waitsForEmptyEventLoop) complete(result);
    else
      beforeExit = () => {
        beforeExit = noop;
        setImmediate(() => complete(result));
      };
  };
  const done: Callback = (error, result) => {
    beforeExit = noop;
    if (error !== undefined && error !== null) postError(error);
    else complete(result);
  };
  // The first of callback, done, succeed and fail wins.
  let finished = false;
  const once =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
  const firstCallback = once(callback);
  const succeed = once((result?: unknown) => done(null, result));
  const fail = once((error?: unknown) => done(error ?? 'handled', null));

  // The handler never settled and nothing is left to run: as on Lambda, a
  // non-async handler's answer is null, an async one's is a NodeJsExit error.
  beforeExit = () => {
    beforeExit = noop;
    if (reported) return;
    if (isAsync) postError(new NodeJsExit());
    else complete(null);
  };

  try {
    let event: unknown;
    try {
      event = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw new UnmarshalError(messageOf(error));
    }
    const deadline = Number(headers.get('lambda-runtime-deadline-ms'));
    const context = withWaitsFlag(flags);
    Object.assign(context, {
      succeed,
      fail,
      done: once(done),
      ...environment,
      clientContext: parseJsonHeader(headers.get('lambda-runtime-client-context'), 'ClientContext'),
      identity: parseJsonHeader(headers.get('lambda-runtime-cognito-identity'), 'CognitoIdentity'),
      invokedFunctionArn: headers.get('lambda-runtime-invoked-function-arn'),
      awsRequestId: requestId,
      tenantId: globals[TENANT_ID],
      getRemainingTimeInMillis: (): number => deadline - Date.now(),
    });
    const fields = { requestId, traceId, tenantId: globals[TENANT_ID] };
    if (isStreamingHandler(handler)) return invokeStore.runInvocation(fields, () => invokeStreaming(handler, event, context, requestId));
    const result = invokeStore.runInvocation(fields, () => handler(event, context, firstCallback));
    if (isThenable(result)) result.then(succeed, fail);
  } catch (error) {
    firstCallback(error);
  }
}

/**
 * A streamify'd handler gets (event, responseStream, context); its bytes reach the Runtime API as it
 * writes them. A throw, even after bytes went out, ends the stream with the error in its trailers.
 */
function invokeStreaming(handler: Handler, event: unknown, context: object, requestId: string): void {
  beforeExit = noop;
  const post = openResponseStream(address!, requestId);
  onFatal = (error, exitCode) => exitAfter(post.fail(toRapidError(error)), exitCode);
  const run = async () => (handler as unknown as (e: unknown, s: unknown, c: object) => unknown)(event, post.writable, context);
  run()
    .then(
      () => post.finish(),
      (error: unknown) => {
        logError('Invoke Error', error);
        return post.fail(toRapidError(error));
      },
    )
    .then(
      () => {
        onFatal = (_error, exitCode) => process.exit(exitCode);
        nextInvocation(handler, isAsyncFunction(handler));
      },
      (error: unknown) => die(`streaming the response of ${requestId} failed: ${messageOf(error)}`),
    );
}

/** As Lambda's Node.js 24 runtime: a handler declaring (event, context, callback) that is not async fails init. */
function checkHandlerStyle(handler: Handler): void {
  if (Number(process.versions.node.split('.')[0]) < 24) return;
  if (handler.length >= 3 && !isAsyncFunction(handler) && !isStreamingHandler(handler)) {
    throw new CallbackHandlerDeprecated(
      'Callback-based function handlers are not supported on Node.js 24 and later runtimes. Use an async handler (event, context) that returns its result.',
    );
  }
}

/** The invocation context the SDK and Powertools read (see ./invoke-store.ts), set with `awslambda`. */
let invokeStore: InvokeStore;
/** `_X_AMZN_TRACE_ID` as process.env shows it (see ./trace-env.ts). */
let traceEnv: TraceIdEnv;

async function main(): Promise<void> {
  let handler: Handler;
  installAwsLambdaGlobal();
  invokeStore = installInvokeStore(false);
  traceEnv = installTraceIdEnv();
  resolveLocalhostNames();
  try {
    handler = await loadHandler(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), process.env['_HANDLER']);
    checkHandlerStyle(handler);
  } catch (error) {
    logError('Uncaught Exception', error);
    fatal(error, 129);
    return;
  }
  // Init is over: from here an error outside an invocation only ends the process.
  onFatal = (_error, exitCode) => process.exit(exitCode);
  nextInvocation(handler, isAsyncFunction(handler));
}

async function start(): Promise<void> {
  if (process.env['SELFLESS_ZYGOTE'] === '1') await becomeAssigned(client);
  logError = patchConsole(intoError, toFormatted);
  environment = environmentContextFields();
  installProcessHandlers();
  // Lambda Managed Instances: several invocations at once, in worker threads.
  const concurrency = concurrencyOf(process.env);
  if (concurrency) runWorkers(concurrency);
  else await main();
}

start().catch((error: unknown) => die(`starting the runtime failed: ${messageOf(error)}`));
