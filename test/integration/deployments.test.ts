import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetAliasCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/lib/clock.js';
import { FIXTURES, createFunction, decode, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, run } from '../helpers/run.js';

interface Deployment {
  DeploymentId: string;
  Status: string;
  FromVersion: string | null;
  ToVersion: string;
  Reason?: string;
  Steps: { Weight: number; Invocations?: number; Errors?: number }[];
}

describe('gradual deployments with automatic rollback', () => {
  let t: TestPlatform;
  const clock = new ManualClock();
  const alarmClock = new ManualClock();
  before(async () => {
    t = await startTestPlatform({}, undefined, { deploymentClock: clock, alarmClock });
    await createFunction(t.lambda, 'svc', 'release', { Environment: { Variables: { RELEASE: '1' } } });
  });
  after(() => t.stop());

  const api = async (path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${t.platform.url}/_selfless${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, json: await res.json() };
  };
  const deploy = async (body: unknown) => {
    const res = await api('/functions/svc/deployments', body);
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json as Deployment;
  };
  const deployment = async (id: string) => (await api(`/deployments/${id}`)).json as Deployment;
  const release = async (vars: Record<string, string>) => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: vars } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'svc' });
  };
  const alias = () => t.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }));
  /** Advances the deployment clock and waits until the deployment has acted on it. */
  const step = async (id: string, ms: number, until: (d: Deployment) => boolean) => {
    clock.advance(ms);
    await waitFor(async () => until(await deployment(id)), 'the deployment to take its step');
  };

  it('creates the alias on a first deployment (AllAtOnce)', async () => {
    const d = await deploy({ Alias: 'live', Strategy: 'AllAtOnce' });
    assert.equal(d.Status, 'Succeeded');
    assert.equal(d.ToVersion, '1');
    assert.equal((await alias()).FunctionVersion, '1');
  });

  it('shifts traffic by the canary strategy and completes', async () => {
    await release({ RELEASE: '2' });
    const d = await deploy({ Alias: 'live', Strategy: 'Canary10Percent5Minutes' });
    assert.equal(d.Status, 'InProgress');
    assert.equal(d.FromVersion, '1');
    assert.equal(d.ToVersion, '2');
    assert.deepEqual((await alias()).RoutingConfig?.AdditionalVersionWeights, { '2': 0.1 });
    for (let i = 0; i < 20; i++) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'svc', Qualifier: 'live' }));
      assert.equal(res.FunctionError, undefined);
    }
    await step(d.DeploymentId, 1000, (x) => x.Steps[0]?.Invocations !== undefined);
    assert.equal((await deployment(d.DeploymentId)).Status, 'InProgress', 'the canary holds for 5 minutes');
    await step(d.DeploymentId, 5 * 60_000, (x) => x.Status !== 'InProgress');
    const done = await deployment(d.DeploymentId);
    assert.equal(done.Status, 'Succeeded');
    assert.deepEqual(done.Steps.map((s) => s.Weight), [0.1, 1]);
    const a = await alias();
    assert.equal(a.FunctionVersion, '2');
    assert.equal(a.RoutingConfig, undefined);
  });

  it('rolls back automatically when the new version fails', async () => {
    await release({ RELEASE: '3', BROKEN: 'yes' });
    const d = await deploy({ Alias: 'live', Strategy: 'Linear10PercentEvery1Minute', MinInvocations: 3, MaxErrorRate: 0.2 });
    assert.deepEqual((await alias()).RoutingConfig?.AdditionalVersionWeights, { '3': 0.1 });
    let failures = 0;
    for (let i = 0; i < 400 && failures < 3; i++) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'svc', Qualifier: 'live' }));
      if (res.ExecutedVersion === '3') {
        assert.equal(res.FunctionError, 'Unhandled');
        failures++;
      } else assert.deepEqual(decode(res.Payload), { release: '2' });
    }
    assert.equal(failures, 3, 'about a tenth of the traffic reached the new version');
    await step(d.DeploymentId, 1000, (x) => x.Status !== 'InProgress');
    const done = await deployment(d.DeploymentId);
    assert.equal(done.Status, 'RolledBack');
    assert.match(done.Reason ?? '', /Error rate of version 3 was 100\.0% \(3 of 3 invocations\), above the 20\.0% guard/);
    const a = await alias();
    assert.equal(a.FunctionVersion, '2');
    assert.equal(a.RoutingConfig, undefined);
    const history = (await api('/functions/svc/deployments')).json as { Deployments: Deployment[] };
    assert.deepEqual(history.Deployments.map((x) => x.Status), ['RolledBack', 'Succeeded', 'Succeeded']);
  });

  it('refuses an unknown strategy and a second deployment to the same alias', async () => {
    const bad = await api('/functions/svc/deployments', { Alias: 'live', Strategy: 'Sometimes' });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { Message: string }).Message, /Unknown deployment strategy 'Sometimes'/);
    await release({ RELEASE: '4' });
    const first = await deploy({ Alias: 'live', Strategy: 'Canary10Percent5Minutes' });
    const second = await api('/functions/svc/deployments', { Alias: 'live', Strategy: 'AllAtOnce', Version: '4' });
    assert.equal(second.status, 409);
    await step(first.DeploymentId, 6 * 60_000, (x) => x.Status !== 'InProgress');
  });

  it('rolls back when a watched alarm goes into ALARM', async () => {
    const put = await fetch(`${t.platform.url}/_selfless/alarms/svc-errors`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Metric: 'Errors', FunctionName: 'svc', Statistic: 'Sum', PeriodSeconds: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }),
    });
    assert.equal(put.status, 200, await put.text());
    await release({ RELEASE: '5', BROKEN: 'yes' });
    // The error-rate guard is off (100%): only the alarm can roll this one back.
    const d = await deploy({ Alias: 'live', Strategy: 'Linear10PercentEvery1Minute', MaxErrorRate: 1, Alarms: ['svc-errors'] });
    for (let i = 0, failures = 0; i < 400 && failures < 2; i++) {
      if ((await t.lambda.send(new InvokeCommand({ FunctionName: 'svc', Qualifier: 'live' }))).FunctionError) failures++;
    }
    // Metrics carry the server's time: move the alarm clock into the minute after the errors.
    const m = (await (await fetch(`${t.platform.url}/_selfless/functions/svc/metrics?minutes=5`)).json()) as { PerMinute: { Minute: string; Errors: number }[] };
    const errorMinute = Date.parse(m.PerMinute.find((p) => p.Errors > 0)!.Minute);
    alarmClock.advance(Math.max(60_000, errorMinute + 60_000 - alarmClock.now()));
    await waitFor(async () => ((await api('/alarms/svc-errors')).json as { StateValue: string }).StateValue === 'ALARM', 'the alarm to fire');
    await step(d.DeploymentId, 1000, (x) => x.Status !== 'InProgress');
    const done = await deployment(d.DeploymentId);
    assert.equal(done.Status, 'RolledBack');
    assert.equal(done.Reason, 'Alarm in ALARM: svc-errors.');
    assert.equal((await alias()).FunctionVersion, '4');
    const unknown = await api('/functions/svc/deployments', { Alias: 'live', Strategy: 'AllAtOnce', Alarms: ['no-such-alarm'] });
    assert.equal(unknown.status, 400);
  });

  it('deploys through the CLI and lists the history', async () => {
    const cli = (...args: string[]) => run(process.execPath, [SELFLESS_BIN, ...args, '--endpoint', t.platform.url]);
    const first = await cli('deploy', join(FIXTURES, 'release'), '--name', 'cli-svc', '--env', 'RELEASE=1', '--alias', 'live');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment [0-9a-f-]{36}: cli-svc:live \(new alias\) -> 1 by AllAtOnce\n/);
    assert.match(first.stdout, /Succeeded: The alias did not exist/);
    const second = await cli('deploy', join(FIXTURES, 'release'), '--name', 'cli-svc', '--env', 'RELEASE=2', '--alias', 'live', '--strategy', 'Canary10Percent5Minutes');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /cli-svc:live 1 -> 2 by Canary10Percent5Minutes\n  step 1:  10% at /);
    const listed = await cli('deployments', 'cli-svc');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /live: 1 -> 2 {2}Canary10Percent5Minutes {2}InProgress\n {4} *10% at /);
    assert.match(listed.stdout, /live: - -> 1 {2}AllAtOnce {2}Succeeded/);
  });

  it('shifts traffic linearly, step by step, and completes', async () => {
    await release({ RELEASE: '2', LINEAR: 'yes' });
    const d = await deploy({ Alias: 'live', Strategy: 'Linear50PercentEvery1Minute' });
    assert.deepEqual((await alias()).RoutingConfig?.AdditionalVersionWeights, { [d.ToVersion]: 0.5 });
    await step(d.DeploymentId, 1000, (x) => x.Steps[0]?.Invocations !== undefined);
    await step(d.DeploymentId, 60_000, (x) => x.Status !== 'InProgress');
    const done = await deployment(d.DeploymentId);
    assert.equal(done.Status, 'Succeeded');
    assert.deepEqual(done.Steps.map((s) => s.Weight), [0.5, 1]);
    assert.equal((await alias()).FunctionVersion, d.ToVersion);
  });
});
