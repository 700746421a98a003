/**
 * Pre-started runtimes: after a runtime's first cold start, the next new function of the same runtime
 * and memory size takes over a runtime already waiting in its sandbox. It must behave as if started for
 * that function: its own environment, /var/task, context and the runtime's settings for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { findRuntime } from '../../src/runtimes/catalog.js';
import { createFunction, decode, environmentsOf, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

const readyRuntimes = async (t: TestPlatform) => ((await (await fetch(`${t.platform.url}/_selfless/health`)).json()) as { preStartedRuntimes: number }).preStartedRuntimes;

/** Cold-starts `first`, waits for a pre-started runtime of its kind, then cold-starts `second` on it. */
async function secondOnPreStarted(t: TestPlatform, create: (name: string) => Promise<void>, payload: unknown) {
  await create('first');
  await t.lambda.send(new InvokeCommand({ FunctionName: 'first' }));
  assert.deepEqual((await environmentsOf(t.platform.url, 'first')).map((e) => e.PreStarted), [false]);
  await waitFor(async () => (await readyRuntimes(t)) >= 1, 'a runtime to be pre-started');
  await create('second');
  const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'second', Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
  assert.deepEqual((await environmentsOf(t.platform.url, 'second')).map((e) => e.PreStarted), [true]);
  return res;
}

describe('pre-started runtimes', () => {
  it('nodejs20.x: a new function runs on a pre-started runtime with its own environment', async () => {
    const t = await startTestPlatform({ prestartedRuntimes: 1 });
    try {
      const res = await secondOnPreStarted(
        t,
        (name) => createFunction(t.lambda, name, 'echo', { Environment: { Variables: { MY_SETTING: name } } }),
        { hello: 'world' },
      );
      const out = decode(res.Payload) as { event: unknown; context: { functionName: string }; env: Record<string, string>; cwd: string };
      assert.deepEqual(out.event, { hello: 'world' });
      assert.equal(out.context.functionName, 'second');
      assert.equal(out.env['MY_SETTING'], 'second');
      assert.equal(out.env['AWS_LAMBDA_FUNCTION_NAME'], 'second');
      assert.equal(out.env['TZ'], ':UTC');
      assert.equal(out.cwd, out.env['LAMBDA_TASK_ROOT']);
    } finally {
      await t.stop();
    }
  });

  it('python3.12: a new function runs on a pre-started runtime, with the settings of its own runtime version', async (ctx) => {
    if (findRuntime('python3.12')?.unavailable() !== undefined) return ctx.skip('python3.12 is not installed here');
    const t = await startTestPlatform({ prestartedRuntimes: 1 });
    try {
      const res = await secondOnPreStarted(t, (name) => createFunction(t.lambda, name, 'python-echo', { Runtime: 'python3.12', Handler: 'app.handler' }), { word: 'café' });
      // Python 3.12's runtime keeps non-ASCII characters in the JSON it returns (3.11 escapes them): a
      // setting the runtime can only read once it knows its function.
      assert.match(Buffer.from(res.Payload ?? []).toString('utf8'), /"word": "café"/);
      const out = decode(res.Payload) as { python: string; cwd: string; sysPath0: string; context: { function_name: string }; env: Record<string, string> };
      assert.equal(out.python, '3.12');
      assert.equal(out.context.function_name, 'second');
      assert.equal(out.env['AWS_LAMBDA_FUNCTION_NAME'], 'second');
      assert.equal(out.cwd, out.env['LAMBDA_TASK_ROOT']);
      assert.equal(out.sysPath0, out.env['LAMBDA_TASK_ROOT']);
    } finally {
      await t.stop();
    }
  });
});
