import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  GetFunctionCommand,
  GetFunctionRecursionConfigCommand,
  GetPolicyCommand,
  GetRuntimeManagementConfigCommand,
  ListTagsCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:tagged';

describe('tags, resource policy and the settings tools read back', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'tagged', 'echo', { Tags: { team: 'core' } });
  });
  after(() => t.stop());

  it('tags, untags and lists tags by function ARN', async () => {
    await t.lambda.send(new TagResourceCommand({ Resource: ARN, Tags: { stage: 'dev', cost: 'a' } }));
    assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags, { team: 'core', stage: 'dev', cost: 'a' });
    await t.lambda.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ['cost', 'team'] }));
    assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags, { stage: 'dev' });
    assert.deepEqual((await t.lambda.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags, { stage: 'dev' });
    const missing = await t.lambda.send(new ListTagsCommand({ Resource: `${ARN}-nope` })).catch((e: Error) => e);
    assert.equal((missing as Error).name, 'ResourceNotFoundException');
  });

  it('adds, reads and removes resource policy statements', async () => {
    const none = await t.lambda.send(new GetPolicyCommand({ FunctionName: 'tagged' })).catch((e: Error) => e);
    assert.equal((none as Error).name, 'ResourceNotFoundException');
    const added = await t.lambda.send(
      new AddPermissionCommand({ FunctionName: 'tagged', StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::bucket' }),
    );
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN,
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket' } },
    });
    const again = await t.lambda
      .send(new AddPermissionCommand({ FunctionName: 'tagged', StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' }))
      .catch((e: Error) => e);
    assert.equal((again as Error).name, 'ResourceConflictException');
    const policy = await t.lambda.send(new GetPolicyCommand({ FunctionName: 'tagged' }));
    assert.deepEqual(JSON.parse(policy.Policy!).Statement.map((s: { Sid: string }) => s.Sid), ['s3-invoke']);
    assert.ok(policy.RevisionId);
    await t.lambda.send(new RemovePermissionCommand({ FunctionName: 'tagged', StatementId: 's3-invoke' }));
    const gone = await t.lambda.send(new GetPolicyCommand({ FunctionName: 'tagged' })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
  });

  it('answers the settings infrastructure tools read after creating a function', async () => {
    assert.equal((await t.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'tagged' }))).RecursiveLoop, 'Terminate');
    assert.equal((await t.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: 'tagged' }))).UpdateRuntimeOn, 'Auto');
  });
});
