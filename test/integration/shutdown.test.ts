import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import { CREDENTIALS, alive, createFunction, decode, environmentsOf, hostPidOf } from '../helpers/platform.js';
import { startServerProcess } from '../helpers/server-process.js';


describe('clean shutdown on SIGTERM and SIGINT', () => {
  it('lets an in-flight invocation finish, then stops every environment and exits 0', async () => {
    const server = await startServerProcess(mkdtempSync(join(tmpdir(), 'selfless-shutdown-')), ['--shutdown-grace', '30']);
    const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await createFunction(lambda, 'slow', 'actions');
      await createFunction(lambda, 'idle', 'echo');
      const idleInstance = (decode((await lambda.send(new InvokeCommand({ FunctionName: 'idle' }))).Payload) as { instance: string }).instance;
      const idlePid = await hostPidOf(server.url, 'idle', idleInstance);
      const gate = await newGate();
      const inFlight = lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: Buffer.from(JSON.stringify({ action: 'gate', gate: gate.url })) }));
      await gate.entered(1);
      const slowPid = (await environmentsOf(server.url, 'slow'))[0]!.Pid;
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      gate.open();
      const res = await inFlight;
      assert.equal(res.FunctionError, undefined);
      assert.equal(await server.exited, 0);
      assert.ok(!alive(idlePid), 'the idle environment was stopped');
      assert.ok(!alive(slowPid), 'the busy environment was stopped after it finished');
      assert.match(server.output(), /SIGTERM: finishing in-flight invocations/);
    } finally {
      lambda.destroy();
      server.kill();
    }
  });

  it('fails an invocation that outlives the grace period with a clear error', async () => {
    const server = await startServerProcess(mkdtempSync(join(tmpdir(), 'selfless-shutdown-')), ['--shutdown-grace', '0']);
    const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await createFunction(lambda, 'stuck', 'actions', { Timeout: 60 });
      const gate = await newGate();
      const inFlight = lambda.send(new InvokeCommand({ FunctionName: 'stuck', Payload: Buffer.from(JSON.stringify({ action: 'gate', gate: gate.url })) }));
      await gate.entered(1);
      server.child.kill('SIGINT');
      const res = await inFlight;
      assert.equal(res.FunctionError, 'Unhandled');
      const body = decode(res.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Runtime.ExitError');
      assert.match(body.errorMessage, /the server is shutting down/);
      assert.equal(await server.exited, 0);
    } finally {
      lambda.destroy();
      server.kill();
    }
  });
});
