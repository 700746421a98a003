/**
 * AWS::Kinesis::StreamConsumer and AWS::Events::Archive through a stack: made (Ref and GetAtt as
 * CloudFormation gives them), seen through their own services' clients, updated, and deleted.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeArchiveCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeStreamConsumerCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const template = (retentionDays: number) => ({
  Resources: {
    Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'fanout', ShardCount: 1 } },
    Consumer: { Type: 'AWS::Kinesis::StreamConsumer', Properties: { ConsumerName: 'reader', StreamARN: { 'Fn::GetAtt': ['Stream', 'Arn'] } } },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } },
    Archive: {
      Type: 'AWS::Events::Archive',
      Properties: { ArchiveName: 'orders-archive', SourceArn: { 'Fn::GetAtt': ['Bus', 'Arn'] }, EventPattern: { source: ['shop'] }, RetentionDays: retentionDays, Description: 'orders' },
    },
  },
  Outputs: {
    ConsumerRef: { Value: { Ref: 'Consumer' } },
    ConsumerArn: { Value: { 'Fn::GetAtt': ['Consumer', 'ConsumerARN'] } },
    ConsumerName: { Value: { 'Fn::GetAtt': ['Consumer', 'ConsumerName'] } },
    ConsumerStatus: { Value: { 'Fn::GetAtt': ['Consumer', 'ConsumerStatus'] } },
    ConsumerStream: { Value: { 'Fn::GetAtt': ['Consumer', 'StreamARN'] } },
    StreamArn: { Value: { 'Fn::GetAtt': ['Stream', 'Arn'] } },
    ArchiveRef: { Value: { Ref: 'Archive' } },
    ArchiveArn: { Value: { 'Fn::GetAtt': ['Archive', 'Arn'] } },
  },
});

describe('CloudFormation: Kinesis stream consumers and EventBridge archives', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let kinesis: KinesisClient;
  let events: EventBridgeClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    kinesis = new KinesisClient(clientConfig(t));
    events = new EventBridgeClient(clientConfig(t));
  });
  after(() => {
    kinesis.destroy();
    events.destroy();
  });

  const settle = async () => {
    const stack = await settledStack(cfn, 'fanout', 120_000);
    const reasons = (await eventsOf(cfn, 'fanout')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };

  it('registers the consumer and creates the archive, with their Ref and GetAtt values', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'fanout', TemplateBody: JSON.stringify(template(7)) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const consumer = (await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: out.get('ConsumerRef')! }))).ConsumerDescription!;
    assert.deepEqual(
      [out.get('ConsumerArn'), out.get('ConsumerName'), out.get('ConsumerStatus'), out.get('ConsumerStream')],
      [consumer.ConsumerARN, 'reader', 'ACTIVE', out.get('StreamArn')],
    );
    assert.equal(out.get('ArchiveRef'), 'orders-archive');
    const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }));
    assert.deepEqual([archive.ArchiveArn, archive.RetentionDays, archive.Description, JSON.parse(archive.EventPattern!)], [out.get('ArchiveArn'), 7, 'orders', { source: ['shop'] }]);
    assert.match(archive.EventSourceArn!, /:event-bus\/orders$/);
  });

  it('updates the archive in place and deletes both with the stack', async () => {
    await cfn.send(new UpdateStackCommand({ StackName: 'fanout', TemplateBody: JSON.stringify(template(30)) }));
    const { stackId, status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal((await events.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).RetentionDays, 30);
    await cfn.send(new DeleteStackCommand({ StackName: 'fanout' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(events.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: out.get('ConsumerRef')! })), { name: 'ResourceNotFoundException' });
  });
});
