// One worker thread of a Lambda Managed Instances Node.js environment (see ./concurrent.ts): it
// initialises the function once, then keeps `lanes` `/next` polls open, each on its own Runtime API
// connection, and runs the invocations they bring concurrently. Each invocation's log lines carry
// its request id through an AsyncLocalStorage. Built-ins only.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { patchConsole, useLogContext } from './console.js';
import { describe, intoError, toFormatted, toRapidError, UnmarshalError } from './errors.js';
import { isAsyncFunction, loadHandler, type Handler } from './handler-loader.js';
import { resolveLocalhostNames } from './localhost-names.js';
import { installAwsLambdaGlobal, isStreamingHandler, openResponseStream } from './response-stream.js';
import { RuntimeApiStatusError, RuntimeClient, type RuntimeApiResponse } from './runtime-client.js';
import { environmentContextFields, parseJsonHeader } from './context-fields.js';
import { installInvokeStore, type InvokeStore } from './invoke-store.js';

interface Invocation {
  requestId: string;
  tenantId: string | undefined;
  client: RuntimeClient;
}

const address = process.env['AWS_LAMBDA_RUNTIME_API']!;
const current = new AsyncLocalStorage<Invocation>();
/** Invocations this worker runs now: an uncaught error fails them all. */
const running = new Set<Invocation>();
useLogContext(() => {
  const i = current.getStore();
  return { requestId: i?.requestId, tenantId: i?.tenantId };
});
const logError = patchConsole(intoError, toFormatted);
const environment = environmentContextFields();

function die(message: string, code = 1): never {
  process.stderr.write(`selfless bootstrap: ${message}\n`);
  process.exit(code);
}

/** Each lane's connection, closed when the worker ends so that the platform sends nothing more to it. */
const lanes: RuntimeClient[] = [];
let exiting = false;

/**
 * An error no invocation caught fails every invocation of this worker, and the worker (it is
 * replaced): its polls are withdrawn first, then its invocations answered.
 */
function fatal(kind: string, error: unknown, code: number): void {
  if (exiting) return;
  exiting = true;
  logError(kind, error);
  for (const client of lanes) client.close();
  const body = JSON.stringify(toRapidError(error));
  const reporter = new RuntimeClient(address);
  const posts = [...running].map((i) => reporter.postError(i.requestId, toRapidError(error).errorType, body).catch(() => undefined));
  void Promise.all(posts).then(() => process.exit(code));
}
process.on('uncaughtException', (error) => fatal('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => fatal('Unhandled Promise Rejection', reason, 128));

/** Runs the handler to its result: a promise, a callback, or (synchronous handlers) a return value. */
function call(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    Object.assign(context, { done: finish, succeed: (r?: unknown) => finish(null, r), fail: (e?: unknown) => finish(e ?? 'handled') });
    const result = handler(event, context, finish);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then((r) => finish(null, r), (e: unknown) => finish(e ?? new Error('rejected')));
    else if (handler.length < 3) finish(null, result);
  });
}

/**
 * Runs one invocation and reports it; resolves with the lane's next poll when it was sent in the same
 * write as the report (pipelined), else with none (wrapped: an async function would wait for a promise it returns).
 */
