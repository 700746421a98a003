import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeDeployClient,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/lib/clock.js';
import { codeDeployAliasUpdate } from '../../src/services/cloudformation/providers/codedeploy-alias-update.js';
import { codedeployProviders } from '../../src/services/cloudformation/providers/codedeploy.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const APP_TYPE = 'AWS::CodeDeploy::Application';
const GROUP_TYPE = 'AWS::CodeDeploy::DeploymentGroup';

const failure = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
};

// Bounded: a deployment that never settles must fail the run, not hang it.
describe('CloudFormation providers: CodeDeploy, and the alias update under CodeDeployLambdaAliasUpdate', { timeout: 600_000 }, () => {
  let t: TestPlatform;
  let cd: CodeDeployClient;
  const clock = new ManualClock();
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'sam-stack', stackTags: { project: 'demo' } });
  const release = async (n: number): Promise<string> => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Environment: { Variables: { RELEASE: String(n) } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'api' });
    return (await t.lambda.send(new PublishVersionCommand({ FunctionName: 'api' }))).Version!;
  };
  const alias = () => t.lambda.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }));

  before(async () => {
    t = await startTestPlatform({}, undefined, { deploymentClock: clock });
    cd = new CodeDeployClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await createFunction(t.lambda, 'api', 'release', { Environment: { Variables: { RELEASE: '1' } } });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'api' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'api', Name: 'live', FunctionVersion: '1' }));
    for (const [name, status] of [['pre-hook', 'Succeeded'], ['bad-hook', 'Failed']]) {
      await createFunction(t.lambda, name!, 'codedeploy-hook', { Environment: { Variables: { HOOK_STATUS: status! } } });
    }
  });
  after(async () => {
    cd.destroy();
    await t.stop();
  });

  // As SAM writes them for `DeploymentPreference: {Type: Canary10Percent5Minutes, Hooks: {PreTraffic: ...}}`.
  const groupProps = (appName: string, type = 'Canary10Percent5Minutes') => ({
    ApplicationName: appName,
    AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
    DeploymentConfigName: `CodeDeployDefault.Lambda${type}`,
    DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ServiceRoleArn: 'arn:aws:iam::000000000000:role/CodeDeployServiceRole',
  });

  it('creates, updates and deletes an application and its deployment group (Ref = name), with stack tags', async () => {
    const app = await codedeployProviders[APP_TYPE]!.create({ ComputePlatform: 'Lambda' }, ctx('ServerlessDeploymentApplication'));
    assert.match(app.physicalId, /^sam-stack-ServerlessDeploymentApplication-[A-Z0-9]{12}$/);
    assert.equal((await cd.send(new GetApplicationCommand({ applicationName: app.physicalId }))).application?.computePlatform, 'Lambda');
    const appArn = `arn:aws:codedeploy:us-east-1:${t.platform.config.accountId}:application:${app.physicalId}`;
    assert.deepEqual((await cd.send(new ListTagsForResourceCommand({ ResourceArn: appArn }))).Tags, [{ Key: 'project', Value: 'demo' }]);
    await codedeployProviders[APP_TYPE]!.update(app.physicalId, { ComputePlatform: 'Lambda', Tags: [{ Key: 'team', Value: 'a' }] }, { ComputePlatform: 'Lambda' }, ctx('ServerlessDeploymentApplication'));
    assert.deepEqual((await cd.send(new ListTagsForResourceCommand({ ResourceArn: appArn }))).Tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);

    const props = groupProps(app.physicalId);
    const group = await codedeployProviders[GROUP_TYPE]!.create(props, ctx('ApiDeploymentGroup'));
    const info = async () => (await cd.send(new GetDeploymentGroupCommand({ applicationName: app.physicalId, deploymentGroupName: group.physicalId }))).deploymentGroupInfo!;
    assert.equal((await info()).deploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.deepEqual((await info()).autoRollbackConfiguration?.events, props.AutoRollbackConfiguration.Events);

    const next = { ...groupProps(app.physicalId, 'Linear10PercentEvery1Minute'), AlarmConfiguration: { Enabled: true, Alarms: [{ Name: 'api-errors' }] } };
    await codedeployProviders[GROUP_TYPE]!.update(group.physicalId, next, props, ctx('ApiDeploymentGroup'));
    const updated = await info();
    assert.equal(updated.deploymentConfigName, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    assert.deepEqual(updated.alarmConfiguration, { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'api-errors' }] });
    const unknown = await failure(codedeployProviders[GROUP_TYPE]!.create({ ...props, Ec2TagFilters: [] }, ctx('Other')));
    assert.match(unknown.message, /property Ec2TagFilters is not supported by Selfless/);

    await codedeployProviders[GROUP_TYPE]!.delete(group.physicalId, next, ctx('ApiDeploymentGroup'));
    assert.equal((await failure(info())).name, 'DeploymentGroupDoesNotExistException');
    await codedeployProviders[GROUP_TYPE]!.delete(group.physicalId, next, ctx('ApiDeploymentGroup')); // already gone: success
    await codedeployProviders[APP_TYPE]!.delete(app.physicalId, {}, ctx('ServerlessDeploymentApplication'));
    assert.equal((await failure(cd.send(new GetApplicationCommand({ applicationName: app.physicalId })))).name, 'ApplicationDoesNotExistException');
    await codedeployProviders[APP_TYPE]!.delete(app.physicalId, {}, ctx('ServerlessDeploymentApplication'));
  });

  it('codeDeployAliasUpdate deploys the new version through CodeDeploy (hook, canary on the test clock) and resolves when it succeeds', async () => {
    const app = await codedeployProviders[APP_TYPE]!.create({ ComputePlatform: 'Lambda' }, ctx('ServerlessDeploymentApplication'));
    const group = await codedeployProviders[GROUP_TYPE]!.create(groupProps(app.physicalId), ctx('ApiDeploymentGroup'));
    const v2 = await release(2);
    let settled = false;
    const update = codeDeployAliasUpdate(ctx('ApiAliaslive'), {
      applicationName: app.physicalId,
      deploymentGroupName: group.physicalId,
      functionName: 'api',
      alias: 'live',
      currentVersion: '1',
      targetVersion: v2,
      beforeHook: 'pre-hook',
    }).finally(() => (settled = true));
    // The canary: 10% on the new version for five minutes of the deployment clock.
    const deadline = Date.now() + 60_000;
    while (JSON.stringify((await alias()).RoutingConfig?.AdditionalVersionWeights) !== JSON.stringify({ [v2]: 0.1 })) {
      assert.ok(Date.now() < deadline, 'the canary step came');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(settled, false, 'the update waits for the deployment');
    while (!settled) {
      assert.ok(Date.now() < deadline, 'the deployment ended');
      clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { deploymentId } = await update;
    const d = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    assert.equal(d.status, 'Succeeded');
    assert.match(d.description ?? '', /stack sam-stack \(ApiAliaslive\)/);
    const a = await alias();
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], [v2, undefined]);
  });

  it("codeDeployAliasUpdate rejects with the deployment's error when a hook fails, leaving the alias where it was", async () => {
    const app = await codedeployProviders[APP_TYPE]!.create({ ComputePlatform: 'Lambda' }, ctx('ServerlessDeploymentApplication'));
    const group = await codedeployProviders[GROUP_TYPE]!.create(groupProps(app.physicalId, 'AllAtOnce'), ctx('ApiDeploymentGroup'));
    const current = (await alias()).FunctionVersion!;
    const v3 = await release(3);
    const err = await failure(
      codeDeployAliasUpdate(ctx('ApiAliaslive'), {
        applicationName: app.physicalId,
        deploymentGroupName: group.physicalId,
        functionName: 'api',
        alias: 'live',
        currentVersion: current,
        targetVersion: v3,
        beforeHook: 'bad-hook',
      }),
    );
    assert.match(err.message, /^CodeDeploy deployment d-[A-Z0-9]{9} failed: The deployment failed because the BeforeAllowTraffic lifecycle event hook \(bad-hook\) reported Failed\.$/);
    assert.equal((await alias()).FunctionVersion, current);
    const listed = await cd.send(new ListDeploymentsCommand({ applicationName: app.physicalId, deploymentGroupName: group.physicalId }));
    assert.equal(listed.deployments?.length, 1);
  });
});
