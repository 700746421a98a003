import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListExportsCommand,
  ListImportsCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ROLE, type TestPlatform } from '../helpers/platform.js';

/** A custom resource handler that answers as cfn-response does: a PUT of JSON to ResponseURL over http or https. */
const CUSTOM_HANDLER = `
const http = require('http');
const https = require('https');
exports.handler = async (event) => {
  const props = event.ResourceProperties;
  const fail = (props.Fail === 'yes' && event.RequestType !== 'Delete') || (props.FailDelete === 'yes' && event.RequestType === 'Delete');
  const body = JSON.stringify({
    Status: fail ? 'FAILED' : 'SUCCESS',
    Reason: fail ? 'asked to fail by the template' : 'ok',
    PhysicalResourceId: event.PhysicalResourceId || ('thing-' + props.Name),
    NoEcho: props.Secret === 'yes',
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    Data: { Greeting: 'hello ' + props.Name, RequestType: event.RequestType, Old: event.OldResourceProperties ? event.OldResourceProperties.Name : 'none', ResourceType: event.ResourceType },
  });
  const url = new URL(event.ResponseURL);
  const lib = url.protocol === 'https:' ? https : http;
  await new Promise((resolve, reject) => {
    const req = lib.request({ hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
};`;

const customTemplate = (name: string, fail = 'no', failDelete = 'no', secret = 'no') => ({
  Resources: {
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { ZipFile: CUSTOM_HANDLER } } },
    Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, Name: name, Fail: fail, FailDelete: failDelete, Secret: secret } },
  },
  Outputs: {
    Greeting: { Value: { 'Fn::GetAtt': ['Thing', 'Greeting'] } },
    RequestType: { Value: { 'Fn::GetAtt': 'Thing.RequestType' } },
    Old: { Value: { 'Fn::GetAtt': 'Thing.Old' } },
    Type: { Value: { 'Fn::GetAtt': 'Thing.ResourceType' } },
    Id: { Value: { Ref: 'Thing' } },
  },
});

const outputs = (s: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }) => Object.fromEntries((s.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));

