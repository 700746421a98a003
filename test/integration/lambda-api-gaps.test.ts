/**
 * Lambda API behaviours other projects' test suites rely on: the 1 MB bound on asynchronous payloads,
 * per-version and per-alias resource policies named by a qualified function name, URL configs named
 * by a qualified ARN, and tags on event source mappings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetEventSourceMappingCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListTagsCommand,
  PublishVersionCommand,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { zipEntries } from '../../src/code/zip-dir.js';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { failure, sqsClient } from '../helpers/sqs.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function';
const SIZE_LOGGER = `exports.handler = async (event) => { console.log('payload bytes=' + JSON.stringify(event).length); return 'ok'; };`;

describe('Lambda API gaps', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'gaps', 'echo', { Code: { ZipFile: await zipEntries({ 'index.js': SIZE_LOGGER }) } });
  });
  after(() => t.stop());

  it('accepts asynchronous payloads up to 1 MB (past the old 256 KB) and refuses larger ones', async () => {
    // {"pad":"xxx…"}: 10 bytes of JSON around the padding.
    const payload = (bytes: number) => Buffer.from(JSON.stringify({ pad: 'x'.repeat(bytes - 10) }));
    const accepted = await t.lambda.send(new InvokeCommand({ FunctionName: 'gaps', InvocationType: 'Event', Payload: payload(1024 * 1024) }));
    assert.equal(accepted.StatusCode, 202);
    await waitFor(async () => {
      const found = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/gaps', filterPattern: '"payload bytes=1048576"' }));
      return (found.events ?? []).length > 0;
    }, 'the 1 MB event to reach the function');
    const refused = await failure(t.lambda.send(new InvokeCommand({ FunctionName: 'gaps', InvocationType: 'Event', Payload: payload(1024 * 1024 + 1) })));
    assert.equal(refused.name, 'RequestEntityTooLargeException');
    assert.equal(refused.$metadata?.httpStatusCode, 413);
    assert.match(refused.message, /Request must be smaller than 1048576 bytes for the InvokeFunction operation/);
  });

  it('keeps a policy per version and alias, named by a qualified function name or ARN', async () => {
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'gaps' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'gaps', Name: 'live', FunctionVersion: '1' }));
    const grant = (FunctionName: string, StatementId: string) =>
      t.lambda.send(new AddPermissionCommand({ FunctionName, StatementId, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }));

    const onVersion = await grant('gaps:1', 'v1');
    assert.equal((JSON.parse(onVersion.Statement!) as { Resource: string }).Resource, `${FN}:gaps:1`);
    const onAlias = await grant(`${FN}:gaps:live`, 'live');
    assert.equal((JSON.parse(onAlias.Statement!) as { Resource: string }).Resource, `${FN}:gaps:live`);
    // The same statement id may be used again in another qualifier's policy.
    await grant('gaps', 'v1');

    const sids = async (FunctionName: string, Qualifier?: string) =>
      (JSON.parse((await t.lambda.send(new GetPolicyCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }))).Policy!) as { Statement: { Sid: string; Resource: string }[] }).Statement.map(
        (s) => `${s.Sid}@${s.Resource}`,
      );
    assert.deepEqual(await sids('gaps:1'), [`v1@${FN}:gaps:1`]);
    assert.deepEqual(await sids('gaps', '1'), [`v1@${FN}:gaps:1`]);
    assert.deepEqual(await sids(`${FN}:gaps:live`), [`live@${FN}:gaps:live`]);
    assert.deepEqual(await sids('gaps'), [`v1@${FN}:gaps`]);

    const latest = await failure(grant('gaps:$LATEST', 'latest'));
    assert.equal(latest.name, 'InvalidParameterValueException');
    assert.equal(latest.message, 'We currently do not support adding policies for $LATEST.');
    assert.equal((await failure(grant('gaps:9', 'nine'))).name, 'ResourceNotFoundException');
    assert.equal((await failure(grant('gaps:nope', 'nope'))).name, 'ResourceNotFoundException');
    assert.equal((await failure(grant('gaps:1', 'v1'))).name, 'ResourceConflictException');

    await t.lambda.send(new RemovePermissionCommand({ FunctionName: 'gaps:1', StatementId: 'v1' }));
    assert.equal((await failure(t.lambda.send(new GetPolicyCommand({ FunctionName: 'gaps:1' })))).name, 'ResourceNotFoundException');
    assert.deepEqual(await sids('gaps'), [`v1@${FN}:gaps`], "removing version 1's statement leaves the function's");
    assert.equal((await failure(t.lambda.send(new RemovePermissionCommand({ FunctionName: 'gaps:live', StatementId: 'v1' })))).name, 'ResourceNotFoundException');
  });

  it('names a URL config by a qualified ARN as by a Qualifier', async () => {
    const aliasArn = `${FN}:gaps:live`;
    const created = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: aliasArn, AuthType: 'NONE' }));
    assert.equal(created.FunctionArn, aliasArn);
    assert.equal((await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'gaps', Qualifier: 'live' }))).FunctionUrl, created.FunctionUrl);
    assert.equal((await failure(t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'gaps' })))).name, 'ResourceNotFoundException');
    const updated = await t.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'gaps:live', AuthType: 'AWS_IAM' }));
    assert.equal(updated.AuthType, 'AWS_IAM');
    assert.equal((await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: aliasArn }))).AuthType, 'AWS_IAM');
    const mismatch = await failure(t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: aliasArn, Qualifier: 'other' })));
    assert.equal(mismatch.name, 'InvalidParameterValueException');
    await t.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'gaps:live' }));
    assert.equal((await failure(t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'gaps', Qualifier: 'live' })))).name, 'ResourceNotFoundException');
  });

  it('tags event source mappings: at creation and through TagResource, UntagResource and ListTags on their ARN', async () => {
    const sqs = sqsClient(t.platform.url);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged-source' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const mapping = await t.lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'gaps', EventSourceArn: Attributes!['QueueArn'], Enabled: false, Tags: { team: 'payments' } }),
      );
      const arn = mapping.EventSourceMappingArn!;
      assert.equal(arn, `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${mapping.UUID}`);
      assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: 'payments' });
      await t.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { stage: 'test', team: 'billing' } }));
      assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: 'billing', stage: 'test' });
      await t.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
      assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { stage: 'test' });
      // Tagging while the mapping is being created leaves it to settle as it would have.
      await waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }))).State === 'Disabled', 'the mapping to settle as Disabled');
      // The function's own tags are apart from its mapping's.
      assert.deepEqual((await t.lambda.send(new ListTagsCommand({ Resource: `${FN}:gaps` }))).Tags, {});
      const unknown = await failure(t.lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:event-source-mapping:00000000-0000-0000-0000-000000000000' })));
      assert.equal(unknown.name, 'ResourceNotFoundException');
    } finally {
      sqs.destroy();
    }
  });
});
