import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { createFunction, decode, environmentsOf, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

describe('provisioned concurrency', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'pc', 'echo');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'pc' }));
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pc', Description: 'second' }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'pc' });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'pc' }));
  });
  after(() => t.stop());

  const ready = async (qualifier: string) =>
    waitFor(async () => (await t.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: qualifier }))).Status === 'READY', `${qualifier} to be READY`);
  const streamsOf = async (version: string) => (await environmentsOf(t.platform.url, 'pc')).filter((e) => e.LogStream.includes(`[${version}]`));

  it('keeps N environments of a version initialised before any invocation', async () => {
    const put = await t.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: '1', ProvisionedConcurrentExecutions: 2 }));
    assert.equal(put.RequestedProvisionedConcurrentExecutions, 2);
    assert.ok(put.Status === 'IN_PROGRESS' || put.Status === 'READY');
    await ready('1');
    const got = await t.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: '1' }));
    assert.equal(got.AllocatedProvisionedConcurrentExecutions, 2);
    const envs = await streamsOf('1');
    assert.equal(envs.length, 2);
    assert.ok(envs.every((e) => e.State === 'idle'));

    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'pc', Qualifier: '1', LogType: 'Tail' }));
    const body = decode(res.Payload) as { env: Record<string, string>; instance: string };
    assert.equal(body.env['AWS_LAMBDA_INITIALIZATION_TYPE'], 'provisioned-concurrency');
    assert.ok(envs.some((e) => e.LogStream === body.instance), 'the invocation ran in a provisioned environment');
    assert.doesNotMatch(Buffer.from(res.LogResult ?? '', 'base64').toString(), /Init Duration/, 'no cold start');
  });

  it('splits an alias\'s provisioned concurrency by its routing weights', async () => {
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'pc', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
    await t.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: 'live', ProvisionedConcurrentExecutions: 4 }));
    await ready('live');
    assert.equal((await streamsOf('1')).length, 4, 'version 1: its own 2 plus half of the alias\'s 4');
    assert.equal((await streamsOf('2')).length, 2, 'version 2: half of the alias\'s 4');
    const list = await t.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc' }));
    assert.deepEqual(list.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn).sort(), [
      'arn:aws:lambda:us-east-1:000000000000:function:pc:1',
      'arn:aws:lambda:us-east-1:000000000000:function:pc:live',
    ]);
  });

  it('refuses $LATEST, reports a missing config, and releases environments on delete', async () => {
    const latest = await t.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })).catch((e: Error) => e);
    assert.equal((latest as Error).name, 'InvalidParameterValueException');
    await t.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: 'live' }));
    const missing = (await t.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'pc', Qualifier: 'live' })).catch((e: Error) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    assert.equal(missing.name, 'ProvisionedConcurrencyConfigNotFoundException');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    await waitFor(async () => (await streamsOf('2')).length === 0, 'version 2\'s provisioned environments to stop');
    assert.equal((await streamsOf('1')).length, 2);
  });
});
