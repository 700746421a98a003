/**
 * MinExecutionEnvironments of Lambda Managed Instances: a published version keeps that many
 * environments started and warm before any invocation, follows PutFunctionScalingConfig, replaces
 * them when `$LATEST.PUBLISHED` is republished, lets them go when the version is deleted, and starts
 * them again when the server restarts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionScalingConfigCommand,
  InvokeCommand,
  ListFunctionVersionsByCapacityProviderCommand,
  PublishVersionCommand,
  PutFunctionScalingConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { CAPACITY_PROVIDER_ARN, createManagedFunction } from '../helpers/managed-instances.js';
import { decode, environmentsOf, startTestPlatform, type EnvironmentInfo, type TestPlatform } from '../helpers/platform.js';

/** One worker thread per environment: each environment is one small process tree. */
const ONE_WORKER = { Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' } } };

/** Polls the admin route until `check` holds on a function's environments (generous: starts are slow on a busy machine). */
async function environmentsUntil(t: TestPlatform, name: string, check: (envs: EnvironmentInfo[]) => boolean, what: string): Promise<EnvironmentInfo[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const envs = await environmentsOf(t.platform.url, name);
    if (check(envs)) return envs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; environments: ${JSON.stringify(envs)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const warm = (n: number) => (envs: EnvironmentInfo[]) => envs.length === n && envs.every((e) => e.State === 'idle');

describe('MinExecutionEnvironments, set per version', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => {
    await t.stop();
  });

  it('starts that many environments without any invocation, serves from them, and lets them go at 0', async () => {
    const version = await createManagedFunction(t.lambda, 'kept', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, ONE_WORKER);
    assert.deepEqual(await environmentsOf(t.platform.url, 'kept'), [], 'this server keeps none by default');

    const put = await t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'kept', Qualifier: version, FunctionScalingConfig: { MinExecutionEnvironments: 2 } }));
    assert.equal(put.$metadata.httpStatusCode, 202);
    const kept = await environmentsUntil(t, 'kept', warm(2), 'two warm environments');
    assert.equal(new Set(kept.map((e) => e.Pid)).size, 2, 'two processes');

    // An invocation is served by one of them, and starts nothing more.
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'kept', Qualifier: version, Payload: Buffer.from('{"n":1}') }));
    assert.equal(res.FunctionError, undefined);
    const answer = decode(res.Payload) as { stream: string; initializationType: string };
    assert.ok(kept.map((e) => e.LogStream).includes(answer.stream), 'served by a kept environment');
    assert.equal(answer.initializationType, 'lambda-managed-instances');
    assert.deepEqual((await environmentsOf(t.platform.url, 'kept')).map((e) => e.Id).sort(), kept.map((e) => e.Id).sort());
    const applied = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'kept', Qualifier: version }));
    assert.deepEqual(applied.AppliedFunctionScalingConfig, { MinExecutionEnvironments: 2 });

    // Recycled (`selfless reset`), they start again at once, fresh.
    const reset = await fetch(`${t.platform.url}/_selfless/functions/kept/reset`, { method: 'POST' });
    assert.equal(((await reset.json()) as { RecycledEnvironments: number }).RecycledEnvironments, 2);
    const recycled = new Set(kept.map((e) => e.Id));
    await environmentsUntil(t, 'kept', (envs) => warm(2)(envs) && envs.every((e) => !recycled.has(e.Id)), 'two fresh environments after a reset');

    await t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'kept', Qualifier: version, FunctionScalingConfig: { MinExecutionEnvironments: 0 } }));
    await environmentsUntil(t, 'kept', (envs) => envs.length === 0, 'the kept environments to stop');
  });

});

