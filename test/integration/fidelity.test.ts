import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import { createFunction, decode, startTestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('freeze between invocations', () => {
  for (const freeze of [true, false]) {
    it(freeze ? 'stops background timers while the environment waits (default)' : 'lets them run with --no-freeze', async () => {
      const t = await startTestPlatform({ freeze });
      try {
        await createFunction(t.lambda, 'ticker', 'actions');
        const ticks = async () => (decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'ticker', Payload: json({ action: 'ticks' }) }))).Payload) as { ticks: number }).ticks;
        await ticks(); // starts a 10 ms interval that outlives the invocation
        await pause(600); // the environment is idle: frozen or not
        const seen = await ticks();
        if (freeze) assert.ok(seen <= 3, `${seen} ticks while frozen`);
        else assert.ok(seen >= 15, `${seen} ticks while running unfrozen`);
      } finally {
        await t.stop();
      }
    });
  }
});

describe('memory limit', () => {
  it('falls back to a sampling watchdog without cgroups, with the same error', async () => {
    const t = await startTestPlatform({ cgroups: false });
    try {
      await createFunction(t.lambda, 'hungry', 'actions', { MemorySize: 128, Timeout: 10 });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'hungry', Payload: json({ action: 'memory', mb: 400, holdMs: 1000 }) }));
      assert.equal(res.FunctionError, 'Unhandled');
      assert.equal((decode(res.Payload) as { errorType: string }).errorType, 'Runtime.OutOfMemory');
    } finally {
      await t.stop();
    }
  });

  it('ends an invocation that exceeds MemorySize with Runtime.OutOfMemory, and starts fresh next time', async () => {
    const t = await startTestPlatform();
    try {
      await createFunction(t.lambda, 'hungry', 'actions', { MemorySize: 128 });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'hungry', Payload: json({ action: 'memory', mb: 300 }), LogType: 'Tail' }));
      assert.equal(res.FunctionError, 'Unhandled');
      const body = decode(res.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Runtime.OutOfMemory');
      assert.match(body.errorMessage, /Runtime exited with error: signal: killed/);
      const log = Buffer.from(res.LogResult ?? '', 'base64').toString();
      assert.match(log, /Status: error\tError Type: Runtime.OutOfMemory/);
      const used = Number(/Max Memory Used: (\d+) MB/.exec(log)?.[1]);
      assert.ok(used >= 120 && used <= 130, `Max Memory Used ${used} MB at a 128 MB limit`);
      const next = await t.lambda.send(new InvokeCommand({ FunctionName: 'hungry', Payload: json({ action: 'memory', mb: 40 }) }));
      assert.equal(next.FunctionError, undefined);
    } finally {
      await t.stop();
    }
  });
});

describe('scale-up', () => {
  it('runs 100 concurrent invocations of a new function, each in its own environment', async () => {
    const t = await startTestPlatform();
    try {
      await createFunction(t.lambda, 'burst', 'actions', { Timeout: 60 });
      const gate = await newGate();
      const all = Promise.all(
        Array.from({ length: 100 }, () => t.lambda.send(new InvokeCommand({ FunctionName: 'burst', Payload: json({ action: 'gate', gate: gate.url }) }))),
      );
      await gate.entered(100); // every invocation is running at once
      gate.open();
      const results = await all;
      assert.ok(results.every((r) => r.StatusCode === 200 && r.FunctionError === undefined));
      const instances = new Set(results.map((r) => (decode(r.Payload) as { instance: string }).instance));
      assert.equal(instances.size, 100);
      gate.close();
    } finally {
      await t.stop();
    }
  });
});

describe('init phase', () => {
  it('bounds init by its own time limit, and retries init on the next invocation', async () => {
    const t = await startTestPlatform({ initTimeoutMs: 500 });
    try {
      await createFunction(t.lambda, 'slow', 'slow-init', { Timeout: 10, Environment: { Variables: { INIT_SLEEP_MS: '3000' } } });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
      assert.equal(res.FunctionError, 'Unhandled');
      const body = decode(res.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Sandbox.Timedout');
      assert.match(body.errorMessage, /INIT phase timed out after 0\.50 seconds/);

      await createFunction(t.lambda, 'quick', 'slow-init', { Environment: { Variables: { INIT_SLEEP_MS: '100' } } });
      const ok = await t.lambda.send(new InvokeCommand({ FunctionName: 'quick', LogType: 'Tail' }));
      assert.deepEqual(decode(ok.Payload), { initialised: true });
      const init = Number(/Init Duration: ([\d.]+) ms/.exec(Buffer.from(ok.LogResult ?? '', 'base64').toString())?.[1]);
      assert.ok(init >= 100, `Init Duration ${init} ms covers the 100 ms spent loading`);
    } finally {
      await t.stop();
    }
  });
});
