import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  SetStackPolicyCommand,
  GetStackPolicyCommand,
  GetTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cfnSuite, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ROLE } from '../helpers/platform.js';

const queues = async (sqs: SQSClient, prefix: string) => ((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? []).map((u) => u.split('/').pop()).sort();
const visibility = async (sqs: SQSClient, name: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!, AttributeNames: ['VisibilityTimeout'] }))).Attributes?.['VisibilityTimeout'];

describe('CloudFormation stack lifecycles: rollback, replacement, retention, protection', () => {
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  cfnSuite((s) => ({ cfn, sqs } = s));

  it('rolls back a create whose second resource fails: ROLLBACK_COMPLETE, the reason in events, the first resource gone', async () => {
    const body = {
      Resources: {
        First: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'rb-first' } },
        Second: { Type: 'AWS::Lambda::Function', DependsOn: 'First', Properties: { Runtime: 'nodejs1.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: 'exports.handler = async () => 1;' } } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'rb', TemplateBody: JSON.stringify(body) }));
    const stack = await settledStack(cfn, 'rb');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await eventsOf(cfn, 'rb');
    const failed = events.find((e) => e.LogicalResourceId === 'Second' && e.ResourceStatus === 'CREATE_FAILED');
    assert.ok(failed, 'the failing resource has a CREATE_FAILED event');
    assert.match(failed.ResourceStatusReason!, /nodejs1\.x|Runtime|runtime/);
    const rollback = events.find((e) => e.LogicalResourceId === 'rb' && e.ResourceStatus === 'ROLLBACK_IN_PROGRESS');
    assert.equal(rollback?.ResourceStatusReason, 'The following resource(s) failed to create: [Second]. Rollback requested by user.');
    assert.ok(events.some((e) => e.LogicalResourceId === 'First' && e.ResourceStatus === 'DELETE_COMPLETE'));
    assert.deepEqual(await queues(sqs, 'rb-'), [], 'the first resource is gone');
    await cfn.send(new DeleteStackCommand({ StackName: 'rb' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });

  it('fails a stack with a resource type nothing serves, naming the type; DisableRollback keeps CREATE_FAILED', async () => {
    const body = { Resources: { Odd: { Type: 'AWS::Nothing::Here', Properties: {} } } };
    await cfn.send(new CreateStackCommand({ StackName: 'odd', TemplateBody: JSON.stringify(body), DisableRollback: true }));
    const stack = await settledStack(cfn, 'odd');
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    const failed = (await eventsOf(cfn, 'odd')).find((e) => e.LogicalResourceId === 'Odd' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /AWS::Nothing::Here is not supported/);
    await cfn.send(new DeleteStackCommand({ StackName: 'odd' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });

  it('with OnFailure DELETE, a failed creation is rolled back and the stack deleted', async () => {
    const body = { Resources: { Ok: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'ofd-ok' } }, Odd: { Type: 'AWS::Nothing::Here', DependsOn: 'Ok' } } };
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'ofd', TemplateBody: JSON.stringify(body), OnFailure: 'DELETE' }));
    const stack = await settledStack(cfn, StackId!);
    assert.equal(stack.StackStatus, 'DELETE_COMPLETE');
    const statuses = (await eventsOf(cfn, StackId!)).filter((e) => e.LogicalResourceId === 'ofd').map((e) => e.ResourceStatus);
    assert.deepEqual(statuses, ['DELETE_COMPLETE', 'DELETE_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'ROLLBACK_IN_PROGRESS', 'CREATE_IN_PROGRESS']);
    assert.deepEqual(await queues(sqs, 'ofd-'), []);
  });

  it('modifies in place for a mutable property, replaces for QueueName (the old queue deleted in cleanup)', async () => {
    const body = (name: string, vt: number) => ({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: name, VisibilityTimeout: vt } } }, Outputs: { Url: { Value: { Ref: 'Q' } } } });
    await cfn.send(new CreateStackCommand({ StackName: 'rep', TemplateBody: JSON.stringify(body('rep-a', 30)) }));
    const url = (s: { Outputs?: { OutputValue?: string }[] }) => s.Outputs![0]!.OutputValue;
    const created = await settledStack(cfn, 'rep');
    await cfn.send(new UpdateStackCommand({ StackName: 'rep', TemplateBody: JSON.stringify(body('rep-a', 45)) }));
    const modified = await settledStack(cfn, 'rep');
    assert.equal(modified.StackStatus, 'UPDATE_COMPLETE');
    assert.equal(url(modified), url(created), 'modified in place: the same queue');
    assert.equal(await visibility(sqs, 'rep-a'), '45');
    await cfn.send(new UpdateStackCommand({ StackName: 'rep', TemplateBody: JSON.stringify(body('rep-b', 45)) }));
    const replaced = await settledStack(cfn, 'rep');
    assert.equal(replaced.StackStatus, 'UPDATE_COMPLETE');
    assert.match(url(replaced)!, /\/rep-b$/);
    assert.deepEqual(await queues(sqs, 'rep-'), ['rep-b'], 'the old queue is deleted');
    const statuses = (await eventsOf(cfn, 'rep')).map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}:${e.PhysicalResourceId?.split('/').pop() ?? ''}`);
    assert.ok(statuses.includes('Q:DELETE_COMPLETE:rep-a'), 'the old one deleted during cleanup');
    assert.ok(statuses.indexOf('Q:DELETE_COMPLETE:rep-a') < statuses.indexOf('rep:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS:' + replaced.StackId!.split('/').pop()), 'after the cleanup began (events are newest first)');
  });

  it('rolls an update back to the previous state when a new resource fails', async () => {
    const good = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'urb-q', VisibilityTimeout: 20 } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'urb', TemplateBody: JSON.stringify(good) }));
    await settledStack(cfn, 'urb');
    const bad = {
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'urb-q', VisibilityTimeout: 99 } },
        Extra: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'urb-extra' } },
        Broken: { Type: 'AWS::Lambda::Function', DependsOn: ['Q', 'Extra'], Properties: { Runtime: 'cobol', Handler: 'x', Role: ROLE, Code: { ZipFile: 'x' } } },
      },
    };
    await cfn.send(new UpdateStackCommand({ StackName: 'urb', TemplateBody: JSON.stringify(bad) }));
    const stack = await settledStack(cfn, 'urb');
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(await visibility(sqs, 'urb-q'), '20', 'the modified queue is back as it was');
    assert.deepEqual(await queues(sqs, 'urb-'), ['urb-q'], 'the added queue is gone');
    const events = await eventsOf(cfn, 'urb');
    assert.ok(events.some((e) => e.LogicalResourceId === 'urb' && (e.ResourceStatus as string) === 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'));
    assert.ok(events.some((e) => e.LogicalResourceId === 'Broken' && e.ResourceStatus === 'CREATE_FAILED' && /cobol/.test(e.ResourceStatusReason ?? '')));
    assert.deepEqual(JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: 'urb' }))).TemplateBody!), good, 'the previous template is the stack\'s again');
  });

  it('keeps a resource whose DeletionPolicy is Retain when the stack is deleted', async () => {
    const body = { Resources: { Kept: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain', Properties: { QueueName: 'ret-kept' } }, Gone: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'ret-gone' } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'ret', TemplateBody: JSON.stringify(body) }));
    const stack = await settledStack(cfn, 'ret');
    await cfn.send(new DeleteStackCommand({ StackName: 'ret' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual(await queues(sqs, 'ret-'), ['ret-kept']);
    const events = await eventsOf(cfn, stack.StackId!);
    assert.ok(events.some((e) => e.LogicalResourceId === 'Kept' && e.ResourceStatus === 'DELETE_SKIPPED'));
  });

  it('keeps the replaced resource whose UpdateReplacePolicy is Retain, and deletes the one without it', async () => {
    const body = (suffix: string) => ({
      Resources: {
        Kept: { Type: 'AWS::SQS::Queue', UpdateReplacePolicy: 'Retain', Properties: { QueueName: `urp-kept-${suffix}` } },
        Gone: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `urp-gone-${suffix}` } },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'urp', TemplateBody: JSON.stringify(body('a')) }));
    assert.equal((await settledStack(cfn, 'urp')).StackStatus, 'CREATE_COMPLETE');
    await cfn.send(new UpdateStackCommand({ StackName: 'urp', TemplateBody: JSON.stringify(body('b')) }));
    assert.equal((await settledStack(cfn, 'urp')).StackStatus, 'UPDATE_COMPLETE');
    assert.deepEqual(await queues(sqs, 'urp-'), ['urp-gone-b', 'urp-kept-a', 'urp-kept-b'], 'the old Kept queue stays, the old Gone queue is deleted');
    const events = await eventsOf(cfn, 'urp');
    assert.ok(events.some((e) => e.LogicalResourceId === 'Kept' && e.ResourceStatus === 'DELETE_SKIPPED' && e.PhysicalResourceId?.endsWith('/urp-kept-a')));
  });

  it('refuses to delete a stack with termination protection until it is turned off; keeps its stack policy', async () => {
    const body = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'tp-q' } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'tp', TemplateBody: JSON.stringify(body), EnableTerminationProtection: true }));
    const stack = await settledStack(cfn, 'tp');
    assert.equal(stack.EnableTerminationProtection, true);
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'tp' })), (err: Error) => err.name === 'ValidationError' && /cannot be deleted while TerminationProtection is enabled/.test(err.message));
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }] });
    await cfn.send(new SetStackPolicyCommand({ StackName: 'tp', StackPolicyBody: policy }));
    assert.equal((await cfn.send(new GetStackPolicyCommand({ StackName: 'tp' }))).StackPolicyBody, policy);
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'tp' }))).Stacks![0]!.StackStatus, 'CREATE_COMPLETE');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'tp', EnableTerminationProtection: false }));
    await cfn.send(new DeleteStackCommand({ StackName: 'tp' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });
});