describe('CloudFormation composition: exports and imports, nested stacks, custom resources', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  let s3: S3Client;
  cfnSuite((s) => {
    ({ t, cfn, sqs } = s);
    s3 = new S3Client({ ...clientConfig(t), forcePathStyle: true });
  });
  after(() => s3.destroy());

  it('exports a value another stack imports; an export in use can neither change nor go', async () => {
    const producer = (vt: number, exportName = 'shared-dlq-arn') => ({
      Resources: { Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `dlq-${vt}` } } },
      Outputs: { DlqArn: { Value: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, Export: { Name: exportName } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'producer', TemplateBody: JSON.stringify(producer(1)) }));
    assert.equal((await settledStack(cfn, 'producer')).StackStatus, 'CREATE_COMPLETE');
    const consumer = { Resources: { Work: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work', RedrivePolicy: { deadLetterTargetArn: { 'Fn::ImportValue': 'shared-dlq-arn' }, maxReceiveCount: 3 } } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'consumer', TemplateBody: JSON.stringify(consumer) }));
    assert.equal((await settledStack(cfn, 'consumer')).StackStatus, 'CREATE_COMPLETE');
    const exports = (await cfn.send(new ListExportsCommand({}))).Exports!;
    assert.deepEqual(exports.map((e) => [e.Name, e.Value]), [['shared-dlq-arn', 'arn:aws:sqs:us-east-1:000000000000:dlq-1']]);
    assert.deepEqual((await cfn.send(new ListImportsCommand({ ExportName: 'shared-dlq-arn' }))).Imports, ['consumer']);

    await cfn.send(new UpdateStackCommand({ StackName: 'producer', TemplateBody: JSON.stringify(producer(2)) }));
    const updated = await settledStack(cfn, 'producer');
    assert.equal(updated.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.match((await eventsOf(cfn, 'producer')).find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')?.ResourceStatusReason ?? '', /Cannot update export shared-dlq-arn as it is in use by consumer/);
    const queues = ((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'dlq-' }))).QueueUrls ?? []).map((u) => u.split('/').pop());
    assert.deepEqual(queues, ['dlq-1'], 'the replacement made during the failed update is gone');

    await cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    const refused = await settledStack(cfn, 'producer');
    assert.equal(refused.StackStatus, 'DELETE_FAILED');
    assert.match(refused.StackStatusReason ?? '', /Export shared-dlq-arn cannot be deleted as it is in use by consumer/);

    await cfn.send(new DeleteStackCommand({ StackName: 'consumer' }));
    await settledStack(cfn, 'consumer').catch(() => undefined);
    await cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    assert.equal((await settledStack(cfn, refused.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual((await cfn.send(new ListExportsCommand({}))).Exports, []);
  });

  it('creates a nested stack from a TemplateURL in this server\'s S3 (an s3.amazonaws.com address); its outputs are the parent\'s GetAtt', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    const child = {
      Parameters: { Prefix: { Type: 'String' } },
      Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Prefix}-nested' } } } },
      Outputs: { QueueArn: { Value: { 'Fn::GetAtt': ['Q', 'Arn'] } } },
    };
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'nested/child.yaml', Body: JSON.stringify(child) }));
    const parent = {
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://templates.s3.us-east-1.amazonaws.com/nested/child.yaml', Parameters: { Prefix: 'kid' } } } },
      Outputs: { ChildQueue: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.QueueArn'] } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'parent', TemplateBody: JSON.stringify(parent) }));
    const stack = await settledStack(cfn, 'parent');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    assert.equal(outputs(stack)['ChildQueue'], 'arn:aws:sqs:us-east-1:000000000000:kid-nested');
    const all = (await cfn.send(new DescribeStacksCommand({}))).Stacks!;
    const nested = all.find((s) => s.ParentId === stack.StackId);
    assert.ok(nested, 'the nested stack is listed, its parent named');
    assert.match(nested.StackName!, /^parent-Child-/);
    assert.equal(nested.RootId, stack.StackId);

    await cfn.send(new DeleteStackCommand({ StackName: 'parent' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.equal((await settledStack(cfn, nested.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'kid-' }))).QueueUrls ?? [], []);
  });

  it('runs a Lambda-backed custom resource through Create, Update and Delete; its Data is GetAtt', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'custom', TemplateBody: JSON.stringify(customTemplate('world')) }));
    const created = await settledStack(cfn, 'custom');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE', created.StackStatusReason);
    assert.deepEqual(outputs(created), { Greeting: 'hello world', RequestType: 'Create', Old: 'none', Type: 'Custom::Thing', Id: 'thing-world' });
    await cfn.send(new UpdateStackCommand({ StackName: 'custom', TemplateBody: JSON.stringify(customTemplate('moon')) }));
    const updated = await settledStack(cfn, 'custom');
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE', updated.StackStatusReason);
    assert.deepEqual(outputs(updated), { Greeting: 'hello moon', RequestType: 'Update', Old: 'world', Type: 'Custom::Thing', Id: 'thing-world' });
    await cfn.send(new DeleteStackCommand({ StackName: 'custom' }));
    const deleted = await settledStack(cfn, created.StackId!);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE', 'the Delete request was answered');
    assert.ok((await eventsOf(cfn, created.StackId!)).some((e) => e.LogicalResourceId === 'Thing' && e.ResourceStatus === 'DELETE_COMPLETE'));
  });

  it('rolls back when a custom resource answers FAILED, with its reason in the events', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'custom-fail', TemplateBody: JSON.stringify(customTemplate('x', 'yes')) }));
    const stack = await settledStack(cfn, 'custom-fail');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const failed = (await eventsOf(cfn, 'custom-fail')).find((e) => e.LogicalResourceId === 'Thing' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /Received response status \[FAILED\] from custom resource\. Message returned: asked to fail by the template/);
  });

  it('a stack whose resource refuses deletion is DELETE_FAILED; DeleteStack with RetainResources then completes', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'sticky', TemplateBody: JSON.stringify(customTemplate('s', 'no', 'yes')) }));
    const stack = await settledStack(cfn, 'sticky');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'sticky', RetainResources: ['Thing'] })), /RetainResources can only be specified when the stack is in the DELETE_FAILED state/);
    await cfn.send(new DeleteStackCommand({ StackName: 'sticky' }));
    const failed = await settledStack(cfn, 'sticky');
    assert.equal(failed.StackStatus, 'DELETE_FAILED');
    assert.equal(failed.StackStatusReason, 'The following resource(s) failed to delete: [Thing]. ');
    await cfn.send(new DeleteStackCommand({ StackName: 'sticky', RetainResources: ['Thing'] }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.ok((await eventsOf(cfn, stack.StackId!)).some((e) => e.LogicalResourceId === 'Thing' && e.ResourceStatus === 'DELETE_SKIPPED'));
  });

  it('masks the attributes of a custom resource that answers NoEcho where outputs show them', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'secretive', TemplateBody: JSON.stringify(customTemplate('hidden', 'no', 'no', 'yes')) }));
    const stack = await settledStack(cfn, 'secretive');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    const o = outputs(stack);
    assert.deepEqual([o['Greeting'], o['RequestType'], o['Id']], ['*****', '*****', 'thing-hidden'], 'GetAtt values are masked; the physical id is not');
    await cfn.send(new DeleteStackCommand({ StackName: 'secretive' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });

  it('inline Node.js and Python code can answer with the cfn-response / cfnresponse modules CloudFormation provides', async () => {
    const node = "const response = require('cfn-response');\nexports.handler = async (event, context) => { await response.send(event, context, response.SUCCESS, { From: 'node ' + event.RequestType }, 'node-thing'); };";
    const python = 'import cfnresponse\ndef handler(event, context):\n    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"From": "python " + event["RequestType"]}, "python-thing")\n';
    const body = {
      Resources: {
        NodeFn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: node } } },
        PyFn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.11', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: python } } },
        NodeThing: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: { 'Fn::GetAtt': ['NodeFn', 'Arn'] } } },
        PyThing: { Type: 'Custom::Py', Properties: { ServiceToken: { 'Fn::GetAtt': ['PyFn', 'Arn'] } } },
      },
      Outputs: { Node: { Value: { 'Fn::GetAtt': 'NodeThing.From' } }, Py: { Value: { 'Fn::GetAtt': 'PyThing.From' } }, NodeId: { Value: { Ref: 'NodeThing' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'modules', TemplateBody: JSON.stringify(body) }));
    const stack = await settledStack(cfn, 'modules');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    assert.deepEqual(outputs(stack), { Node: 'node Create', Py: 'python Create', NodeId: 'node-thing' });
    await cfn.send(new DeleteStackCommand({ StackName: 'modules' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });
});
