import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, startTestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function environments(url: string, name: string): Promise<{ Frozen: boolean; State: string }[]> {
  const res = await fetch(`${url}/_selfless/functions/${name}/environments`);
  return ((await res.json()) as { Environments: { Frozen: boolean; State: string }[] }).Environments;
}

async function until(check: () => Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await pause(20);
  }
}

describe('freeze between invocations', () => {
  for (const freeze of [true, false]) {
    it(freeze ? 'stops background timers while the environment waits (default)' : 'lets them run with --no-freeze', async () => {
      const t = await startTestPlatform({ freeze });
      try {
        await createFunction(t.lambda, 'ticker', 'actions');
        const ticks = async () => (decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'ticker', Payload: json({ action: 'ticks' }) }))).Payload) as { ticks: number[] }).ticks;
        await ticks(); // starts a 10 ms interval that outlives the invocation
        // Frozen shortly after it asks for its next event: however busy the machine, wait until it is.
        if (freeze) await until(async () => (await environments(t.platform.url, 'ticker')).every((e) => e.Frozen));
        const from = Date.now();
        await pause(1000); // the environment is idle: frozen or not
        const to = Date.now();
        const during = (await ticks()).filter((at) => at >= from && at < to).length;
        if (freeze) assert.equal(during, 0, `${during} ticks while frozen`);
        else assert.ok(during >= 15, `${during} ticks in a second unfrozen`);
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

  it('reports Max Memory Used as the process really used it, the runtime\'s shared pages included', async () => {
    const t = await startTestPlatform();
    try {
      await createFunction(t.lambda, 'measured', 'actions', { MemorySize: 256 });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'measured', Payload: json({ action: 'hwm' }), LogType: 'Tail' }));
      const hwmMb = (decode(res.Payload) as { hwmMb: number }).hwmMb;
      const used = Number(/Max Memory Used: (\d+) MB/.exec(Buffer.from(res.LogResult ?? '', 'base64').toString())?.[1]);
      assert.ok(used >= hwmMb - 1 && used <= Math.max(hwmMb * 1.3, hwmMb + 8), `Max Memory Used ${used} MB, the process's own high-water mark ${hwmMb} MB`);
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

describe('init phase', () => {
  it('bounds init by its own time limit, and retries init on the next invocation', async () => {
    const t = await startTestPlatform({ initTimeoutMs: 500 });
    try {
      await createFunction(t.lambda, 'slow', 'slow-init', { Timeout: 10, Environment: { Variables: { INIT_SLEEP_MS: '3000' } } });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'slow', LogType: 'Tail' }));
      assert.equal(res.FunctionError, 'Unhandled');
      const body = decode(res.Payload) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Sandbox.Timedout');
      assert.match(body.errorMessage, /INIT phase timed out after 0\.50 seconds/);
      // The REPORT line carries the time the invocation really took, not 0.
      const report = Buffer.from(res.LogResult ?? '', 'base64').toString();
      const duration = Number(/REPORT RequestId: \S+\tDuration: ([\d.]+) ms/.exec(report)?.[1]);
      assert.ok(duration >= 499, `REPORT Duration ${duration} ms for an init cut at 500 ms`);
      assert.match(report, /Status: timeout/);

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
