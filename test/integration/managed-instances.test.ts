/**
 * Lambda Managed Instances, the execution half: one environment serves many invocations at once
 * (Node.js worker threads with async invocations, Python processes, custom runtimes told their
 * limit), each invocation times out on its own without ending the environment, and a full
 * function is throttled rather than queued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionScalingConfigCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { newGate, type Gate } from '../helpers/gate.js';
import { createManagedFunction } from '../helpers/managed-instances.js';
import { createFunction, decode, environmentsOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A Tail log's lines, each a JSON record. */
const jsonLines = (log: string): Record<string, unknown>[] =>
  log
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

interface NodeAnswer {
  n: number;
  pid: number;
  threadId: number;
  stream: string;
  seen: number;
  maxConcurrency: string;
}

describe('Lambda Managed Instances execution', () => {
  let t: TestPlatform;
  let gate: Gate;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => {
    gate?.close();
    await t.stop();
  });

  const invoke = async (name: string, version: string, event: object) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: version, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
    return { res, body: decode(res.Payload), log: Buffer.from(res.LogResult ?? '', 'base64').toString() };
  };

  it('serves 64 concurrent invocations in one Node.js environment', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-node', 'managed-node', { perEnvironmentMaxConcurrency: 64 }, { Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' } } });
    const runs = Array.from({ length: 64 }, (_, n) => invoke('mi-node', version, { n, gate: gate.url }));
    // All 64 are inside the handler at once before any may finish.
    await gate.entered(64);
    gate.open();
    const answers = await Promise.all(runs);
    for (const { res } of answers) assert.equal(res.FunctionError, undefined);
    const bodies = answers.map((a) => a.body as NodeAnswer);
    assert.deepEqual(bodies.map((b) => b.n), Array.from({ length: 64 }, (_, n) => n));
    assert.equal(new Set(bodies.map((b) => b.stream)).size, 1, 'one environment');
    assert.equal(new Set(bodies.map((b) => b.pid)).size, 1, 'one process');
    assert.equal(new Set(bodies.map((b) => b.threadId)).size, 1, 'one worker thread, as AWS_LAMBDA_NODEJS_WORKER_COUNT says');
    assert.ok(bodies.some((b) => b.seen > 1), 'invocations overlapped in the worker');
    assert.equal(bodies[0]!.maxConcurrency, '64');
    assert.equal((await environmentsOf(t.platform.url, 'mi-node')).length, 1);
    // Each invocation's log (JSON, the only format of managed instances) holds its own start, lines and report, none of another's.
    for (const { res, log, body } of answers.slice(0, 8)) {
      const id = res.$metadata.requestId!;
      const n = (body as NodeAnswer).n;
      const records = jsonLines(log);
      assert.deepEqual(records.filter((r) => r['type'] === 'platform.start').map((r) => (r['record'] as { requestId: string }).requestId), [id]);
      assert.deepEqual(records.filter((r) => r['type'] === 'platform.report').map((r) => (r['record'] as { requestId: string }).requestId), [id]);
      const app = records.filter((r) => r['message'] !== undefined);
      assert.deepEqual(app.map((r) => [r['requestId'], r['level'], r['message']]), [
        [id, 'INFO', `invocation ${n} starts`],
        [id, 'INFO', `invocation ${n} ends`],
      ]);
    }
    gate.close();
  });

  it('times out one invocation without ending the environment or the others', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-timeout', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, { Timeout: 3, Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' } } });
    const hung = invoke('mi-timeout', version, { n: 1, gate: gate.url });
    await gate.entered(1);
    // Another invocation runs beside the hung one, in the same environment.
    const beside = await invoke('mi-timeout', version, { n: 2 });
    assert.equal(beside.res.FunctionError, undefined);
    const timedOut = await hung;
    assert.equal(timedOut.res.FunctionError, 'Unhandled');
    assert.equal((timedOut.body as { errorType: string }).errorType, 'Sandbox.Timedout');
    assert.match((timedOut.body as { errorMessage: string }).errorMessage, /Task timed out after 3\.00 seconds/);
    assert.match(timedOut.log, /Task timed out after 3\.00 seconds/);
    // The environment lives on, the timed-out invocation's code still running in it.
    const after = await invoke('mi-timeout', version, { n: 3 });
    assert.equal(after.res.FunctionError, undefined);
    const [b, a] = [beside.body as NodeAnswer, after.body as NodeAnswer];
    assert.equal(a.stream, b.stream);
    assert.equal(a.pid, b.pid);
    assert.equal(a.seen, 2, 'the timed-out handler is still in flight');
    assert.equal((await environmentsOf(t.platform.url, 'mi-timeout')).length, 1);
    // Its late answer is refused; the environment still serves.
    gate.open();
    const last = await invoke('mi-timeout', version, { n: 4 });
    assert.equal(last.res.FunctionError, undefined);
    assert.equal((last.body as NodeAnswer).stream, b.stream);
    gate.close();
  });

  it('tells a custom runtime its limit through AWS_LAMBDA_MAX_CONCURRENCY, and it polls concurrently', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-bash', 'managed-bash', { perEnvironmentMaxConcurrency: 4 }, { Runtime: 'provided.al2023', Handler: 'function.handler' });
    const runs = Array.from({ length: 4 }, () => invoke('mi-bash', version, { gate: gate.url }));
    await gate.entered(4);
    gate.open();
    const answers = await Promise.all(runs);
    for (const { res, body } of answers) {
      assert.equal(res.FunctionError, undefined);
      assert.equal((body as { maxConcurrency: string }).maxConcurrency, '4');
    }
    assert.equal((await environmentsOf(t.platform.url, 'mi-bash')).length, 1);
    gate.close();
  });

  it('serves a Python function with several processes of one environment', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-python', 'managed-python', { perEnvironmentMaxConcurrency: 4 }, { Runtime: 'python3.13', Handler: 'app.handler' });
    const runs = Array.from({ length: 4 }, () => invoke('mi-python', version, { gate: gate.url }));
    await gate.entered(4);
    gate.open();
    const answers = await Promise.all(runs);
    for (const { res } of answers) assert.equal(res.FunctionError, undefined);
    const bodies = answers.map((a) => a.body as { pid: number; stream: string; maxConcurrency: string });
    assert.equal(new Set(bodies.map((b) => b.pid)).size, 4, 'a process per concurrent invocation');
    assert.equal(new Set(bodies.map((b) => b.stream)).size, 1, 'one environment');
    assert.equal(bodies[0]!.maxConcurrency, '4');
    assert.equal((await environmentsOf(t.platform.url, 'mi-python')).length, 1);
    // Each process's log line is its invocation's.
    for (const { res, log } of answers) {
      const id = res.$metadata.requestId!;
      const pid = (decode(res.Payload) as { pid: number }).pid;
      const app = jsonLines(log).filter((r) => r['message'] !== undefined);
      assert.deepEqual(app.map((r) => [r['requestId'], r['message']]), [[id, `in process ${pid}`]]);
    }
    gate.close();
  });

  it('replaces a Node.js worker that an uncaught error ends, failing only its invocations', async () => {
    const version = await createManagedFunction(t.lambda, 'mi-crash', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, { Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' } } });
    const before = (await invoke('mi-crash', version, { n: 1 })).body as NodeAnswer;
    const crashed = await invoke('mi-crash', version, { crash: true });
    assert.equal(crashed.res.FunctionError, 'Unhandled');
    assert.deepEqual([(crashed.body as { errorType: string }).errorType, (crashed.body as { errorMessage: string }).errorMessage], ['Error', 'boom']);
    const after = (await invoke('mi-crash', version, { n: 2 })).body as NodeAnswer;
    assert.equal(after.stream, before.stream, 'the same environment');
    assert.equal(after.pid, before.pid);
    assert.notEqual(after.threadId, before.threadId, 'served by the replacement worker');
  });

  it('answers the invocation of a Python process that exits, and replaces the process', async () => {
    const version = await createManagedFunction(t.lambda, 'mi-py-exit', 'managed-python', { perEnvironmentMaxConcurrency: 2 }, { Runtime: 'python3.13', Handler: 'app.handler' });
    const before = decode((await invoke('mi-py-exit', version, {})).res.Payload) as { stream: string };
    const exited = await invoke('mi-py-exit', version, { exit: 3 });
    assert.equal(exited.res.FunctionError, 'Unhandled');
    assert.equal((exited.body as { errorType: string }).errorType, 'Runtime.ExitError');
    assert.match((exited.body as { errorMessage: string }).errorMessage, /Runtime exited with error: exit status 3/);
    const answers = await Promise.all([1, 2].map(() => invoke('mi-py-exit', version, {})));
    for (const { res, body } of answers) {
      assert.equal(res.FunctionError, undefined);
      assert.equal((body as { stream: string }).stream, before.stream, 'the same environment');
    }
  });

  it('answers with the init error when the function fails to load in its workers', async () => {
    const version = await createManagedFunction(t.lambda, 'mi-init-throw', 'init-throw', { perEnvironmentMaxConcurrency: 4 }, { Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '2' } } });
    for (let i = 0; i < 2; i++) {
      const { res, body } = await invoke('mi-init-throw', version, {});
      assert.equal(res.FunctionError, 'Unhandled');
      assert.deepEqual([(body as { errorType: string }).errorType, (body as { errorMessage: string }).errorMessage], ['Error', 'cannot start: missing configuration']);
    }
  });

  it('keeps AWS_LAMBDA_MAX_CONCURRENCY the platform’s: a default-mode function setting it runs one invocation at a time', async () => {
    await createFunction(t.lambda, 'not-managed', 'managed-node', { Runtime: 'nodejs22.x', Environment: { Variables: { AWS_LAMBDA_MAX_CONCURRENCY: '8' } } });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'not-managed', Payload: Buffer.from('{"n":1}') }));
    assert.equal(res.FunctionError, undefined);
    const body = decode(res.Payload) as NodeAnswer;
    assert.equal(body.maxConcurrency, undefined);
    assert.equal(body.threadId, 0, 'the main thread: no workers');
  });

  it('throttles with 429 when every environment is full and no other may start', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-full', 'managed-node', { perEnvironmentMaxConcurrency: 2 });
    // Reserved concurrency 3 buys one whole environment of 2.
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'mi-full', ReservedConcurrentExecutions: 3 }));
    const runs = [1, 2].map((n) => invoke('mi-full', version, { n, gate: gate.url }));
    await gate.entered(2);
    await assert.rejects(
      invoke('mi-full', version, { n: 3 }),
      (err: unknown) => err instanceof TooManyRequestsException && err.$metadata.httpStatusCode === 429,
    );
    assert.equal((await environmentsOf(t.platform.url, 'mi-full')).length, 1);
    gate.open();
    for (const { res } of await Promise.all(runs)) assert.equal(res.FunctionError, undefined);
    // With room again, it serves.
    const again = await invoke('mi-full', version, { n: 4 });
    assert.equal(again.res.FunctionError, undefined);
    gate.close();
  });

  it('keeps to the version’s MaxExecutionEnvironments (PutFunctionScalingConfig)', async () => {
    gate = await newGate();
    const version = await createManagedFunction(t.lambda, 'mi-scaled', 'managed-node', { perEnvironmentMaxConcurrency: 2 });
    await t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'mi-scaled', Qualifier: version, FunctionScalingConfig: { MinExecutionEnvironments: 0, MaxExecutionEnvironments: 1 } }));
    const runs = [1, 2].map((n) => invoke('mi-scaled', version, { n, gate: gate.url }));
    await gate.entered(2);
    await assert.rejects(
      invoke('mi-scaled', version, { n: 3 }),
      (err: unknown) => err instanceof TooManyRequestsException && err.$metadata.httpStatusCode === 429,
    );
    assert.equal((await environmentsOf(t.platform.url, 'mi-scaled')).length, 1);
    gate.open();
    for (const { res } of await Promise.all(runs)) assert.equal(res.FunctionError, undefined);
    gate.close();
  });
});
