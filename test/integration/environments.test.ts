import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import {
  alive,
  createFunction,
  decode,
  environmentsOf,
  fixtureZip,
  hostPidOf,
  startTestPlatform,
  waitFor,
  type TestPlatform,
} from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('execution environments', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ idleTimeoutMs: 60_000 });
    await createFunction(t.lambda, 'actions', 'actions', { Timeout: 1 });
  });
  after(() => t.stop());

  const invoke = async (fn: string, event: unknown, tail = false) =>
    t.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: json(event), LogType: tail ? 'Tail' : 'None' }));
  /** Which environment ran an invocation: its log stream is unique to it. */
  const instanceOf = async (fn = 'actions') => (decode((await invoke(fn, {})).Payload) as { instance: string }).instance;
  /** The host process behind the environment of a fresh invocation. */
  const warmPid = async (fn: string) => hostPidOf(t.platform.url, fn, await instanceOf(fn));

  it('reuses a warm environment: same process, Init Duration only on the cold start', async () => {
    await createFunction(t.lambda, 'warm', 'echo');
    const first = await invoke('warm', {}, true);
    const second = await invoke('warm', {}, true);
    const a = decode(first.Payload) as { instance: string; invocations: number };
    const b = decode(second.Payload) as { instance: string; invocations: number };
    assert.equal(a.instance, b.instance);
    assert.equal(b.invocations, a.invocations + 1);
    assert.equal((await environmentsOf(t.platform.url, 'warm')).length, 1);
    const report = (r: typeof first) => Buffer.from(r.LogResult ?? '', 'base64').toString().split('\n').find((l) => l.startsWith('REPORT'))!;
    assert.match(report(first), /\tInit Duration: \d+\.\d{2} ms\t/);
    assert.doesNotMatch(report(second), /Init Duration/);
  });

  it('starts a new environment when every warm one is busy', async () => {
    const gate = await newGate();
    const both = Promise.all([invoke('actions', { action: 'gate', gate: gate.url }), invoke('actions', { action: 'gate', gate: gate.url })]);
    await gate.entered(2);
    gate.open();
    const [r1, r2] = await both;
    assert.notEqual((decode(r1.Payload) as { instance: string }).instance, (decode(r2.Payload) as { instance: string }).instance);
  });

  it('kills a timed-out environment and answers Sandbox.Timedout; the next invocation gets a fresh one', async () => {
    await createFunction(t.lambda, 'timeouts', 'actions', { Timeout: 1 });
    const before = await warmPid('timeouts');
    const res = await invoke('timeouts', { action: 'sleep', ms: 5000 }, true);
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Sandbox.Timedout');
    assert.match(body.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    const log = Buffer.from(res.LogResult ?? '', 'base64').toString();
    assert.match(log, /Task timed out after 1\.00 seconds/);
    assert.match(log, /REPORT RequestId: .*Status: timeout/);
    await waitFor(() => !alive(before), 'the timed-out process to be gone');
    assert.notEqual(await warmPid('timeouts'), before);
  });

  it('answers Runtime.ExitError when the process dies, and starts fresh next time', async () => {
    await createFunction(t.lambda, 'crashes', 'actions');
    const before = await warmPid('crashes');
    const res = await invoke('crashes', { action: 'exit', code: 3 });
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Runtime.ExitError');
    assert.match(body.errorMessage, /Runtime exited with error: exit status 3/);
    await waitFor(() => !alive(before), 'the crashed process to be gone');
    assert.notEqual(await warmPid('crashes'), before);
  });

  it('reports the real peak memory in REPORT', async () => {
    await createFunction(t.lambda, 'memory', 'actions', { MemorySize: 512 });
    const res = await invoke('memory', { action: 'memory', mb: 120 }, true);
    const log = Buffer.from(res.LogResult ?? '', 'base64').toString();
    const used = Number(/Max Memory Used: (\d+) MB/.exec(log)?.[1]);
    assert.ok(used >= 120, `Max Memory Used ${used} MB after holding 120 MB`);
    assert.match(log, /Memory Size: 512 MB/);
  });

  it('recycles environments on new code or configuration, and on reset', async () => {
    const p1 = await warmPid('actions');
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'actions', Environment: { Variables: { VERSION: '2' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'actions' });
    const p2 = await warmPid('actions');
    assert.notEqual(p2, p1);
    await waitFor(() => !alive(p1), 'the old environment to stop');

    await t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'actions', ZipFile: await fixtureZip('echo') }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'actions' });
    const echoed = decode((await invoke('actions', { hi: 1 })).Payload) as { event: unknown; instance: string };
    assert.deepEqual(echoed.event, { hi: 1 }, 'the new code runs');
    const p3 = await hostPidOf(t.platform.url, 'actions', echoed.instance);
    assert.notEqual(p3, p2);

    const res = await fetch(`${t.platform.url}/_selfless/functions/actions/reset`, { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { RecycledEnvironments: number }).RecycledEnvironments, 1);
    await waitFor(() => !alive(p3), 'the reset environment to stop');
    const after = decode((await invoke('actions', {})).Payload) as { instance: string; invocations: number };
    assert.notEqual(after.instance, echoed.instance);
    assert.equal(after.invocations, 1);
  });
});

describe('scale to zero', () => {
  it('stops environments idle longer than the idle timeout', async () => {
    const t = await startTestPlatform({ idleTimeoutMs: 200 });
    try {
      await createFunction(t.lambda, 'echo', 'echo');
      const first = (decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload) as { instance: string }).instance;
      const pid = await hostPidOf(t.platform.url, 'echo', first);
      assert.equal(t.platform.environmentCount(), 1);
      await waitFor(() => t.platform.environmentCount() === 0, 'the idle environment to stop');
      await waitFor(() => !alive(pid), 'its process to exit');
      const again = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload) as { instance: string };
      assert.notEqual(again.instance, first);
    } finally {
      await t.stop();
    }
  });
});

describe('environment age', () => {
  it('retires a warm environment older than the maximum age, between invocations, and none before', async () => {
    const maxEnvironmentAgeMs = 1500;
    const t = await startTestPlatform({ maxEnvironmentAgeMs });
    try {
      await createFunction(t.lambda, 'echo', 'echo');
      const invoke = async () => decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'echo' }))).Payload) as { instance: string; invocations: number };
      const first = await invoke();
      // The environment started before `first` was answered: from here on, it is younger than the time elapsed.
      const startedBy = performance.now();
      const pid = await hostPidOf(t.platform.url, 'echo', first.instance);
      const second = await invoke();
      if (performance.now() - startedBy < maxEnvironmentAgeMs - 200) {
        assert.equal(second.instance, first.instance);
        assert.equal(second.invocations, first.invocations + 1);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, maxEnvironmentAgeMs + 100 - (performance.now() - startedBy))));
      const third = await invoke();
      assert.notEqual(third.instance, first.instance);
      assert.equal(third.invocations, 1);
      await waitFor(() => !alive(pid), 'the old environment to stop');
      assert.equal((await environmentsOf(t.platform.url, 'echo')).length, 1);
    } finally {
      await t.stop();
    }
  });
});
