import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, DescribeRuleCommand, EventBridgeClient, ListTagsForResourceCommand, ListTargetsByRuleCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, GetScheduleGroupCommand, ListTagsForResourceCommand as ListScheduleTagsCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { dynamodbProviders } from '../../src/services/cloudformation/providers/dynamodb.js';
import { eventsProviders } from '../../src/services/cloudformation/providers/events.js';
import { schedulerProviders } from '../../src/services/cloudformation/providers/scheduler.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { clientConfig } from '../helpers/cloudformation.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:events-target';
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';

describe('CloudFormation providers: EventBridge, Scheduler and DynamoDB', () => {
  let t: TestPlatform;
  let events: EventBridgeClient;
  let scheduler: SchedulerClient;
  let ddb: DynamoDBClient;
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'app', stackTags: { project: 'demo' } });
  before(async () => {
    t = await startTestPlatform();
    const c = clientConfig(t);
    events = new EventBridgeClient(c);
    scheduler = new SchedulerClient(c);
    ddb = new DynamoDBClient(c);
    await t.platform.router.call('sqs', 'CreateQueue', { QueueName: 'events-target' });
  });
  after(async () => {
    events.destroy();
    scheduler.destroy();
    ddb.destroy();
    await t.stop();
  });

  it('AWS::Events::EventBus and AWS::Events::Rule (Ref bus|name on a custom bus): targets, pattern and state updated in place', async () => {
    const busP = eventsProviders['AWS::Events::EventBus']!;
    const bus = await busP.create({ Name: 'orders', Description: 'd', Tags: [{ Key: 'team', Value: 'a' }] }, ctx('Bus'));
    assert.deepEqual(bus, { physicalId: 'orders', attributes: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders', Name: 'orders' } });
    assert.equal((await events.send(new DescribeEventBusCommand({ Name: 'orders' }))).Description, 'd');
    const busTags = async () => (await events.send(new ListTagsForResourceCommand({ ResourceARN: bus.attributes['Arn'] as string }))).Tags;
    assert.deepEqual(await busTags(), [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);
    await busP.update('orders', { Name: 'orders', Description: 'd', Tags: [{ Key: 'team', Value: 'b' }] }, { Name: 'orders', Description: 'd', Tags: [{ Key: 'team', Value: 'a' }] }, ctx('Bus'));
    assert.deepEqual(await busTags(), [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'b' }]);
    await assert.rejects(busP.create({ Name: 'x', Policy: {} }, ctx('Bus')), /property Policy is not supported/);

    const p = eventsProviders['AWS::Events::Rule']!;
    const pattern = { source: ['shop'], 'detail-type': ['OrderPlaced'] };
    const props = { EventBusName: 'orders', EventPattern: pattern, State: 'ENABLED', Targets: [{ Id: 'q', Arn: QUEUE, Input: { fixed: true } }] };
    const made = await p.create(props, ctx('OnOrder'));
    assert.match(made.physicalId, /^orders\|app-OnOrder-[A-Z0-9]{12}$/);
    const name = made.physicalId.split('|')[1]!;
    // Rules take tags through the API (CloudFormation's rule has no Tags), and keep them across PutRule.
    await events.send(new TagResourceCommand({ ResourceARN: made.attributes['Arn'] as string, Tags: [{ Key: 'k', Value: 'v' }, { Key: 'gone', Value: 'x' }] }));
    await events.send(new UntagResourceCommand({ ResourceARN: made.attributes['Arn'] as string, TagKeys: ['gone'] }));
    assert.equal(made.attributes['Arn'], `arn:aws:events:us-east-1:000000000000:rule/orders/${name}`);
    const rule = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: 'orders' }));
    assert.deepEqual([JSON.parse(rule.EventPattern!), rule.State], [pattern, 'ENABLED']);
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: 'orders' }))).Targets!;
    assert.deepEqual(targets.map((x) => [x.Id, x.Arn, x.Input]), [['q', QUEUE, '{"fixed":true}']]);

    const next = { EventBusName: 'orders', EventPattern: { source: ['shop'] }, State: 'DISABLED', Targets: [{ Id: 'q2', Arn: QUEUE }] };
    assert.deepEqual(await p.update(made.physicalId, next, props, ctx('OnOrder')), made);
    const after = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: 'orders' }));
    assert.deepEqual([JSON.parse(after.EventPattern!), after.State], [{ source: ['shop'] }, 'DISABLED']);
    assert.deepEqual((await events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: 'orders' }))).Targets!.map((x) => x.Id), ['q2']);
    assert.deepEqual((await events.send(new ListTagsForResourceCommand({ ResourceARN: made.attributes['Arn'] as string }))).Tags, [{ Key: 'k', Value: 'v' }]);
    assert.deepEqual(p.replaceOn, ['Name', 'EventBusName']);

    const scheduled = await p.create({ Name: 'tick', ScheduleExpression: 'rate(5 minutes)', Targets: [{ Id: 'q', Arn: QUEUE }] }, ctx('Tick'));
    assert.equal(scheduled.physicalId, 'tick', 'on the default bus, Ref is the name alone');
    await p.delete('tick', {}, ctx('Tick'));
    await assert.rejects(events.send(new DescribeRuleCommand({ Name: 'tick' })), { name: 'ResourceNotFoundException' });
    await p.delete(made.physicalId, next, ctx('OnOrder'));
    await assert.rejects(events.send(new DescribeRuleCommand({ Name: name, EventBusName: 'orders' })), { name: 'ResourceNotFoundException' });
    await p.delete(made.physicalId, next, ctx('OnOrder'));
    await busP.delete('orders', {}, ctx('Bus'));
    await assert.rejects(events.send(new DescribeEventBusCommand({ Name: 'orders' })), { name: 'ResourceNotFoundException' });
    await busP.delete('orders', {}, ctx('Bus'));
  });

  it('AWS::Scheduler::ScheduleGroup and AWS::Scheduler::Schedule: created, updated in place, deleted', async () => {
    const gp = schedulerProviders['AWS::Scheduler::ScheduleGroup']!;
    const group = await gp.create({ Tags: [{ Key: 'team', Value: 'a' }] }, ctx('Group'));
    assert.match(group.physicalId, /^app-Group-[A-Z0-9]{12}$/);
    const g = await scheduler.send(new GetScheduleGroupCommand({ Name: group.physicalId }));
    assert.equal(group.attributes['Arn'], g.Arn);
    assert.equal(group.attributes['State'], 'ACTIVE');
    assert.equal(group.attributes['CreationDate'], g.CreationDate!.toISOString());
    const groupTags = async () => (await scheduler.send(new ListScheduleTagsCommand({ ResourceArn: g.Arn! }))).Tags;
    assert.deepEqual(await groupTags(), [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);
    await gp.update(group.physicalId, { Tags: [] }, { Tags: [{ Key: 'team', Value: 'a' }] }, ctx('Group'));
    assert.deepEqual(await groupTags(), [{ Key: 'project', Value: 'demo' }]);

    const sp = schedulerProviders['AWS::Scheduler::Schedule']!;
    const props = { GroupName: group.physicalId, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: QUEUE, RoleArn: ROLE, Input: '{"a":1}', RetryPolicy: { MaximumRetryAttempts: '3' } } };
    const made = await sp.create(props, ctx('Hourly'));
    assert.equal(made.attributes['Arn'], `arn:aws:scheduler:us-east-1:000000000000:schedule/${group.physicalId}/${made.physicalId}`);
    const s = await scheduler.send(new GetScheduleCommand({ Name: made.physicalId, GroupName: group.physicalId }));
    assert.deepEqual([s.ScheduleExpression, s.Target?.Input, s.Target?.RetryPolicy?.MaximumRetryAttempts], ['rate(1 hour)', '{"a":1}', 3]);
    const next = { ...props, ScheduleExpression: 'rate(2 hours)', State: 'DISABLED', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } };
    assert.deepEqual(await sp.update(made.physicalId, next, props, ctx('Hourly')), made);
    const u = await scheduler.send(new GetScheduleCommand({ Name: made.physicalId, GroupName: group.physicalId }));
    assert.deepEqual([u.ScheduleExpression, u.State, u.FlexibleTimeWindow?.MaximumWindowInMinutes], ['rate(2 hours)', 'DISABLED', 15]);
    assert.deepEqual(sp.replaceOn, ['Name', 'GroupName']);
    await assert.rejects(sp.create({ ...props, Target: { ...props.Target, EcsParameters: {} } }, ctx('Ecs')), /Target.EcsParameters is not supported/);
    await sp.delete(made.physicalId, next, ctx('Hourly'));
    await assert.rejects(scheduler.send(new GetScheduleCommand({ Name: made.physicalId, GroupName: group.physicalId })), { name: 'ResourceNotFoundException' });
    await sp.delete(made.physicalId, next, ctx('Hourly'));
    await gp.delete(group.physicalId, {}, ctx('Group'));
    await assert.rejects(scheduler.send(new GetScheduleGroupCommand({ Name: group.physicalId })), { name: 'ResourceNotFoundException' });
    await gp.delete(group.physicalId, {}, ctx('Group'));
  });

  it('AWS::DynamoDB::Table: keys, indexes, stream and TTL; GSIs, stream, TTL and tags updated in place; deleted', async () => {
    const p = dynamodbProviders['AWS::DynamoDB::Table']!;
    const props = {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      LocalSecondaryIndexes: [{ IndexName: 'byPkG', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
      Tags: [{ Key: 'team', Value: 'a' }],
    };
    const made = await p.create(props, ctx('Orders'));
    assert.match(made.physicalId, /^app-Orders-[A-Z0-9]{12}$/);
    const table = (await ddb.send(new DescribeTableCommand({ TableName: made.physicalId }))).Table!;
    assert.deepEqual(made.attributes, { Arn: table.TableArn, StreamArn: table.LatestStreamArn });
    assert.match(String(made.attributes['StreamArn']), /\/stream\//);
    assert.deepEqual([table.GlobalSecondaryIndexes!.map((i) => i.IndexName), table.LocalSecondaryIndexes!.map((i) => i.IndexName), table.StreamSpecification?.StreamViewType], [['byG'], ['byPkG'], 'NEW_AND_OLD_IMAGES']);
    assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: made.physicalId }))).TimeToLiveDescription, { AttributeName: 'expires', TimeToLiveStatus: 'ENABLED' });
    assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn! }))).Tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);

    const next = {
      ...props,
      GlobalSecondaryIndexes: [{ IndexName: 'bySk', KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false },
      Tags: [],
    };
    const updated = await p.update(made.physicalId, next, props, ctx('Orders'));
    assert.equal(updated.physicalId, made.physicalId);
    assert.notEqual(updated.attributes['StreamArn'], made.attributes['StreamArn'], 'a new view type is a new stream');
    const after = (await ddb.send(new DescribeTableCommand({ TableName: made.physicalId }))).Table!;
    assert.deepEqual([after.GlobalSecondaryIndexes!.map((i) => i.IndexName), after.StreamSpecification?.StreamViewType], [['bySk'], 'KEYS_ONLY']);
    assert.equal((await ddb.send(new DescribeTimeToLiveCommand({ TableName: made.physicalId }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
    assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn! }))).Tags, [{ Key: 'project', Value: 'demo' }]);

    assert.deepEqual(p.replaceOn, ['TableName', 'KeySchema', 'LocalSecondaryIndexes']);
    await assert.rejects(p.create({ ...props, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }, ctx('Pitr')), /PointInTimeRecoverySpecification is not supported/);
    await p.delete(made.physicalId, next, ctx('Orders'));
    await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: made.physicalId })), { name: 'ResourceNotFoundException' });
    await p.delete(made.physicalId, next, ctx('Orders'));
  });
});
