/**
 * The resource types added by the audit of served services (README, CloudFormation): each deployed
 * in a real stack, checked through its service's SDK client, updated in place and deleted with it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetInstanceProfileCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const allow = (action: string, resource: unknown = '*', principal?: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...(principal ? { Principal: principal } : {}) }],
});

/** The template, with `v` telling the first deployment from the update. */
const template = (v: 1 | 2) => ({
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue' },
    QueuePolicy: { Type: 'AWS::SQS::QueueInlinePolicy', Properties: { Queue: { Ref: 'Queue' }, PolicyDocument: allow(v === 1 ? 'sqs:SendMessage' : 'sqs:*', { 'Fn::GetAtt': ['Queue', 'Arn'] }, { Service: 'events.amazonaws.com' }) } },
    Topic: { Type: 'AWS::SNS::Topic' },
    TopicPolicy: { Type: 'AWS::SNS::TopicInlinePolicy', Properties: { TopicArn: { Ref: 'Topic' }, PolicyDocument: allow('sns:Publish', { Ref: 'Topic' }, { Service: 's3.amazonaws.com' }) } },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: TRUST } },
    RolePolicy: { Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: 'Role' }, PolicyName: 'read-table', PolicyDocument: allow(v === 1 ? 'dynamodb:GetItem' : 'dynamodb:Query') } },
    Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: v === 1 ? [{ Ref: 'Role' }] : [] } },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'audit-bus' } },
    BusPolicy: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        StatementId: 'partner',
        Statement: { Effect: 'Allow', Principal: { AWS: v === 1 ? 'arn:aws:iam::111122223333:root' : 'arn:aws:iam::444455556666:root' }, Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['Bus', 'Arn'] } },
      },
    },
    BusGrant: { Type: 'AWS::Events::EventBusPolicy', Properties: { EventBusName: { Ref: 'Bus' }, StatementId: 'org', Action: 'events:PutEvents', Principal: '*', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' } } },
    Table: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'gsi', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'by-gsi', KeySchema: [{ AttributeName: 'gsi', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        ...(v === 2 ? { TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } } : {}),
        Replicas: [{ Region: 'us-east-1', Tags: [{ Key: 'team', Value: v === 1 ? 'a' : 'b' }], DeletionProtectionEnabled: false }],
      },
    },
  },
  Outputs: {
    QueuePolicyRef: { Value: { Ref: 'QueuePolicy' } },
    QueueUrl: { Value: { Ref: 'Queue' } },
    TopicPolicyRef: { Value: { Ref: 'TopicPolicy' } },
    TopicArn: { Value: { Ref: 'Topic' } },
    RolePolicyRef: { Value: { Ref: 'RolePolicy' } },
    RoleName: { Value: { Ref: 'Role' } },
    ProfileName: { Value: { Ref: 'Profile' } },
    ProfileArn: { Value: { 'Fn::GetAtt': ['Profile', 'Arn'] } },
    BusPolicyRef: { Value: { Ref: 'BusPolicy' } },
    TableName: { Value: { Ref: 'Table' } },
    TableArn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] } },
    TableStreamArn: { Value: { 'Fn::GetAtt': ['Table', 'StreamArn'] } },
    TableId: { Value: { 'Fn::GetAtt': ['Table', 'TableId'] } },
  },
});

