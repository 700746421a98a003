/**
 * SAM's AutoPublishAlias + DeploymentPreference deployed as teams deploy it, with `aws cloudformation
 * deploy` (CLI v1): the first deploy creates the stack, later ones shift the alias by CodeDeploy's
 * canary (a real PreTraffic hook function reports back), and an alarm in ALARM rolls the stack back;
 * a stack that fails after its alias was deployed moves the alias back through CodeDeploy (SDK, fast).
 * The deployment clock is the test's: it moves the canary's five minutes while the CLI waits.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateStackCommand, DescribeStackResourceCommand, DescribeStacksCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, ListApplicationsCommand, ListDeploymentGroupsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/lib/clock.js';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { CREDENTIALS, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, type RunResult } from '../helpers/run.js';

const STACK = 'canary-sam';
const ALARM = 'canary-api-errors';

const template = (release: number) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ release: ${release} });"
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Alarms:
          - !Ref ApiErrors
        Hooks:
          PreTraffic: !Ref PreTrafficHook
  PreTrafficHook:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      FunctionName: CodeDeployHook_canary_pre
      InlineCode: |
        const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
        const codedeploy = new CodeDeployClient({});
        exports.handler = async (event) => {
          await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId: event.DeploymentId,
            lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
            status: 'Succeeded',
          }));
        };
  ApiErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: ${ALARM}
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Api
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
`;

/** An AllAtOnce preference, and (in a later release) a resource after the alias that cannot be made. */
const rollbackTemplate = (release: number, broken: boolean) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ release: ${release} });"
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
${broken ? '  Broken:\n    Type: AWS::Selfless::Unsupported\n    DependsOn: ApiAliaslive\n' : ''}`;

/** Polls until `check` holds, on a generous deadline; `each` runs before every look (it moves the test's clock). */
async function until(check: () => Promise<boolean>, what: string, each?: () => void): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    each?.();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Bounded: a deployment that never settles must fail the run, not hang it.
describe('SAM DeploymentPreference through `aws cloudformation deploy`: canary, then alarm rollback', { timeout: 600_000 }, () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let cw: CloudWatchClient;
  let cd: CodeDeployClient;
  let dir: string;
  let fn: string;
  const deploymentClock = new ManualClock();
  // Never advanced: the alarm changes state only through SetAlarmState.
  const alarmClock = new ManualClock();

  const deploy = (release: number): Promise<RunResult> => {
    const file = join(dir, `release-${release}.yaml`);
    writeFileSync(file, template(release));
    return run('aws', ['--endpoint-url', t.platform.url, 'cloudformation', 'deploy', '--template-file', file, '--stack-name', STACK, '--capabilities', 'CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND']);
  };
  const alias = () => t.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  const weights = async () => (await alias()).RoutingConfig?.AdditionalVersionWeights;
  const stackStatus = async () => (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0]!.StackStatus;
  const releaseOf = async (qualifier: string) => (decode((await t.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: qualifier }))).Payload) as { release: number }).release;

  before(async () => {
    t = await startTestPlatform({}, undefined, { deploymentClock, alarmClock });
    cfn = cfnClient(t);
    const clientConfig = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    cw = new CloudWatchClient(clientConfig);
    cd = new CodeDeployClient(clientConfig);
    dir = mkdtempSync(join(tmpdir(), 'cfn-canary-'));
  });
  after(async () => {
    cw.destroy();
    cd.destroy();
    cfn.destroy();
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  it('the first deploy creates the stack and points the alias at the first version directly', async () => {
    const first = await deploy(1);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Successfully created\/updated stack - canary-sam/);
    assert.equal(await stackStatus(), 'CREATE_COMPLETE');
    fn = (await cfn.send(new DescribeStackResourceCommand({ StackName: STACK, LogicalResourceId: 'Api' }))).StackResourceDetail!.PhysicalResourceId!;
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], ['1', undefined]);
    assert.equal(await releaseOf('live'), 1);
    // SAM's CodeDeploy application and group exist, and no deployment was needed to create the alias.
    const app = (await cd.send(new ListApplicationsCommand({}))).applications!.find((n) => n.startsWith(`${STACK}-ServerlessDeploymentApplication-`))!;
    const groups = (await cd.send(new ListDeploymentGroupsCommand({ applicationName: app }))).deploymentGroups!;
    assert.equal(groups.length, 1);
    assert.deepEqual((await cd.send(new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: groups[0]! }))).deployments, []);
  });

  it('a deploy with changed code shifts the alias by the canary: 10% on the new version, then all of it once five minutes have passed', async () => {
    const cli = deploy(2);
    // The PreTraffic hook reports Succeeded from inside its function; then the canary step.
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ '2': 0.1 }), 'the canary step');
    assert.equal((await alias()).FunctionVersion, '1');
    assert.equal(await stackStatus(), 'UPDATE_IN_PROGRESS', 'the stack waits for the deployment');
    const events = await eventsOf(cfn, STACK);
    assert.equal(events.find((e) => e.LogicalResourceId === 'ApiAliaslive')?.ResourceStatus, 'UPDATE_IN_PROGRESS');
    // Past five minutes of the deployment clock, all traffic moves and the stack update completes.
    let shifted = false;
    await until(async () => (shifted = (await alias()).FunctionVersion === '2'), 'all traffic on version 2', () => void (shifted || deploymentClock.advance(60_000)));
    const done = await cli;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(await stackStatus(), 'UPDATE_COMPLETE');
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], ['2', undefined]);
    assert.equal(await releaseOf('live'), 2);
  });

  it('an alarm in ALARM during the canary fails the alias update, and the stack rolls back with the alias on the previous version', async () => {
    const cli = deploy(3);
    await until(async () => JSON.stringify(await weights()) === JSON.stringify({ '3': 0.1 }), 'the canary step');
    await cw.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: 'ALARM', StateReason: 'errors from the new version' }));
    // The deployment looks at its alarms on its own clock's ticks.
    let back = false;
    await until(async () => (back = (await weights()) === undefined), 'the alarm to stop the canary', () => void (back || deploymentClock.advance(1_000)));
    const failed = await cli;
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /Failed to create\/update the stack/);
    assert.equal(await stackStatus(), 'UPDATE_ROLLBACK_COMPLETE');
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], ['2', undefined]);
    assert.equal(await releaseOf('live'), 2);
    assert.equal(await releaseOf('$LATEST'), 2, 'the function code is rolled back too');

    // The events name the alias and why its deployment failed.
    const events = await eventsOf(cfn, STACK);
    const aliasFailed = events.find((e) => e.LogicalResourceId === 'ApiAliaslive' && e.ResourceStatus === 'UPDATE_FAILED');
    assert.ok(aliasFailed, JSON.stringify(events.map((e) => [e.LogicalResourceId, e.ResourceStatus])));
    assert.match(aliasFailed.ResourceStatusReason!, /^CodeDeploy deployment (d-[A-Z0-9]{9}) was stopped: One or more alarms have been activated/);
    assert.match(aliasFailed.ResourceStatusReason!, new RegExp(ALARM));
    const stackRollback = events.find((e) => e.LogicalResourceId === STACK && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS');
    assert.match(stackRollback?.ResourceStatusReason ?? '', /The following resource\(s\) failed to update: \[ApiAliaslive\]/);
    const deploymentId = /(d-[A-Z0-9]{9})/.exec(aliasFailed.ResourceStatusReason!)![1]!;
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    assert.deepEqual([info.status, info.errorInformation?.code], ['Stopped', 'ALARM_ACTIVE']);
  });
  it('a stack rolled back after its alias was deployed moves the alias back through CodeDeploy', async () => {
    const name = 'canary-rollback';
    const capabilities = ['CAPABILITY_IAM' as const, 'CAPABILITY_AUTO_EXPAND' as const];
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: rollbackTemplate(1, false), Capabilities: capabilities }));
    assert.equal((await settledStack(cfn, name, 90_000)).StackStatus, 'CREATE_COMPLETE');
    const fnName = (await cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'Api' }))).StackResourceDetail!.PhysicalResourceId!;
    const version = async () => (await t.lambda.send(new GetAliasCommand({ FunctionName: fnName, Name: 'live' }))).FunctionVersion;
    await cfn.send(new UpdateStackCommand({ StackName: name, TemplateBody: rollbackTemplate(2, true), Capabilities: capabilities }));
    let status: string | undefined;
    await until(async () => !(status = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!.StackStatus)!.endsWith('_IN_PROGRESS'), 'the update to settle', () => deploymentClock.advance(60_000));
    assert.equal(status, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(await version(), '1');
    // Forward to version 2 (it succeeded before Broken failed), then back to version 1: two CodeDeploy deployments.
    const app = (await cd.send(new ListApplicationsCommand({}))).applications!.find((n) => n.startsWith(`${name}-ServerlessDeploymentApplication-`))!;
    const group = (await cd.send(new ListDeploymentGroupsCommand({ applicationName: app }))).deploymentGroups![0]!;
    const ids = (await cd.send(new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: group }))).deployments!;
    assert.equal(ids.length, 2);
    const infos = await Promise.all(ids.map(async (deploymentId) => (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!));
    assert.deepEqual(infos.map((i) => i.status), ['Succeeded', 'Succeeded']);
    const events = await eventsOf(cfn, name);
    const rollbackAt = events.findIndex((e) => e.LogicalResourceId === name && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS');
    assert.ok(events.slice(0, rollbackAt).some((e) => e.LogicalResourceId === 'ApiAliaslive' && e.ResourceStatus === 'UPDATE_COMPLETE'), 'the alias was updated during the rollback');
  });
});
