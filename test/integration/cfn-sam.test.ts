/** A SAM template deployed through CloudFormation: the transform's resources made by the engine's providers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetAliasCommand, InvokeCommand, ListEventSourceMappingsCommand, ListFunctionUrlConfigsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cfnSuite, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { decode, type TestPlatform } from '../helpers/platform.js';

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      AutoPublishAlias: live
      InlineCode: |
        exports.handler = async (e) => ({ records: (e.Records || []).length, stage: process.env.STAGE });
      Environment:
        Variables:
          STAGE: prod
      FunctionUrlConfig:
        AuthType: NONE
      Policies:
        - SQSPollerPolicy:
            QueueName: !GetAtt Jobs.QueueName
      Events:
        FromQueue:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 5
Outputs:
  WorkerArn:
    Value: !GetAtt Worker.Arn
`;

describe('SAM templates through CloudFormation', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  cfnSuite((s) => ({ t, cfn, sqs } = s));

  it('expands the function, its role, version, alias and queue mapping, and the function runs', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'sam-app', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-app', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-app')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: 'sam-app' }))).StackResourceSummaries ?? [];
    const types = new Map(resources.map((r) => [r.LogicalResourceId!, r.ResourceType!]));
    assert.equal(types.get('Worker'), 'AWS::Lambda::Function');
    assert.equal(types.get('WorkerRole'), 'AWS::IAM::Role');
    assert.equal(types.get('WorkerAliaslive'), 'AWS::Lambda::Alias');
    assert.equal(types.get('WorkerFromQueue'), 'AWS::Lambda::EventSourceMapping');
    const fnName = resources.find((r) => r.LogicalResourceId === 'Worker')!.PhysicalResourceId!;

    const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: fnName, Name: 'live' }));
    assert.equal(alias.FunctionVersion, '1');
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: `${fnName}:live`, Payload: Buffer.from('{}') }));
    assert.deepEqual(decode(out.Payload), { records: 0, stage: 'prod' });
    // The URL and its two permissions are made in parallel: none of them may undo another.
    const urls = await t.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: fnName }));
    assert.equal(urls.FunctionUrlConfigs?.length, 1);
    const mappings = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: fnName }));
    assert.equal(mappings.EventSourceMappings?.length, 1);
    assert.equal(mappings.EventSourceMappings?.[0]?.BatchSize, 5);

    const queueName = resources.find((r) => r.LogicalResourceId === 'Jobs')!.PhysicalResourceId!.split('/').pop()!;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job' }));

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-app' }));
    const gone = await settledStack(cfn, 'sam-app', 120_000).catch(() => undefined);
    assert.ok(gone === undefined || gone.StackStatus === 'DELETE_COMPLETE', gone?.StackStatus);
  });

  it("refuses an invalid SAM template with the transform's own message", async () => {
    const bad = TEMPLATE.replace('Queue: !GetAtt Jobs.Arn', 'Queues: !GetAtt Jobs.Arn');
    await cfn.send(new CreateStackCommand({ StackName: 'sam-bad', TemplateBody: bad, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] })).then(
      async () => {
        const s = await settledStack(cfn, 'sam-bad', 60_000);
        assert.match(s.StackStatus!, /ROLLBACK_COMPLETE|CREATE_FAILED/);
        const reasons = (await eventsOf(cfn, 'sam-bad')).map((e) => e.ResourceStatusReason ?? '').join('\n');
        assert.match(reasons, /Invalid Serverless Application Specification document/);
      },
      (err: Error) => assert.match(err.message, /Invalid Serverless Application Specification document/),
    );
  });
});