const outputs = (s: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }) => Object.fromEntries((s.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

describe('CloudFormation: the resource types the audit added', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  cfnSuite((s) => ({ t, cfn, sqs } = s));
  const clients: { destroy(): void }[] = [];
  const client = <C extends { destroy(): void }>(c: C): C => (clients.push(c), c);
  after(() => clients.forEach((c) => c.destroy()));

  it('QueueInlinePolicy, TopicInlinePolicy, RolePolicy, InstanceProfile, EventBusPolicy and a one-region GlobalTable: made, updated in place, deleted', async () => {
    const iam = client(new IAMClient(clientConfig(t)));
    const sns = client(new SNSClient(clientConfig(t)));
    const ddb = client(new DynamoDBClient(clientConfig(t)));
    const eb = client(new EventBridgeClient(clientConfig(t)));
    // A role policy is an IAM resource: CloudFormation asks for the capability (its RoleName names another resource).
    const rolePolicyOnly = { Resources: { P: template(1).Resources.RolePolicy } };
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'audit-caps', TemplateBody: JSON.stringify(rolePolicyOnly) })), { name: 'InsufficientCapabilitiesException', message: /\[CAPABILITY_IAM\]/ });
    await cfn.send(new CreateStackCommand({ StackName: 'audit', TemplateBody: JSON.stringify(template(1)), Capabilities: ['CAPABILITY_IAM'] }));
    const made = await settledStack(cfn, 'audit');
    assert.equal(made.StackStatus, 'CREATE_COMPLETE', JSON.stringify((await eventsOf(cfn, 'audit')).map((e) => e.ResourceStatusReason).filter(Boolean)));
    const o = outputs(made);

    // Ref values as AWS defines them: the queue's URL, the topic's ARN, PolicyName|RoleName, the profile's and table's names.
    assert.equal(o['QueuePolicyRef'], o['QueueUrl']);
    assert.equal(o['TopicPolicyRef'], o['TopicArn']);
    assert.equal(o['RolePolicyRef'], `read-table|${o['RoleName']}`);
    assert.equal(o['BusPolicyRef'], 'audit-bus|partner');
    const busStatements = async () => {
      const p = (await eb.send(new DescribeEventBusCommand({ Name: 'audit-bus' }))).Policy;
      return p === undefined ? [] : (JSON.parse(p).Statement as { Sid: string; Principal: unknown }[]).map((st) => [st.Sid, st.Principal]).sort();
    };
    assert.deepEqual(await busStatements(), [['org', '*'], ['partner', { AWS: 'arn:aws:iam::111122223333:root' }]]);

    const queuePolicy = async () => JSON.parse((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: o['QueueUrl'], AttributeNames: ['Policy'] }))).Attributes?.['Policy'] ?? '{}');
    assert.equal((await queuePolicy()).Statement[0].Action, 'sqs:SendMessage');
    const topicPolicy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: o['TopicArn'] }))).Attributes!['Policy']!);
    assert.deepEqual(topicPolicy.Statement[0].Principal, { Service: 's3.amazonaws.com' });
    const rolePolicy = async () => JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: o['RoleName'], PolicyName: 'read-table' }))).PolicyDocument!));
    assert.equal((await rolePolicy()).Statement[0].Action, 'dynamodb:GetItem');
    const profile = async () => (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: o['ProfileName'] }))).InstanceProfile!;
    assert.equal((await profile()).Arn, o['ProfileArn']);
    assert.deepEqual((await profile()).Roles!.map((r) => r.RoleName), [o['RoleName']]);

    const table = (await ddb.send(new DescribeTableCommand({ TableName: o['TableName'] }))).Table!;
    assert.deepEqual([table.TableArn, table.LatestStreamArn, table.TableId], [o['TableArn'], o['TableStreamArn'], o['TableId']]);
    assert.equal(table.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.GlobalSecondaryIndexes!.map((i) => i.IndexName), ['by-gsi']);
    assert.equal(table.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    const tags = async () => (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: o['TableArn'] }))).Tags;
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'a' }]);

    await cfn.send(new UpdateStackCommand({ StackName: 'audit', TemplateBody: JSON.stringify(template(2)), Capabilities: ['CAPABILITY_IAM'] }));
    const updated = await settledStack(cfn, 'audit');
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE', JSON.stringify((await eventsOf(cfn, 'audit')).map((e) => e.ResourceStatusReason).filter(Boolean)));
    assert.deepEqual(outputs(updated), o, 'updated in place: the same names, ARNs and ids');
    assert.equal((await queuePolicy()).Statement[0].Action, 'sqs:*');
    assert.equal((await rolePolicy()).Statement[0].Action, 'dynamodb:Query');
    assert.deepEqual((await profile()).Roles, []);
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'b' }]);
    assert.deepEqual(await busStatements(), [['org', '*'], ['partner', { AWS: 'arn:aws:iam::444455556666:root' }]]);
    const ttl = (await ddb.send(new DescribeTimeToLiveCommand({ TableName: o['TableName'] }))).TimeToLiveDescription!;
    assert.deepEqual([ttl.AttributeName, ttl.TimeToLiveStatus], ['expires', 'ENABLED']);

    await cfn.send(new DeleteStackCommand({ StackName: 'audit' }));
    assert.equal((await settledStack(cfn, made.StackId!)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: o['TableName'] })), { name: 'ResourceNotFoundException' });
    await assert.rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: o['ProfileName'] })), { name: 'NoSuchEntityException' });
    await assert.rejects(iam.send(new GetRolePolicyCommand({ RoleName: o['RoleName'], PolicyName: 'read-table' })), { name: 'NoSuchEntityException' });
  });

  it('a GlobalTable with a replica in another region fails its stack, naming the property', async () => {
    const tpl = template(1);
    const tableOnly = { Resources: { Table: { ...tpl.Resources.Table, Properties: { ...tpl.Resources.Table.Properties, Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'audit-regions', TemplateBody: JSON.stringify(tableOnly) }));
    const s = await settledStack(cfn, 'audit-regions');
    assert.equal(s.StackStatus, 'ROLLBACK_COMPLETE');
    const reasons = (await eventsOf(cfn, 'audit-regions')).map((e) => e.ResourceStatusReason ?? '');
    assert.ok(reasons.some((r) => /AWS::DynamoDB::GlobalTable: property Replicas is not supported by Selfless: Selfless serves one region/.test(r)), reasons.join('\n'));
  });
});
