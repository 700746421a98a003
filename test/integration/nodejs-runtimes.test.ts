/**
 * Node.js runtimes as Lambda runs them: each on its own Node.js major, ES module handlers that
 * import the provided SDK and layer packages, and Node.js 24's refusal of callback handlers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, waitUntilFunctionActiveV2, type Runtime } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { zipEntries } from '../../src/code/zip-dir.js';
import { nodejsRuntime } from '../../src/runtimes/nodejs/spec.js';
import { CREDENTIALS, FIXTURES, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('Node.js runtimes', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  async function deploy(name: string, runtime: string, files: Record<string, string | Buffer>, extra: { Layers?: string[]; Handler?: string } = {}): Promise<void> {
    await t.lambda.send(
      new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Role: ROLE, Handler: extra.Handler ?? 'index.handler', Code: { ZipFile: await zipEntries(files) }, ...(extra.Layers ? { Layers: extra.Layers } : {}) }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 120 }, { FunctionName: name });
  }
  const invoke = async (name: string, payload: unknown = {}) => t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));

  for (const major of [18, 20, 22, 24]) {
    it(`runs nodejs${major}.x on Node.js ${major}`, async () => {
      await deploy(`version-${major}`, `nodejs${major}.x`, { 'index.js': 'exports.handler = async () => ({ version: process.version, env: process.env.AWS_EXECUTION_ENV });' });
      const res = await invoke(`version-${major}`);
      assert.equal(res.FunctionError, undefined, JSON.stringify(decode(res.Payload)));
      const body = decode(res.Payload) as { version: string; env: string };
      assert.match(body.version, new RegExp(`^v${major}\\.`));
      assert.equal(body.env, `AWS_Lambda_nodejs${major}.x`);
    });
  }

  it('loads the runtime as one file, leaves node:net, streams and dns unloaded until the code asks, and keeps log lines in order once it does', async () => {
    const code = [
      'exports.handler = async () => {',
      "  console.log('one');",
      '  const loaded = process.moduleLoadList.filter((m) => /^NativeModule (net|stream|dns)$/.test(m));',
      "  const runtimeFiles = Object.keys(require.cache).filter((f) => /^\\/var\\/runtime\\/|\\/dist\\/src\\/runtimes\\/nodejs\\//.test(f)).map((f) => f.split('/').pop());",
      "  process.stdout.write('two\\n');",
      "  console.log('three');",
      "  console.error('four');",
      "  process.stderr.write('five\\n');",
      '  return { loaded, runtimeFiles };',
      '};',
    ].join('\n');
    for (const major of [18, 20, 22, 24]) {
      await deploy(`lean-${major}`, `nodejs${major}.x`, { 'index.js': code });
      for (const round of [1, 2]) {
        const res = await t.lambda.send(new InvokeCommand({ FunctionName: `lean-${major}`, LogType: 'Tail' }));
        assert.equal(res.FunctionError, undefined, JSON.stringify(decode(res.Payload)));
        // The first invocation runs before anything took process.stdout; the second after. (Node.js
        // 18's own node:fs loads the stream modules.)
        const { loaded, runtimeFiles } = decode(res.Payload) as { loaded: string[]; runtimeFiles: string[] };
        // The runtime is one file of its own (scripts/bundle-runtime.mjs), not a module per source file.
        assert.deepEqual(runtimeFiles, ['bootstrap.bundle.js'], `nodejs${major}.x`);
        const expected = round === 2 ? ['NativeModule stream', 'NativeModule net'] : major === 18 ? ['NativeModule stream'] : [];
        assert.deepEqual(loaded, expected, `nodejs${major}.x, round ${round}`);
        const lines = Buffer.from(res.LogResult ?? '', 'base64').toString().split('\n');
        const order = lines.map((line) => /(?:INFO|ERROR)\t(\w+)$|^(\w+)$/.exec(line)).filter((m) => m !== null).map((m) => m[1] ?? m[2]);
        assert.deepEqual(order.filter((w) => ['one', 'two', 'three', 'four', 'five'].includes(w!)), ['one', 'two', 'three', 'four', 'five'], lines.join('\n'));
      }
    }
  });

  it('gives an ES module handler the provided SDK, its layers and its own node_modules', async () => {
    const layer = await t.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'greeting-esm',
        Content: { ZipFile: await zipEntries({ 'nodejs/node_modules/greeting/index.js': readFileSync(join(FIXTURES, '..', 'layers', 'greeting-src', 'greeting.js')) }) },
      }),
    );
    const sqs = new SQSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS });
    await sqs.send(new CreateQueueCommand({ QueueName: 'esm-jobs' }));
    sqs.destroy();
    for (const runtime of ['nodejs20.x', 'nodejs22.x', 'nodejs24.x']) {
      const name = `esm-sdk-${runtime.replace('.', '-')}`;
      await deploy(
        name,
        runtime,
        {
          'index.mjs': readFileSync(join(FIXTURES, 'esm-sdk', 'index.mjs')),
          'node_modules/own-dep/package.json': JSON.stringify({ name: 'own-dep', main: 'index.js' }),
          'node_modules/own-dep/index.js': 'exports.shout = (s) => s.toUpperCase();',
        },
        { Layers: [layer.LayerVersionArn!] },
      );
      const res = await invoke(name, { name: 'esm' });
      assert.equal(res.FunctionError, undefined, `${runtime}: ${JSON.stringify(decode(res.Payload))}`);
      const body = decode(res.Payload) as { greeting: string; queues: string[]; s3: string; documentClient: string };
      assert.equal(body.greeting, 'HELLO ESM, FROM A LAYER');
      assert.ok(body.queues.some((u) => u.endsWith('/esm-jobs')), JSON.stringify(body.queues));
      assert.equal(body.s3, 'function');
      assert.equal(body.documentClient, 'function');
    }
  });

  it('fails init of a callback-style handler on nodejs24.x, as Lambda does, and keeps it on nodejs22.x', async () => {
    const callbackStyle = { 'index.js': 'exports.handler = (event, context, callback) => callback(null, { ok: true });' };
    await deploy('callback-24', 'nodejs24.x', callbackStyle);
    const refused = await invoke('callback-24');
    assert.equal(refused.FunctionError, 'Unhandled');
    assert.equal((decode(refused.Payload) as { errorType: string }).errorType, 'Runtime.CallbackHandlerDeprecated');
    await deploy('callback-22', 'nodejs22.x', callbackStyle);
    assert.deepEqual(decode((await invoke('callback-22')).Payload), { ok: true });
    await deploy('async-24', 'nodejs24.x', { 'index.js': 'exports.handler = async (event, context) => ({ ok: true });' });
    assert.deepEqual(decode((await invoke('async-24')).Payload), { ok: true });
  });

  it('gives each invocation a context whose callbackWaitsForEmptyEventLoop is its own, and honours it', async () => {
    // The result object is serialised when the invocation ends: after the timer when the callback waits for
    // the event loop to empty, at once when the handler said not to wait.
    await deploy('waits', 'nodejs22.x', {
      'index.js': `
        let previous;
        exports.handler = (event, context, callback) => {
          const shape = { keys: Object.keys(context), json: Object.keys(JSON.parse(JSON.stringify(context))), symbols: Object.getOwnPropertySymbols(context).filter((s) => context.propertyIsEnumerable(s)).length, accessor: typeof Object.getOwnPropertyDescriptor(context, 'callbackWaitsForEmptyEventLoop').get };
          const before = context.callbackWaitsForEmptyEventLoop;
          if (event.wait === false) context.callbackWaitsForEmptyEventLoop = false;
          const result = { before, after: context.callbackWaitsForEmptyEventLoop, previousStill: previous?.callbackWaitsForEmptyEventLoop, timerRan: false, shape };
          previous = context;
          setTimeout(() => { result.timerRan = true; }, 300);
          callback(null, result);
        };`,
    });
    const waited = decode((await invoke('waits', { wait: true })).Payload) as Record<string, unknown>;
    assert.deepEqual(waited, {
      before: true,
      after: true,
      timerRan: true,
      shape: {
        keys: ['callbackWaitsForEmptyEventLoop', 'succeed', 'fail', 'done', 'functionVersion', 'functionName', 'memoryLimitInMB', 'logGroupName', 'logStreamName', 'clientContext', 'identity', 'invokedFunctionArn', 'awsRequestId', 'tenantId', 'getRemainingTimeInMillis'],
        json: ['callbackWaitsForEmptyEventLoop', 'functionVersion', 'functionName', 'memoryLimitInMB', 'logGroupName', 'logStreamName', 'invokedFunctionArn', 'awsRequestId'],
        symbols: 0,
        accessor: 'function',
      },
    });
    const early = decode((await invoke('waits', { wait: false })).Payload) as Record<string, unknown>;
    assert.equal(early['before'], true);
    assert.equal(early['after'], false);
    assert.equal(early['timerRan'], false, 'answered without waiting for the timer');
    // The previous invocation's context keeps its own flag.
    assert.equal(early['previousStill'], true);
    const next = decode((await invoke('waits', { wait: true })).Payload) as Record<string, unknown>;
    assert.equal(next['before'], true, 'a new invocation starts waiting again');
    assert.equal(next['previousStill'], false);
    assert.equal(next['timerRan'], true);
  });

  it('says how to install a Node.js major that is not there', () => {
    assert.match(nodejsRuntime('nodejs99.x', 99).unavailable() ?? '', /needs Node\.js 99, which is not installed here: run 'npx selfless runtimes install nodejs99\.x'/);
  });
});