async function invoke(handler: Handler, client: RuntimeClient, response: RuntimeApiResponse): Promise<{ next: Promise<RuntimeApiResponse> | undefined }> {
  const headers = response.headers;
  const requestId = headers.get('lambda-runtime-aws-request-id');
  if (!requestId) die('the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id');
  const invocation: Invocation = { requestId, tenantId: headers.get('lambda-runtime-aws-tenant-id'), client };
  running.add(invocation);
  let next: Promise<RuntimeApiResponse> | undefined;
  /** Reports the outcome and asks for the next event in one write; waits for the report's answer. */
  const report = async (body: string, error?: { errorType: string | undefined }): Promise<void> => {
    const pair = client.reportThenNext(requestId, body, error);
    next = pair.next;
    // Awaited by the lane once this invocation is done; a failure before then ends the worker anyway.
    next.catch(() => undefined);
    await pair.posted;
  };
  try {
    const fields = { requestId, traceId: headers.get('lambda-runtime-trace-id'), tenantId: invocation.tenantId };
    await invokeStore.runInvocation(fields, () => current.run(invocation, async () => {
      const deadline = Number(headers.get('lambda-runtime-deadline-ms'));
      try {
        let event: unknown;
        try {
          event = JSON.parse(response.body.toString('utf8'));
        } catch (error) {
          throw new UnmarshalError(error instanceof Error ? error.message : describe(error));
        }
        const context: Record<string, unknown> = {
          callbackWaitsForEmptyEventLoop: false,
          ...environment,
          clientContext: parseJsonHeader(headers.get('lambda-runtime-client-context'), 'ClientContext'),
          identity: parseJsonHeader(headers.get('lambda-runtime-cognito-identity'), 'CognitoIdentity'),
          invokedFunctionArn: headers.get('lambda-runtime-invoked-function-arn'),
          awsRequestId: requestId,
          tenantId: invocation.tenantId,
          getRemainingTimeInMillis: (): number => deadline - Date.now(),
        };
        if (isStreamingHandler(handler)) return await stream(handler, event, context, requestId);
        const result = await call(handler, event, context);
        let body: string;
        try {
          body = JSON.stringify(result === undefined ? null : result) ?? 'null';
        } catch {
          throw new Error('Unable to stringify response body');
        }
        await report(body);
      } catch (error) {
        if (error instanceof RuntimeApiStatusError) throw error;
        logError('Invoke Error', error);
        const body = toRapidError(error);
        await report(JSON.stringify(body), { errorType: body.errorType });
      }
    }));
  } catch (error) {
    // The platform refused this answer (the invocation timed out): the others go on.
    if (!(error instanceof RuntimeApiStatusError)) throw error;
    process.stderr.write(`selfless bootstrap: ${error.message}\n`);
  } finally {
    running.delete(invocation);
  }
  return { next };
}

async function stream(handler: Handler, event: unknown, context: object, requestId: string): Promise<void> {
  const post = openResponseStream(address, requestId);
  try {
    await (handler as unknown as (e: unknown, s: unknown, c: object) => unknown)(event, post.writable, context);
  } catch (error) {
    logError('Invoke Error', error);
    return post.fail(toRapidError(error));
  }
  return post.finish();
}

/** Each invocation's context for the SDK and Powertools (see ./invoke-store.ts), one async context each. */
let invokeStore: InvokeStore;

/** One concurrent slot: a connection of its own, one invocation at a time. */
async function lane(handler: Handler): Promise<never> {
  const client = new RuntimeClient(address);
  lanes.push(client);
  let poll: Promise<RuntimeApiResponse> | undefined;
  for (;;) {
    let response: RuntimeApiResponse;
    try {
      response = await (poll ?? client.next());
    } catch (error) {
      if (exiting) return new Promise<never>(() => {});
      die(`fetching the next invocation failed: ${error instanceof Error ? error.message : describe(error)}`);
    }
    poll = (
      await invoke(handler, client, response).catch((error: unknown) => {
        if (!exiting) die(`reporting an invocation failed: ${String(error)}`);
        return { next: undefined };
      })
    ).next;
  }
}

async function main(): Promise<void> {
  installAwsLambdaGlobal();
  invokeStore = installInvokeStore(true);
  resolveLocalhostNames();
  let handler: Handler;
  try {
    handler = await loadHandler(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), process.env['_HANDLER']);
  } catch (error) {
    logError('Uncaught Exception', error);
    const body = toRapidError(error);
    await new RuntimeClient(address).postInitError(body.errorType, JSON.stringify(body)).catch(() => undefined);
    return die('the function failed to initialise', 129);
  }
  // A synchronous handler blocks its thread: it takes one invocation at a time (Lambda's rule).
  const lanes = isAsyncFunction(handler) || isStreamingHandler(handler) ? Number((workerData as { lanes: number }).lanes) : 1;
  parentPort?.postMessage('ready');
  for (let i = 0; i < lanes; i++) void lane(handler);
}

main().catch((error: unknown) => die(`the worker failed: ${String(error)}`));
