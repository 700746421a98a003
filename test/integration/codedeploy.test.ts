import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentConfigsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const APP = 'svc-app';
const GROUP = 'svc-group';

/** Polls until `check` holds, on a generous deadline (hooks are real invocations, cold starts included). */
async function until(check: () => Promise<boolean>, what: string, each?: () => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    each?.();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const failure = async (p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
};

// Bounded: a deployment that never settles must fail the run, not hang it.
describe('CodeDeploy: Lambda deployments carried out by gradual deployments', { timeout: 600_000 }, () => {
  let t: TestPlatform;
  let cd: CodeDeployClient;
  let cw: CloudWatchClient;
  const clock = new ManualClock();
  // Never advanced: alarms change state only through SetAlarmState here.
  const alarmClock = new ManualClock();

  const release = async (n: number): Promise<string> => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: { RELEASE: String(n) } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'svc' });
    return (await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }))).Version!;
  };
  const alias = () => t.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }));
  const deployment = async (id: string): Promise<DeploymentInfo> => (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
  const appSpec = (from: string, to: string, hooks: Record<string, string> = {}) =>
    JSON.stringify({
      version: 0.0,
      Resources: [{ svc: { Type: 'AWS::Lambda::Function', Properties: { Name: 'svc', Alias: 'live', CurrentVersion: from, TargetVersion: to } } }],
      Hooks: Object.entries(hooks).map(([k, v]) => ({ [k]: v })),
    });
  const deploy = async (from: string, to: string, o: { hooks?: Record<string, string>; config?: string } = {}): Promise<string> =>
    (
      await cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(from, to, o.hooks) } },
          ...(o.config ? { deploymentConfigName: o.config } : {}),
        }),
      )
    ).deploymentId!;
  const weights = async () => (await alias()).RoutingConfig?.AdditionalVersionWeights;

  before(async () => {
    t = await startTestPlatform({}, undefined, { deploymentClock: clock, alarmClock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    cd = new CodeDeployClient(config);
    cw = new CloudWatchClient(config);
    await createFunction(t.lambda, 'svc', 'release', { Environment: { Variables: { RELEASE: '1' } } });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'live', FunctionVersion: '1' }));
    for (const [name, status] of [['pre-ok', 'Succeeded'], ['post-ok', 'Succeeded'], ['pre-fail', 'Failed'], ['post-fail', 'Failed'], ['silent', 'none']]) {
      await createFunction(t.lambda, name!, 'codedeploy-hook', { Handler: 'index.handler', Environment: { Variables: { HOOK_STATUS: status! } } });
    }
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'svc-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'svc' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-errors', StateValue: 'OK', StateReason: 'quiet' }));
  });
  after(async () => {
    cd.destroy();
    cw.destroy();
    await t.stop();
  });

  it('creates a Lambda application and a deployment group with alarms and auto rollback, and serves the predefined configs', async () => {
    const created = await cd.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Lambda' }));
    assert.match(created.applicationId!, /^[0-9a-f-]{36}$/);
    const app = (await cd.send(new GetApplicationCommand({ applicationName: APP }))).application!;
    assert.deepEqual([app.applicationName, app.computePlatform, app.applicationId], [APP, 'Lambda', created.applicationId]);
    assert.ok((await cd.send(new ListApplicationsCommand({}))).applications?.includes(APP));
    assert.equal((await failure(cd.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Lambda' })))).name, 'ApplicationAlreadyExistsException');
    assert.equal((await failure(cd.send(new CreateApplicationCommand({ applicationName: 'ec2-app', computePlatform: 'Server' })))).name, 'InvalidComputePlatformException');

    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        alarmConfiguration: { enabled: true, alarms: [{ name: 'svc-errors' }] },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
      }),
    );
    const group = (await cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP }))).deploymentGroupInfo!;
    assert.equal(group.deploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.deepEqual(group.alarmConfiguration?.alarms, [{ name: 'svc-errors' }]);
    assert.equal(group.computePlatform, 'Lambda');
    assert.deepEqual((await cd.send(new ListDeploymentGroupsCommand({ applicationName: APP }))).deploymentGroups, [GROUP]);
    const missing = await failure(cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: 'nope' })));
    assert.deepEqual([missing.name, missing.$metadata?.httpStatusCode], ['DeploymentGroupDoesNotExistException', 400]);

    const canary = (await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes' }))).deploymentConfigInfo!;
    assert.deepEqual(canary.trafficRoutingConfig, { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } });
    const configs = (await cd.send(new ListDeploymentConfigsCommand({}))).deploymentConfigsList!;
    assert.equal(configs.length, 9);
    assert.ok(configs.includes('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes'));
  });

  it('deploys by canary on the test clock, with hooks that report Succeeded from inside real functions', async () => {
    const v2 = await release(2);
    const id = await deploy('1', v2, { hooks: { BeforeAllowTraffic: 'pre-ok', AfterAllowTraffic: 'post-ok' } });
    assert.match(id, /^d-[A-Z0-9]{9}$/);
    // The BeforeAllowTraffic hook reports; then 10% of the alias's traffic goes to the new version.
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ [v2]: 0.1 }), 'the canary step');
    assert.equal((await deployment(id)).status, 'InProgress');
    // The gradual deployment under it (Selfless's own API) has recorded its first step, so its guard's timer is set.
    const history = async () => ((await (await fetch(`${t.platform.url}/_selfless/functions/svc/deployments`)).json()) as { Deployments: { Status: string; Steps: { Invocations?: number }[] }[] }).Deployments;
    await until(async () => (await history())[0]?.Steps.length === 1, 'the canary step to be recorded');
    clock.advance(4 * 60_000);
    await until(async () => (await history())[0]?.Steps[0]?.Invocations !== undefined, 'the guard to look at the canary');
    assert.deepEqual(await weights(), { [v2]: 0.1 }, 'the canary holds for five minutes');
    assert.equal((await deployment(id)).status, 'InProgress');
    // The fifth minute: all traffic moves; the AfterAllowTraffic hook reports; the deployment succeeds.
    let shifted = false;
    await until(
      async () => (shifted = (await alias()).FunctionVersion === v2),
      'all traffic on the new version',
      () => void (shifted || clock.advance(60_000)),
    );
    await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await deployment(id)).status!), 'the AfterAllowTraffic hook');
    const done = await deployment(id);
    assert.equal(done.status, 'Succeeded', JSON.stringify(done.errorInformation));
    assert.deepEqual(done.deploymentOverview, { Pending: 0, InProgress: 0, Succeeded: 1, Failed: 0, Skipped: 0, Ready: 0 });
    assert.equal((await alias()).RoutingConfig, undefined);
    assert.deepEqual((await cd.send(new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP }))).deployments, [id]);
    const group = (await cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP }))).deploymentGroupInfo!;
    assert.equal(group.lastSuccessfulDeployment?.deploymentId, id);

    // One call through the aws CLI v1.
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'deploy', 'get-deployment', '--deployment-id', id]);
    assert.equal(cli.code, 0, cli.stderr);
    const info = (JSON.parse(cli.stdout) as { deploymentInfo: DeploymentInfo }).deploymentInfo;
    assert.deepEqual([info.status, info.deploymentConfigName, info.creator], ['Succeeded', 'CodeDeployDefault.LambdaCanary10Percent5Minutes', 'user']);
  });

  it('rolls back to the current version when a group alarm goes into ALARM mid-way', async () => {
    const v3 = await release(3);
    const current = (await alias()).FunctionVersion!;
    const id = await deploy(current, v3, { config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' });
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ [v3]: 0.1 }), 'the first linear step');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-errors', StateValue: 'ALARM', StateReason: 'errors from the new version' }));
    await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await deployment(id)).status!), 'the alarm to stop the deployment', () => clock.advance(1000));
    const stopped = await deployment(id);
    assert.equal(stopped.status, 'Stopped');
    assert.equal(stopped.errorInformation?.code, 'ALARM_ACTIVE');
    assert.match(stopped.errorInformation?.message ?? '', /svc-errors/);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], [current, undefined], 'all traffic back on the current version');
    const rollback = await deployment(stopped.rollbackInfo!.rollbackDeploymentId!);
    assert.deepEqual([rollback.creator, rollback.status, rollback.rollbackInfo?.rollbackTriggeringDeploymentId], ['codeDeployRollback', 'Succeeded', id]);
    const listed = await cd.send(new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP, includeOnlyStatuses: ['Stopped'] }));
    assert.deepEqual(listed.deployments, [id]);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-errors', StateValue: 'OK', StateReason: 'quiet again' }));
  });

  it('a PreTraffic hook that reports Failed stops the deployment before any traffic moves', async () => {
    const v4 = await release(4);
    const current = (await alias()).FunctionVersion!;
    const id = await deploy(current, v4, { hooks: { BeforeAllowTraffic: 'pre-fail', AfterAllowTraffic: 'post-ok' } });
    await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await deployment(id)).status!), 'the hook to fail the deployment');
    const failed = await deployment(id);
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.errorInformation?.code, 'HOOK_EXECUTION_FAILURE');
    assert.match(failed.errorInformation?.message ?? '', /BeforeAllowTraffic lifecycle event hook \(pre-fail\) reported Failed/);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], [current, undefined], 'no traffic moved');
    assert.equal(failed.rollbackInfo, undefined, 'nothing to roll back');
  });

  it('a PostTraffic hook that reports Failed rolls all traffic back to the current version', async () => {
    const v7 = await release(7);
    const current = (await alias()).FunctionVersion!;
    const id = await deploy(current, v7, { config: 'CodeDeployDefault.LambdaAllAtOnce', hooks: { AfterAllowTraffic: 'post-fail' } });
    await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await deployment(id)).status!), 'the PostTraffic hook to fail the deployment');
    const failed = await deployment(id);
    assert.deepEqual([failed.status, failed.errorInformation?.code], ['Failed', 'HOOK_EXECUTION_FAILURE']);
    assert.match(failed.errorInformation?.message ?? '', /AfterAllowTraffic lifecycle event hook \(post-fail\) reported Failed/);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], [current, undefined], 'traffic back on the current version');
    const rollback = await deployment(failed.rollbackInfo!.rollbackDeploymentId!);
    assert.deepEqual([rollback.creator, rollback.status], ['codeDeployRollback', 'Succeeded']);
  });

  it('fails a hook that reports nothing within the hour, and refuses statuses it cannot take', async () => {
    const v5 = await release(5);
    const current = (await alias()).FunctionVersion!;
    const id = await deploy(current, v5, { hooks: { BeforeAllowTraffic: 'silent' } });
    await until(async () => (await deployment(id)).status === 'InProgress', 'the hook to start');
    const bad = await failure(cd.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: id, lifecycleEventHookExecutionId: 'not-a-hook', status: 'Succeeded' })));
    assert.equal(bad.name, 'InvalidLifecycleEventHookExecutionIdException');
    const status = await failure(cd.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: id, lifecycleEventHookExecutionId: 'x', status: 'Pending' })));
    assert.equal(status.name, 'InvalidLifecycleEventHookExecutionStatusException');
    clock.advance(59 * 60_000);
    assert.equal((await deployment(id)).status, 'InProgress');
    await until(async () => (await deployment(id)).status === 'Failed', 'the hook to time out', () => clock.advance(60_000));
    assert.match((await deployment(id)).errorInformation?.message ?? '', /timed out after an hour/);
    assert.equal((await alias()).FunctionVersion, current);
  });

  it('StopDeployment ends a deployment under way and rolls its traffic back', async () => {
    const v6 = await release(6);
    const current = (await alias()).FunctionVersion!;
    const id = await deploy(current, v6);
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ [v6]: 0.1 }), 'the canary step');
    const stop = await cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    assert.equal(stop.status, 'Succeeded');
    const stopped = await deployment(id);
    assert.deepEqual([stopped.status, stopped.errorInformation?.code], ['Stopped', 'MANUAL_STOP']);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], [current, undefined]);
    assert.equal((await failure(cd.send(new StopDeploymentCommand({ deploymentId: id })))).name, 'DeploymentAlreadyCompletedException');
    assert.equal((await failure(cd.send(new GetDeploymentCommand({ deploymentId: 'd-NOTTHERE0' })))).name, 'DeploymentDoesNotExistException');
    // A later deployment still runs: the group is free again.
    const next = await deploy(current, v6, { config: 'CodeDeployDefault.LambdaAllAtOnce' });
    await until(async () => (await deployment(next)).status === 'Succeeded', 'the AllAtOnce deployment');
    assert.equal((await alias()).FunctionVersion, v6);
  });
  it('an alarm stops a deployment whose rollback is off, leaving its traffic where it stood', async () => {
    const v8 = await release(8);
    const current = (await alias()).FunctionVersion!;
    const id = (
      await cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(current, v8) } },
          autoRollbackConfiguration: { enabled: false },
        }),
      )
    ).deploymentId!;
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ [v8]: 0.1 }), 'the canary step');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-errors', StateValue: 'ALARM', StateReason: 'errors' }));
    await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await deployment(id)).status!), 'the alarm to stop the deployment', () => clock.advance(1000));
    const stopped = await deployment(id);
    assert.deepEqual([stopped.status, stopped.errorInformation?.code, stopped.rollbackInfo], ['Stopped', 'ALARM_ACTIVE', undefined]);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig?.AdditionalVersionWeights], [current, { [v8]: 0.1 }], 'no rollback: the canary weights stay');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-errors', StateValue: 'OK', StateReason: 'quiet again' }));
  });
});
