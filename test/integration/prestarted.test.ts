/**
 * Pre-started runtimes: deploying a function starts a runtime of its kind (runtime and memory size)
 * that waits in its sandbox, so that even the first invocation takes it over instead of starting a
 * process. It must behave as if started for that function: its own environment, /var/task, context
 * and the runtime's settings for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { findRuntime } from '../../src/runtimes/catalog.js';
import { createFunction, decode, environmentsOf, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

const readyRuntimes = async (t: TestPlatform) => ((await (await fetch(`${t.platform.url}/_selfless/health`)).json()) as { preStartedRuntimes: number }).preStartedRuntimes;

/** Deploys `name`, waits for the runtime its deployment pre-starts, then invokes it for the first time. */
async function firstInvokeOnPreStarted(t: TestPlatform, name: string, create: (name: string) => Promise<void>, payload: unknown) {
  assert.equal(await readyRuntimes(t), 0);
  await create(name);
  await waitFor(async () => (await readyRuntimes(t)) >= 1, 'the deployment to pre-start a runtime');
  const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
  assert.deepEqual((await environmentsOf(t.platform.url, name)).map((e) => e.PreStarted), [true]);
  return res;
}

describe('pre-started runtimes', () => {
  it("nodejs20.x: a new function's first invocation runs on a pre-started runtime, with its own environment", async () => {
    const t = await startTestPlatform({ prestartedRuntimes: 1 });
    try {
      const res = await firstInvokeOnPreStarted(
        t,
        'deployed',
        (name) => createFunction(t.lambda, name, 'echo', { Environment: { Variables: { MY_SETTING: name } } }),
        { hello: 'world' },
      );
      const out = decode(res.Payload) as { event: unknown; context: { functionName: string }; env: Record<string, string>; cwd: string };
      assert.deepEqual(out.event, { hello: 'world' });
      assert.equal(out.context.functionName, 'deployed');
      assert.equal(out.env['MY_SETTING'], 'deployed');
      assert.equal(out.env['AWS_LAMBDA_FUNCTION_NAME'], 'deployed');
      assert.equal(out.env['TZ'], ':UTC');
      assert.equal(out.cwd, out.env['LAMBDA_TASK_ROOT']);
    } finally {
      await t.stop();
    }
  });

  it("python3.12: a new function's first invocation runs on a pre-started runtime, with the settings of its own runtime version", async (ctx) => {
    if (findRuntime('python3.12')?.unavailable() !== undefined) return ctx.skip('python3.12 is not installed here');
    const t = await startTestPlatform({ prestartedRuntimes: 1 });
    try {
      const res = await firstInvokeOnPreStarted(t, 'deployed', (name) => createFunction(t.lambda, name, 'python-echo', { Runtime: 'python3.12', Handler: 'app.handler' }), {
        word: 'café',
      });
      // Python 3.12's runtime keeps non-ASCII characters in the JSON it returns (3.11 escapes them): a
      // setting the runtime can only read once it knows its function.
      assert.match(Buffer.from(res.Payload ?? []).toString('utf8'), /"word": "café"/);
      const out = decode(res.Payload) as { python: string; cwd: string; sysPath0: string; context: { function_name: string }; env: Record<string, string> };
      assert.equal(out.python, '3.12');
      assert.equal(out.context.function_name, 'deployed');
      assert.equal(out.env['AWS_LAMBDA_FUNCTION_NAME'], 'deployed');
      assert.equal(out.cwd, out.env['LAMBDA_TASK_ROOT']);
      assert.equal(out.sysPath0, out.env['LAMBDA_TASK_ROOT']);
    } finally {
      await t.stop();
    }
  });
});
