import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateSummaryCommand,
  ListChangeSetsCommand,
  ValidateTemplateCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { cfnClient, settledStack } from '../helpers/cloudformation.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
const changesOf = (cs: DescribeChangeSetCommandOutput) =>
  (cs.Changes ?? []).map((c) => [c.ResourceChange!.Action, c.ResourceChange!.LogicalResourceId, c.ResourceChange!.Replacement ?? '-']).sort((a, b) => a[1]!.localeCompare(b[1]!));

const YAML_TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: a queue deployed by the aws CLI
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub 'cli-\${Stage}'
      VisibilityTimeout: !If [IsProd, 120, 30]
Outputs:
  Url:
    Value: !Ref Queue
  Arn:
    Value: !GetAtt Queue.Arn
`;

describe('CloudFormation change sets, through the SDK and `aws cloudformation deploy`', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let dir: string;
  before(async () => {
    t = await startTestPlatform();
    cfn = cfnClient(t);
    dir = mkdtempSync(join(tmpdir(), 'cfn-cs-'));
  });
  after(async () => {
    cfn.destroy();
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  it('creates a stack through a CREATE change set (REVIEW_IN_PROGRESS first), then updates through UPDATE change sets', async () => {
    const v1 = { Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-a', VisibilityTimeout: 30 } }, B: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-b' } } } };
    const created = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(v1), Description: 'the first' }));
    assert.match(created.Id!, /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/first\//);
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'cs' }))).Stacks![0]!.StackStatus, 'REVIEW_IN_PROGRESS');
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: 'first', StackName: 'cs' });
    const first = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id! }));
    assert.equal(first.Status, 'CREATE_COMPLETE');
    assert.equal(first.ExecutionStatus, 'AVAILABLE');
    assert.equal(first.Description, 'the first');
    assert.deepEqual(changesOf(first), [['Add', 'A', '-'], ['Add', 'B', '-']]);
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'cs' }))).Summaries!.map((s) => s.ChangeSetName), ['first']);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'first', StackName: 'cs' }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: 'cs' });
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'cs' }))).Summaries, [], 'executing removes the stack\'s change sets');

    const v2 = { Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-a', VisibilityTimeout: 60 } }, C: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-c' } } } };
    await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'second', TemplateBody: JSON.stringify(v2) }));
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: 'second', StackName: 'cs' });
    const second = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'second', StackName: 'cs' }));
    assert.deepEqual(changesOf(second), [['Modify', 'A', 'False'], ['Remove', 'B', '-'], ['Add', 'C', '-']]);
    const detail = second.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === 'A')!.ResourceChange!.Details![0]!;
    assert.deepEqual([detail.Target?.Name, detail.Target?.RequiresRecreation, detail.Evaluation], ['VisibilityTimeout', 'Never', 'Static']);

    const v3 = { Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cs-a2', VisibilityTimeout: 30 } }, B: v1.Resources.B } };
    await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'third', TemplateBody: JSON.stringify(v3) }));
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: 'third', StackName: 'cs' });
    const third = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'third', StackName: 'cs' }));
    assert.deepEqual(changesOf(third), [['Modify', 'A', 'True']]);
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'third', StackName: 'cs' }));
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'third', StackName: 'cs' })), (e: Error) => e.name === 'ChangeSetNotFoundException' || e.name === 'ChangeSetNotFound');
    // Deleting it again succeeds, as on AWS (the Serverless Framework deletes its change set name before each update);
    // a stack that does not exist is refused.
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'third', StackName: 'cs' }));
    await assert.rejects(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'third', StackName: 'no-such-stack' })), (e: Error) => e.name === 'ValidationError' && /no-such-stack/.test(e.message));

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'second', StackName: 'cs' }));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: 'cs' });
  });

  it('fails an empty change set with the reason the CLI recognises', async () => {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'cs' }))).Stacks![0]!;
    const { TemplateBody } = await cfn.send(new (await import('@aws-sdk/client-cloudformation')).GetTemplateCommand({ StackName: 'cs' }));
    await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'empty', TemplateBody }));
    await assert.rejects(waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: 'empty', StackName: 'cs' }));
    const empty = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'empty', StackName: 'cs' }));
    assert.equal(empty.Status, 'FAILED');
    assert.equal(empty.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'empty', StackName: 'cs' })), (e: Error) => e.name === 'InvalidChangeSetStatusException' || e.name === 'InvalidChangeSetStatus');
    await cfn.send(new DeleteStackCommand({ StackName: 'cs' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
  });

  it('validates and summarises a YAML template with short-form tags', async () => {
    const v = await cfn.send(new ValidateTemplateCommand({ TemplateBody: YAML_TEMPLATE }));
    assert.equal(v.Description, 'a queue deployed by the aws CLI');
    assert.deepEqual(v.Parameters?.map((p) => [p.ParameterKey, p.DefaultValue]), [['Stage', 'dev']]);
    const s = await cfn.send(new GetTemplateSummaryCommand({ TemplateBody: YAML_TEMPLATE }));
    assert.deepEqual(s.ResourceTypes, ['AWS::SQS::Queue']);
    assert.deepEqual(s.Parameters?.[0]?.ParameterConstraints?.AllowedValues, ['dev', 'prod']);
    await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources: [' })), (e: Error) => e.name === 'ValidationError' && /Template format error/.test(e.message));
  });

  it('`aws cloudformation deploy` creates a change set the CLI waits for; a second deploy finds no changes', async () => {
    const file = join(dir, 'queue.yaml');
    writeFileSync(file, YAML_TEMPLATE);
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, 'cloudformation', 'deploy', '--template-file', file, '--stack-name', 'cli', ...args]);
    const first = await aws('--parameter-overrides', 'Stage=prod', '--no-execute-changeset');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Changeset created successfully/);
    const list = await cfn.send(new ListChangeSetsCommand({ StackName: 'cli' }));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: list.Summaries![0]!.ChangeSetId! }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: 'cli' });
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'cli' }))).Stacks![0]!;
    assert.match(stack.Outputs!.find((o) => o.OutputKey === 'Url')!.OutputValue!, /\/cli-prod$/);
    const again = await aws('--parameter-overrides', 'Stage=prod', '--no-fail-on-empty-changeset');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /No changes to deploy/);
  });
});
