/** AWS::Kinesis::Stream through CloudFormation stacks: created, updated in place (shards, retention, tags), refused where unserved, deleted. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeStreamSummaryCommand, KinesisClient, ListTagsForStreamCommand } from '@aws-sdk/client-kinesis';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const template = (props: Record<string, unknown>) =>
  JSON.stringify({
    Resources: { Clicks: { Type: 'AWS::Kinesis::Stream', Properties: props } },
    Outputs: { Name: { Value: { Ref: 'Clicks' } }, Arn: { Value: { 'Fn::GetAtt': ['Clicks', 'Arn'] } } },
  });

describe('CloudFormation: AWS::Kinesis::Stream', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let kinesis: KinesisClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    kinesis = new KinesisClient(clientConfig(t));
  });
  after(() => kinesis.destroy());

  const summary = async (name: string) => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
  const tags = async (name: string) => (await kinesis.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags!.map((x) => `${x.Key}=${x.Value}`).sort();

  it('creates the stream with its shards, retention and tags; updates them in place; deletes it with the stack', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'streams', TemplateBody: template({ ShardCount: 2, RetentionPeriodHours: 48, Tags: [{ Key: 'team', Value: 'a' }] }) }));
    const created = await settledStack(cfn, 'streams');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE');
    const out = Object.fromEntries(created.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.match(out['Name']!, /^streams-Clicks-/);
    assert.equal(out['Arn'], `arn:aws:kinesis:us-east-1:000000000000:stream/${out['Name']}`);
    const first = await summary(out['Name']!);
    assert.deepEqual([first.OpenShardCount, first.RetentionPeriodHours, first.StreamModeDetails?.StreamMode], [2, 48, 'PROVISIONED']);
    assert.deepEqual(await tags(out['Name']!), ['team=a']);

    await cfn.send(new UpdateStackCommand({ StackName: 'streams', TemplateBody: template({ ShardCount: 4, Tags: [{ Key: 'team', Value: 'b' }] }) }));
    assert.equal((await settledStack(cfn, 'streams')).StackStatus, 'UPDATE_COMPLETE');
    const updated = await summary(out['Name']!);
    assert.equal(updated.StreamARN, first.StreamARN, 'the same stream, updated in place');
    assert.deepEqual([updated.OpenShardCount, updated.RetentionPeriodHours], [4, 24]);
    assert.deepEqual(await tags(out['Name']!), ['team=b']);

    await cfn.send(new DeleteStackCommand({ StackName: 'streams' }));
    await settledStack(cfn, 'streams').catch(() => undefined);
    await assert.rejects(summary(out['Name']!), (e: Error) => e.name === 'ResourceNotFoundException');
  });

  it('refuses StreamEncryption (not served) by name, and the stack rolls back', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'encrypted', TemplateBody: template({ Name: 'sealed', StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } }) }),
    );
    const stack = await settledStack(cfn, 'encrypted');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const failed = (await eventsOf(cfn, 'encrypted')).find((e) => e.LogicalResourceId === 'Clicks' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /StreamEncryption/);
    await assert.rejects(summary('sealed'), (e: Error) => e.name === 'ResourceNotFoundException');
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'encrypted' }))).Stacks![0]!.StackStatus, 'ROLLBACK_COMPLETE');
  });
});
