import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, InvokeCommand, ListEventSourceMappingsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cfnSuite, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ROLE, type TestPlatform } from '../helpers/platform.js';

const template = (memory: number, greeting: string) => ({
  Parameters: { Greeting: { Type: 'String', Default: greeting }, Secret: { Type: 'String', NoEcho: true, Default: 'hush' } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        MemorySize: memory,
        Environment: { Variables: { GREETING: { Ref: 'Greeting' }, QUEUE_URL: { Ref: 'Queue' } } },
        Code: { ZipFile: "exports.handler = async (e) => ({ greeting: process.env.GREETING, queue: process.env.QUEUE_URL, got: e });" },
      },
    },
    Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Fn' }, EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, BatchSize: 5 } },
  },
  Outputs: {
    FunctionName: { Value: { Ref: 'Fn' } },
    QueueArn: { Value: { 'Fn::GetAtt': 'Queue.Arn' } },
    Joined: { Value: { 'Fn::Sub': '${AWS::StackName}/${Queue.QueueName}/${Greeting}' } },
  },
});

describe('CloudFormation stacks: a function, a queue and their mapping, created, updated, deleted', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  cfnSuite((s) => ({ t, cfn, sqs } = s));

  it('creates the stack; the function runs with the queue URL; outputs and resources are described', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: JSON.stringify(template(128, 'hello')), Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.match(StackId!, /^arn:aws:cloudformation:us-east-1:000000000000:stack\/app\//);
    const stack = await settledStack(cfn, 'app');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.match(outputs['FunctionName']!, /^app-Fn-[A-Z0-9]{12}$/);
    assert.match(outputs['QueueArn']!, /^arn:aws:sqs:us-east-1:000000000000:app-Queue-/);
    assert.equal(outputs['Joined'], `app/${outputs['QueueArn']!.split(':').pop()}/hello`);
    assert.deepEqual(stack.Parameters?.find((p) => p.ParameterKey === 'Secret')?.ParameterValue, '****', 'NoEcho parameters are masked');
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: outputs['FunctionName'], Payload: Buffer.from('{"x":1}') }));
    const body = JSON.parse(Buffer.from(out.Payload!).toString()) as { greeting: string; queue: string };
    assert.equal(body.greeting, 'hello');
    assert.match(body.queue, /\/000000000000\/app-Queue-/);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: outputs['FunctionName'] }));
    assert.equal(config.MemorySize, 128);
    const mappings = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: outputs['FunctionName'] }));
    assert.equal(mappings.EventSourceMappings?.[0]?.EventSourceArn, outputs['QueueArn']);
    // The stack's tags reach the mapping, as they reach every taggable resource.
    const mappingTags = await t.lambda.send(new ListTagsCommand({ Resource: mappings.EventSourceMappings![0]!.EventSourceMappingArn! }));
    assert.equal(mappingTags.Tags?.['team'], 'blue');
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }));
    assert.deepEqual(resources.StackResources!.map((r) => [r.LogicalResourceId, r.ResourceStatus]).sort(), [['Fn', 'CREATE_COMPLETE'], ['Mapping', 'CREATE_COMPLETE'], ['Queue', 'CREATE_COMPLETE']]);
    const summaries = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    assert.equal(summaries.StackResourceSummaries?.find((r) => r.LogicalResourceId === 'Queue')?.PhysicalResourceId, body.queue);
    const tpl = await cfn.send(new GetTemplateCommand({ StackName: 'app' }));
    assert.deepEqual(JSON.parse(tpl.TemplateBody!), template(128, 'hello'));
    const events = await eventsOf(cfn, 'app');
    assert.equal(events[0]!.ResourceStatus, 'CREATE_COMPLETE', 'newest first');
    assert.equal(events[0]!.LogicalResourceId, 'app');
    assert.equal(events.at(-1)!.ResourceStatus, 'CREATE_IN_PROGRESS');
    const tags = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: body.queue, AttributeNames: ['VisibilityTimeout'] }))).Attributes;
    assert.equal(tags?.['VisibilityTimeout'], '60');
  });

  it('updates in place: the new memory size and parameter reach the same function', async () => {
    const before = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0]!;
    const fnName = before.Outputs!.find((o) => o.OutputKey === 'FunctionName')!.OutputValue!;
    await cfn.send(new UpdateStackCommand({ StackName: 'app', TemplateBody: JSON.stringify(template(256, 'hello')), Parameters: [{ ParameterKey: 'Greeting', ParameterValue: 'bonjour' }] }));
    const stack = await settledStack(cfn, 'app');
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE', stack.StackStatusReason);
    assert.equal(stack.Outputs!.find((o) => o.OutputKey === 'FunctionName')!.OutputValue, fnName, 'the same function');
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fnName }));
    assert.equal(config.MemorySize, 256);
    assert.equal(config.Environment?.Variables?.['GREETING'], 'bonjour');
    const statuses = (await eventsOf(cfn, 'app')).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    assert.ok(statuses.includes('app:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
    assert.ok(statuses.includes('Fn:UPDATE_COMPLETE'));
    assert.ok(!statuses.includes('Queue:UPDATE_IN_PROGRESS'), 'the queue did not change');
    await assert.rejects(cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Greeting', UsePreviousValue: true }] })), /No updates are to be performed\./);
  });

  it('deletes the stack and everything in it', async () => {
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    const stackId = (await cfn.send(new ListStacksCommand({}))).StackSummaries!.find((s) => s.StackName === 'app')!.StackId!;
    const stack = await settledStack(cfn, stackId);
    assert.equal(stack.StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'app' })), (err: Error) => err.name === 'ValidationError' && /Stack with id app does not exist/.test(err.message));
    assert.deepEqual((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
    assert.deepEqual((await t.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, []);
    const deleted = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    assert.deepEqual(deleted.StackSummaries!.map((s) => s.StackName), ['app']);
  });
});
