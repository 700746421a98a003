import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand, ListTagsForResourceCommand, ListTopicsCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand,
  SNSClient, SubscribeCommand, type CreateTopicCommandInput, TagResourceCommand, UnsubscribeCommand, UntagResourceCommand, paginateListTopics, type SNSServiceException,
} from '@aws-sdk/client-sns';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const ARN = 'arn:aws:sns:us-east-1:000000000000';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:inbox';

describe('SNS topics and subscriptions', () => {
  let t: TestPlatform;
  let sns: SNSClient;
  const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: SNSServiceException) => e);

  before(async () => {
    t = await startTestPlatform();
    sns = new SNSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    sns.destroy();
    await t.stop();
  });

  it('CreateTopic: standard and FIFO, idempotent with the same attributes, refused with others', async () => {
    const std = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'shop' }] }));
    assert.equal(std.TopicArn, `${ARN}:orders`);
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn, std.TopicArn);
    const clash = await fail(sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })));
    assert.equal(clash.name, 'InvalidParameterException');
    assert.equal(clash.$metadata.httpStatusCode, 400);

    const fifo = await sns.send(new CreateTopicCommand({ Name: 'ledger.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    assert.equal(fifo.TopicArn, `${ARN}:ledger.fifo`);
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo.TopicArn }))).Attributes!;
    assert.equal(attrs['FifoTopic'], 'true');
    assert.equal(attrs['ContentBasedDeduplication'], 'true');

    const refused: CreateTopicCommandInput[] = [{ Name: 'ledger2.fifo' }, { Name: 'no-suffix', Attributes: { FifoTopic: 'true' } }, { Name: 'bad name!' }, { Name: 'std', Attributes: { ContentBasedDeduplication: 'true' } }];
    for (const bad of refused) {
      assert.equal((await fail(sns.send(new CreateTopicCommand(bad)))).name, 'InvalidParameterException', JSON.stringify(bad));
    }
  });

  it('Get/SetTopicAttributes: derived attributes, settable ones, NotFound for a missing topic', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attrs' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.equal(a['TopicArn'], TopicArn);
    assert.equal(a['Owner'], '000000000000');
    assert.equal(a['DisplayName'], 'Shown');
    assert.equal(a['SignatureVersion'], '2');
    assert.equal(a['SubscriptionsConfirmed'], '0');
    assert.equal(JSON.parse(a['Policy']!).Statement[0].Resource, TopicArn);
    assert.equal((await fail(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Bogus', AttributeValue: 'x' })))).name, 'InvalidParameterException');
    const missing = await fail(sns.send(new GetTopicAttributesCommand({ TopicArn: `${ARN}:nope` })));
    assert.equal(missing.name, 'NotFoundException');
    assert.equal(missing.$metadata.httpStatusCode, 404);
  });

  it('tags: add, list, remove; ResourceNotFound for a missing topic', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'b', Value: '2' }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['a'] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'b', Value: '2' }]);
    assert.equal((await fail(sns.send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}:nope` })))).name, 'ResourceNotFoundException');
  });

  it('ListTopics pages by 100 with NextToken; DeleteTopic removes a topic and its subscriptions', async () => {
    for (let i = 0; i < 105; i++) await sns.send(new CreateTopicCommand({ Name: `page-${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    assert.equal(first.Topics!.length, 100);
    assert.ok(first.NextToken);
    const all: string[] = [];
    for await (const page of paginateListTopics({ client: sns }, {})) all.push(...page.Topics!.map((x) => x.TopicArn!));
    assert.equal(all.filter((a) => a.includes(':page-')).length, 105);
    assert.equal(new Set(all).size, all.length, 'no topic twice');

    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'doomed' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn })); // again: SNS's DeleteTopic is idempotent
    assert.equal((await fail(sns.send(new GetTopicAttributesCommand({ TopicArn })))).name, 'NotFoundException');
    assert.equal((await fail(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })))).name, 'NotFoundException');
  });

  it('Subscribe: sqs and lambda confirmed at once, http pending; list, attributes, unsubscribe', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subs' }));
    const sqsSub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'true' } }));
    assert.match(sqsSub.SubscriptionArn!, new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'true' } }));
    assert.equal(again.SubscriptionArn, sqsSub.SubscriptionArn, 'the same endpoint twice is one subscription');
    const fn = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' }));
    // Nothing listens on port 9 (discard): the confirmation request fails and the subscription stays pending.
    const web = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/hook' }));
    assert.equal(web.SubscriptionArn, 'pending confirmation');

    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    assert.deepEqual(listed.map((s) => s.Protocol).sort(), ['http', 'lambda', 'sqs']);
    assert.equal(listed.find((s) => s.Protocol === 'http')!.SubscriptionArn, 'PendingConfirmation');
    assert.ok((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.some((s) => s.SubscriptionArn === fn.SubscriptionArn));
    const counts = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.deepEqual([counts['SubscriptionsConfirmed'], counts['SubscriptionsPending']], ['2', '1']);

    const arn = sqsSub.SubscriptionArn!;
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: '{"store":["example_corp"]}' }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    await sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: `${QUEUE}-dlq` }) }),
    );
    const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!;
    assert.equal(a['Protocol'], 'sqs');
    assert.equal(a['Endpoint'], QUEUE);
    assert.equal(a['RawMessageDelivery'], 'true');
    assert.equal(a['FilterPolicyScope'], 'MessageBody');
    assert.equal(a['PendingConfirmation'], 'false');
    assert.equal(JSON.parse(a['RedrivePolicy']!).deadLetterTargetArn, `${QUEUE}-dlq`);

    const invalid = async (AttributeName: string, AttributeValue: string, SubscriptionArn = arn) =>
      (await fail(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue })))).message;
    assert.match(await invalid('FilterPolicy', '{"a": [{"wat": 1}]}'), /FilterPolicy/);
    assert.match(await invalid('RawMessageDelivery', 'true', fn.SubscriptionArn), /does not support raw message delivery/);
    assert.match(await invalid('RedrivePolicy', '{"deadLetterTargetArn": "nope"}'), /RedrivePolicy/);

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    assert.equal((await fail(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })))).name, 'NotFoundException');
    const err = await fail(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' })));
    assert.equal(err.name, 'InvalidParameterException');
    const sms = await fail(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' })));
    assert.equal(sms.$metadata.httpStatusCode, 501);
    const fifoQueue = await fail(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `${QUEUE}.fifo` })));
    assert.match(fifoQueue.message, /FIFO SQS Queues can not be subscribed to standard SNS topics/);
  });

  it('operations Selfless does not serve answer 501 NotImplemented', async () => {
    const { CreatePlatformApplicationCommand } = await import('@aws-sdk/client-sns');
    const e = await fail(sns.send(new CreatePlatformApplicationCommand({ Name: 'p', Platform: 'GCM', Attributes: {} })));
    assert.equal(e.$metadata.httpStatusCode, 501);
    // Features behind some parameters are not served either: refused, never accepted and ignored.
    const guarded = await fail(sns.send(new CreateTopicCommand({ Name: 'guarded', DataProtectionPolicy: '{}' })));
    assert.deepEqual([guarded.name, guarded.$metadata.httpStatusCode], ['NotImplemented', 501]);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'archived.fifo', Attributes: { FifoTopic: 'true' } }));
    const archive = await fail(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ArchivePolicy', AttributeValue: '{"MessageRetentionPeriod": "30"}' })));
    assert.equal(archive.$metadata.httpStatusCode, 501);
  });

  it('boto3 and the aws CLI', async () => {
    const script = `
import boto3, json, sys
c = boto3.client('sns', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
arn = c.create_topic(Name='py-topic', Attributes={'DisplayName': 'Py'})['TopicArn']
sub = c.subscribe(TopicArn=arn, Protocol='sqs', Endpoint='${QUEUE}', ReturnSubscriptionArn=True)['SubscriptionArn']
c.set_subscription_attributes(SubscriptionArn=sub, AttributeName='FilterPolicy', AttributeValue='{"price": [{"numeric": [">", 10]}]}')
try:
    c.get_topic_attributes(TopicArn=arn + '-missing')
except c.exceptions.NotFoundException as e:
    code = e.response['Error']['Code']
names = [t['TopicArn'] for p in c.get_paginator('list_topics').paginate() for t in p['Topics']]
print(json.dumps({'arn': arn, 'display': c.get_topic_attributes(TopicArn=arn)['Attributes']['DisplayName'], 'sub': sub,
  'policy': c.get_subscription_attributes(SubscriptionArn=sub)['Attributes']['FilterPolicy'], 'code': code, 'listed': arn in names}))
`;
    const py = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { ...out, sub: undefined },
      { arn: `${ARN}:py-topic`, display: 'Py', sub: undefined, policy: '{"price": [{"numeric": [">", 10]}]}', code: 'NotFound', listed: true },
    );

    const created = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sns', 'create-topic', '--name', 'cli-topic']);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(JSON.parse(created.stdout), { TopicArn: `${ARN}:cli-topic` });
    const subs = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sns', 'list-subscriptions-by-topic', '--topic-arn', `${ARN}:py-topic`]);
    assert.equal(subs.code, 0, subs.stderr);
    assert.equal((JSON.parse(subs.stdout) as { Subscriptions: { SubscriptionArn: string }[] }).Subscriptions[0]!.SubscriptionArn, out['sub']);
  });
});
