import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentCommand, CreateDeploymentGroupCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

async function until(check: () => Promise<boolean>, what: string, each?: () => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    each?.();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Bounded: a deployment that never settles must fail the run, not hang it.
describe('CodeDeploy: a deployment under way carries on after a restart', { timeout: 600_000 }, () => {
  let t: TestPlatform | undefined;
  after(() => t?.stop());

  it('keeps its canary step, finishes on the new server, and its hook runs there', async () => {
    t = await startTestPlatform({}, undefined, { deploymentClock: new ManualClock() });
    const client = (p: TestPlatform) => new CodeDeployClient({ endpoint: p.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let cd = client(t);
    await createFunction(t.lambda, 'svc', 'release', { Environment: { Variables: { RELEASE: '1' } } });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'live', FunctionVersion: '1' }));
    await createFunction(t.lambda, 'post-ok', 'codedeploy-hook', { Environment: { Variables: { HOOK_STATUS: 'Succeeded' } } });
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: { RELEASE: '2' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'svc' });
    const v2 = (await t.lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }))).Version!;
    await cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }));
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
      }),
    );
    const appSpec = {
      version: 0.0,
      Resources: [{ svc: { Type: 'AWS::Lambda::Function', Properties: { Name: 'svc', Alias: 'live', CurrentVersion: '1', TargetVersion: v2 } } }],
      Hooks: [{ AfterAllowTraffic: 'post-ok' }],
    };
    // The String revision type, in YAML's flow style (YAML reads JSON).
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'String', string: { content: JSON.stringify(appSpec) } } }),
    );
    const weights = async (p: TestPlatform) => (await p.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }))).RoutingConfig?.AdditionalVersionWeights;
    await until(async () => JSON.stringify(await weights(t!)) === JSON.stringify({ [v2]: 0.1 }), 'the canary step');
    cd.destroy();
    await t.stop(false);

    const clock = new ManualClock();
    t = await startTestPlatform({}, t.dataDir, { deploymentClock: clock });
    cd = client(t);
    try {
      const status = async () => (await cd.send(new GetDeploymentCommand({ deploymentId: deploymentId! }))).deploymentInfo!.status;
      assert.equal(await status(), 'InProgress');
      assert.deepEqual(await weights(t), { [v2]: 0.1 }, 'the canary survived the restart');
      let shifted = false;
      const p = t;
      await until(
        async () => (shifted = (await p.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }))).FunctionVersion === v2),
        'all traffic on the new version',
        () => void (shifted || clock.advance(60_000)),
      );
      await until(async () => ['Succeeded', 'Failed', 'Stopped'].includes((await status())!), 'the AfterAllowTraffic hook on the new server');
      assert.equal(await status(), 'Succeeded');
    } finally {
      cd.destroy();
    }
  });
});
