import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('custom runtimes (provided.al2023, provided.al2)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  for (const runtime of ['provided.al2023', 'provided.al2'] as const) {
    it(`runs a bash bootstrap with curl on ${runtime}`, async () => {
      const name = `bash-${runtime.replace('.', '-')}`;
      await createFunction(t.lambda, name, 'bash-runtime', { Runtime: runtime, Handler: 'function.handler' });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":42}'), LogType: 'Tail' }));
      assert.equal(res.FunctionError, undefined);
      assert.deepEqual(decode(res.Payload), { bash: true, function: name, event: { n: 42 } });
      assert.match(Buffer.from(res.LogResult ?? '', 'base64').toString(), /handling an event in bash/);
      const again = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":43}') }));
      assert.deepEqual((decode(again.Payload) as { event: unknown }).event, { n: 43 });
      const failed = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"fail":true}') }));
      assert.equal(failed.FunctionError, 'Unhandled');
      assert.deepEqual(decode(failed.Payload), { errorType: 'Bash.HandlerFailed', errorMessage: 'handler exited with a failure' });
    });
  }

  it('answers Runtime.ExitError when the package has no runnable bootstrap', async () => {
    await createFunction(t.lambda, 'no-bootstrap', 'echo', { Runtime: 'provided.al2023', Handler: 'x' });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'no-bootstrap' }));
    assert.equal(res.FunctionError, 'Unhandled');
    assert.equal((decode(res.Payload) as { errorType: string }).errorType, 'Runtime.ExitError');
  });
});
