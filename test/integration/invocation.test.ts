import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeAsyncCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('invocation types, runtimes and function errors', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'actions', 'actions');
  });
  after(() => t.stop());

  it('RequestResponse returns a thrown error as Unhandled with Lambda\'s Node.js error shape', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'actions', Payload: json({ action: 'throw', message: 'no good' }) }));
    assert.equal(res.StatusCode, 200);
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'no good');
    assert.ok(Array.isArray(body.trace) && body.trace[0]?.startsWith('TypeError: no good'));
  });

  it('DryRun answers 204 without running anything', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'actions', InvocationType: 'DryRun' }));
    assert.equal(res.StatusCode, 204);
  });

  it('Event answers 202 at once and runs the function in the background', async () => {
    const marker = `event-${Date.now()}`;
    const res = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'actions', InvocationType: 'Event', Payload: json({ action: 'print', lines: [marker] }) }),
    );
    assert.equal(res.StatusCode, 202);
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      const page = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/actions', filterPattern: `"${marker}"` }));
      found = (page.events ?? []).length > 0;
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(found, 'the event ran and logged its marker');
  });

  it('the deprecated InvokeAsync answers 202 and runs the event', async () => {
    const marker = `invoke-async-${Date.now()}`;
    const res = await t.lambda.send(new InvokeAsyncCommand({ FunctionName: 'actions', InvokeArgs: json({ action: 'print', lines: [marker] }) }));
    assert.equal(res.Status, 202);
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      const page = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/actions', filterPattern: `"${marker}"` }));
      found = (page.events ?? []).length > 0;
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(found, 'the event ran and logged its marker');
  });

  it('LogType Tail returns the last 4 KB of the log, START to REPORT', async () => {
    const res = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'actions', LogType: 'Tail', Payload: json({ action: 'print', lines: ['hello tail'] }) }),
    );
    const log = Buffer.from(res.LogResult ?? '', 'base64').toString('utf8');
    const lines = log.split('\n').filter((l) => l.length > 0);
    assert.match(lines[0]!, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    assert.match(lines[1]!, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello tail$/);
    assert.equal(lines[2], 'raw line without prefix');
    assert.match(lines[3]!, /^END RequestId: [0-9a-f-]{36}$/);
    assert.match(lines[4]!, /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/);

    const big = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'actions', LogType: 'Tail', Payload: json({ action: 'print', lines: Array(200).fill('y'.repeat(60)) }) }),
    );
    const tail = Buffer.from(big.LogResult ?? '', 'base64');
    assert.ok(tail.length <= 4096 && tail.length > 3000, `tail is ${tail.length} bytes`);
    assert.match(tail.toString('utf8'), /REPORT RequestId/);
  });

  it('a response over 6 MB fails with Function.ResponseSizeTooLarge', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'actions', Payload: json({ action: 'big', bytes: 6_400_000 }) }));
    assert.equal(res.FunctionError, 'Unhandled');
    assert.equal((decode(res.Payload) as { errorType: string }).errorType, 'Function.ResponseSizeTooLarge');
  });

  it('the Runtime API answers with its documented status codes', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'actions', Payload: json({ action: 'runtime-api' }) }));
    assert.deepEqual(decode(res.Payload), { unknownId: 400, initErrorAfterInit: 403, unknownRoute: 404, wrongMethod: 405, malformed: 400 });
  });

  it('runs ES module handlers with top-level await, and callback handlers', async () => {
    await createFunction(t.lambda, 'esm', 'esm', { Runtime: 'nodejs22.x' });
    const esm = await t.lambda.send(new InvokeCommand({ FunctionName: 'esm', Payload: json({ x: 1 }) }));
    assert.deepEqual(decode(esm.Payload), { esm: true, config: { loadedAt: 'init' }, event: { x: 1 } });

    await createFunction(t.lambda, 'callback', 'callback', { Runtime: 'nodejs18.x' });
    const ok = await t.lambda.send(new InvokeCommand({ FunctionName: 'callback', Payload: json({}) }));
    assert.equal((decode(ok.Payload) as { callback: boolean }).callback, true);
    const failed = await t.lambda.send(new InvokeCommand({ FunctionName: 'callback', Payload: json({ fail: true }) }));
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.equal((decode(failed.Payload) as { errorMessage: string }).errorMessage, 'callback failure');
  });

  it('reports init errors through /init/error, and retries init on the next invocation', async () => {
    await createFunction(t.lambda, 'init-throw', 'init-throw');
    for (let i = 0; i < 2; i++) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'init-throw' }));
      assert.equal(res.FunctionError, 'Unhandled');
      const body = decode(res.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Error');
      assert.equal(body.errorMessage, 'cannot start: missing configuration');
    }
    await createFunction(t.lambda, 'no-module', 'echo', { Handler: 'missing.handler' });
    const missing = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'no-module' }))).Payload) as { errorType: string };
    assert.equal(missing.errorType, 'Runtime.ImportModuleError');
    await createFunction(t.lambda, 'no-export', 'echo', { Handler: 'index.nothere' });
    const noExport = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'no-export' }))).Payload) as { errorType: string };
    assert.equal(noExport.errorType, 'Runtime.HandlerNotFound');
  });

  it('passes the client context to the function', async () => {
    await createFunction(t.lambda, 'echo', 'echo');
    const ctx = { custom: { tenant: 'a' }, env: { platform: 'test' } };
    const res = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from(JSON.stringify(ctx)).toString('base64') }),
    );
    assert.deepEqual((decode(res.Payload) as { context: { clientContext: unknown } }).context.clientContext, ctx);
  });
});
