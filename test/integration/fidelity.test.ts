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