describe('MinExecutionEnvironments, by default (a server keeping 2 per version, as Lambda keeps 3)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ managedMinEnvironments: 2 });
  });
  after(async () => {
    await t.stop();
  });

  it('starts them when a version is published, and stops them when it is deleted', async () => {
    const version = await createManagedFunction(t.lambda, 'numbered', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, ONE_WORKER);
    await environmentsUntil(t, 'numbered', warm(2), 'two warm environments after publishing');
    const applied = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'numbered', Qualifier: version }));
    assert.deepEqual(applied.AppliedFunctionScalingConfig, { MinExecutionEnvironments: 2 });
    assert.equal(applied.RequestedFunctionScalingConfig, undefined);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'numbered', Qualifier: version }));
    await environmentsUntil(t, 'numbered', (envs) => envs.length === 0, 'the deleted version’s environments to stop');
  });

  it('publishes a version Pending until its environments have initialised, refused by Invoke until Active; Failed if they cannot initialise', async () => {
    const slow = { Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1', INIT_SLEEP_MS: '1500' } } };
    const version = await createManagedFunction(t.lambda, 'warming', 'slow-init', { perEnvironmentMaxConcurrency: 8 }, slow);
    const pending = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'warming', Qualifier: version }));
    assert.deepEqual([pending.State, pending.StateReasonCode], ['Pending', 'Creating']);
    const refused = await t.lambda.send(new InvokeCommand({ FunctionName: 'warming', Qualifier: version })).then(
      () => assert.fail('expected an error'),
      (e: Error & { $metadata: { httpStatusCode?: number } }) => e,
    );
    assert.deepEqual([refused.name, refused.$metadata.httpStatusCode], ['ResourceConflictException', 409]);
    assert.match(refused.message, /following state: Pending/);

    const active = await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: 'warming', Qualifier: version });
    assert.equal(active.state, 'SUCCESS');
    assert.equal((await environmentsOf(t.platform.url, 'warming')).filter((e) => e.State === 'idle').length, 2, 'Active once both have initialised');
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'warming', Qualifier: version }));
    assert.deepEqual(decode(res.Payload), { initialised: true });
    const listed = await t.lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: CAPACITY_PROVIDER_ARN.split(':').pop()! }));
    assert.ok(listed.FunctionVersions!.some((v) => v.FunctionArn!.endsWith(`:warming:${version}`) && v.State === 'Active'), JSON.stringify(listed.FunctionVersions));

    const broken = await createManagedFunction(t.lambda, 'broken', 'init-throw', { perEnvironmentMaxConcurrency: 8 }, ONE_WORKER);
    const failed = await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: 'broken', Qualifier: broken }).then(
      () => assert.fail('expected the waiter to fail'),
      (e: Error) => e,
    );
    assert.match(failed.message, /FAILURE/);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'broken', Qualifier: broken }));
    assert.deepEqual([config.State, config.StateReasonCode], ['Failed', 'FunctionError']);
    const refusedFailed = await t.lambda.send(new InvokeCommand({ FunctionName: 'broken', Qualifier: broken })).then(
      () => assert.fail('expected an error'),
      (e: Error) => e,
    );
    assert.deepEqual([refusedFailed.name, /following state: Failed/.test(refusedFailed.message)], ['ResourceConflictException', true]);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'warming' }));
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'broken' }));
  });

  it('completes a CloudFormation stack with a function on a capacity provider only once its $LATEST.PUBLISHED is Active', async () => {
    const cfn = cfnClient(t);
    const template = {
      Resources: {
        Provider: {
          Type: 'AWS::Lambda::CapacityProvider',
          Properties: { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: [] }, PermissionsConfig: { CapacityProviderOperatorRoleArn: 'arn:aws:iam::000000000000:role/operator' } },
        },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: 'arn:aws:iam::000000000000:role/lambda',
            // Each environment takes 1.5 s to initialise: the stack must wait for both.
            Code: { ZipFile: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); exports.handler = async () => "ready";' },
            Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' } },
            CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: { 'Fn::GetAtt': ['Provider', 'Arn'] } } },
          },
        },
      },
      Outputs: { Function: { Value: { Ref: 'Fn' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'warming-stack', TemplateBody: JSON.stringify(template) }));
    const stack = await settledStack(cfn, 'warming-stack', 180_000);
    const reasons = (await eventsOf(cfn, 'warming-stack')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const name = stack.Outputs!.find((o) => o.OutputKey === 'Function')!.OutputValue!;
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '$LATEST.PUBLISHED' }));
    assert.equal(config.State, 'Active');
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name }));
    assert.equal(decode(res.Payload), 'ready');
    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId! }));
    assert.equal((await settledStack(cfn, stack.StackId!, 120_000)).StackStatus, 'DELETE_COMPLETE');
    cfn.destroy();
  });

  it('keeps no more than MaxExecutionEnvironments, when that is below the minimum, and the version becomes Active with them', async () => {
    // The scaling change right behind the publish, as a deploy script sends it: its keep is the one that settles the version.
    const version = await createManagedFunction(t.lambda, 'capped', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, ONE_WORKER);
    await t.lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'capped', Qualifier: version, FunctionScalingConfig: { MaxExecutionEnvironments: 1 } }));
    const applied = await t.lambda.send(new GetFunctionScalingConfigCommand({ FunctionName: 'capped', Qualifier: version }));
    assert.deepEqual(applied.AppliedFunctionScalingConfig, { MinExecutionEnvironments: 1, MaxExecutionEnvironments: 1 });
    const active = await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: 'capped', Qualifier: version });
    assert.equal(active.state, 'SUCCESS');
    await environmentsUntil(t, 'capped', warm(1), 'one warm environment');
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'capped' }));
  });

  it('replaces a republished $LATEST.PUBLISHED’s environments, and starts them again after a restart', async () => {
    await createManagedFunction(t.lambda, 'latest', 'managed-node', { perEnvironmentMaxConcurrency: 8 }, ONE_WORKER);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'latest', Qualifier: '1' }));
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'latest', PublishTo: 'LATEST_PUBLISHED' }));
    const first = await environmentsUntil(t, 'latest', warm(2), 'two warm environments of $LATEST.PUBLISHED');

    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'latest', Environment: { Variables: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1', RELEASE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: 'latest' });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'latest', PublishTo: 'LATEST_PUBLISHED' }));
    const old = new Set(first.map((e) => e.Id));
    const second = await environmentsUntil(t, 'latest', (envs) => warm(2)(envs) && envs.every((e) => !old.has(e.Id)), 'two new environments in place of the old');
    assert.equal(second.length, 2);

    // A new server on the same data starts them before any invocation.
    const dataDir = t.dataDir;
    await t.stop(false);
    t = await startTestPlatform({ managedMinEnvironments: 2 }, dataDir);
    await environmentsUntil(t, 'latest', warm(2), 'two warm environments after a restart');
    await waitUntilPublishedVersionActive({ client: t.lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: 'latest', Qualifier: '$LATEST.PUBLISHED' });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'latest', Payload: Buffer.from('{"n":2}') }));
    assert.equal(res.FunctionError, undefined);
    assert.equal((decode(res.Payload) as { n: number }).n, 2);
  });
});
