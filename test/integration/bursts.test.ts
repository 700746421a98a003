/**
 * Bursts of invocations of a new function: environments start at the rate the machine can
 * initialise them, invocations wait for the next one ready, and whatever cannot be served in
 * time is throttled cleanly; none hangs, none fails for want of CPU.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it } from 'node:test';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { loadEveryCpu } from '../helpers/cpu-load.js';
import { newGate } from '../helpers/gate.js';
import { createFunction, CREDENTIALS, decode, startTestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('bursts', () => {
  it('runs 100 concurrent invocations of a new function, each in its own environment, with every CPU busy', async () => {
    const t = await startTestPlatform();
    const load = loadEveryCpu();
    const gate = await newGate();
    try {
      // Generous limits: the burst waits for CPU, it must not fail for it.
      await createFunction(t.lambda, 'burst', 'actions', { Timeout: 300 });
      const all = Promise.all(
        Array.from({ length: 100 }, () => t.lambda.send(new InvokeCommand({ FunctionName: 'burst', Payload: json({ action: 'gate', gate: gate.url }) }))),
      );
      await gate.entered(100, 280_000); // every invocation is running at once
      gate.open();
      const results = await all;
      assert.deepEqual(
        results.filter((r) => r.StatusCode !== 200 || r.FunctionError !== undefined).map((r) => decode(r.Payload)),
        [],
      );
      const instances = new Set(results.map((r) => (decode(r.Payload) as { instance: string }).instance));
      assert.equal(instances.size, 100);
    } finally {
      gate.open();
      gate.close();
      await load.stop();
      await t.stop();
    }
  });

  it('answers 1,000 concurrent invocations of a new function, each with its result or a clean 429', async () => {
    const t = await startTestPlatform();
    // A client of its own that really sends 1,000 requests at once (the SDK's default agent queues past 50).
    const agent = new Agent({ keepAlive: true, maxSockets: 1000 });
    const lambda = new LambdaClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler: { httpAgent: agent } });
    try {
      await createFunction(t.lambda, 'wide', 'echo');
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          lambda.send(new InvokeCommand({ FunctionName: 'wide', Payload: json({ i }) })).then(
            (r) => (r.StatusCode === 200 && r.FunctionError === undefined && (decode(r.Payload) as { event: { i: number } }).event.i === i ? 'ok' : `bad: ${JSON.stringify(decode(r.Payload))}`),
            (err: unknown) => (err instanceof TooManyRequestsException && err.$metadata.httpStatusCode === 429 ? 'throttled' : `error: ${String(err)}`),
          ),
        ),
      );
      const unexpected = outcomes.filter((o) => o !== 'ok' && o !== 'throttled');
      assert.deepEqual(unexpected, []);
      assert.ok(outcomes.includes('ok'));
    } finally {
      lambda.destroy();
      agent.destroy();
      await t.stop();
    }
  });

  it('throttles with FunctionInvocationRateLimitExceeded an invocation that no environment can take in time', async () => {
    const t = await startTestPlatform({ maxEnvironments: 1, initTimeoutMs: 3000 });
    const gate = await newGate();
    try {
      await createFunction(t.lambda, 'busy', 'actions', { Timeout: 1 });
      await createFunction(t.lambda, 'holder', 'actions', { Timeout: 300 });
      // The only environment there may be stays busy until the gate opens.
      const holding = t.lambda.send(new InvokeCommand({ FunctionName: 'holder', Payload: json({ action: 'gate', gate: gate.url }) }));
      await gate.entered(1);
      await assert.rejects(
        t.lambda.send(new InvokeCommand({ FunctionName: 'busy', Payload: json({}) })),
        (err: unknown) => err instanceof TooManyRequestsException && err.Reason === 'FunctionInvocationRateLimitExceeded' && err.$metadata.httpStatusCode === 429,
      );
      gate.open();
      assert.equal((await holding).FunctionError, undefined);
    } finally {
      gate.open();
      gate.close();
      await t.stop();
    }
  });

  it('stops the environment idle the longest to make room when at the environment limit', async () => {
    const t = await startTestPlatform({ maxEnvironments: 1 });
    try {
      await createFunction(t.lambda, 'first', 'echo');
      await createFunction(t.lambda, 'second', 'echo');
      assert.equal((await t.lambda.send(new InvokeCommand({ FunctionName: 'first' }))).FunctionError, undefined);
      assert.equal(t.platform.environmentCount(), 1);
      // Without room for a second environment, this would wait and be throttled.
      assert.equal((await t.lambda.send(new InvokeCommand({ FunctionName: 'second' }))).FunctionError, undefined);
      assert.equal(t.platform.environmentCount(), 1);
    } finally {
      await t.stop();
    }
  });

  it('answers each invocation of a burst whose cold starts fail with the init error', async () => {
    const t = await startTestPlatform();
    try {
      await createFunction(t.lambda, 'broken', 'init-throw');
      const results = await Promise.all(Array.from({ length: 8 }, () => t.lambda.send(new InvokeCommand({ FunctionName: 'broken', LogType: 'Tail' }))));
      for (const r of results) {
        assert.equal(r.FunctionError, 'Unhandled');
        assert.deepEqual(decode(r.Payload), { errorType: 'Error', errorMessage: 'cannot start: missing configuration', trace: (decode(r.Payload) as { trace: unknown }).trace });
        const log = Buffer.from(r.LogResult ?? '', 'base64').toString();
        assert.match(log, new RegExp(`START RequestId: ${r.$metadata.requestId}`));
        assert.match(log, /REPORT RequestId: .*Status: error/);
      }
    } finally {
      await t.stop();
    }
  });
});
