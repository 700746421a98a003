import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { s3Providers } from '../../src/services/cloudformation/providers/s3.js';
import { snsProviders } from '../../src/services/cloudformation/providers/sns.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { clientConfig } from '../helpers/cloudformation.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const ACCOUNT = '000000000000';

describe('CloudFormation providers: S3 and SNS', () => {
  let t: TestPlatform;
  let s3: S3Client;
  let sns: SNSClient;
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'Data-Stack', stackTags: { project: 'demo' } });
  before(async () => {
    t = await startTestPlatform();
    const c = clientConfig(t);
    s3 = new S3Client({ ...c, forcePathStyle: true });
    sns = new SNSClient(c);
    await t.platform.router.call('sqs', 'CreateQueue', { QueueName: 'uploads' });
  });
  after(async () => {
    s3.destroy();
    sns.destroy();
    await t.stop();
  });

  it('AWS::S3::Bucket: a generated lowercase name, its configuration read back, updated in place, replaced, deleted', async () => {
    const p = s3Providers['AWS::S3::Bucket']!;
    const props = {
      Tags: [{ Key: 'team', Value: 'a' }],
      CorsConfiguration: { CorsRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], ExposedHeaders: ['ETag'], MaxAge: '300' }] },
      LifecycleConfiguration: { Rules: [{ Id: 'tmp', Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 1 }] },
      NotificationConfiguration: {
        QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: `arn:aws:sqs:us-east-1:${ACCOUNT}:uploads`, Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.jpg' }] } } }],
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Suspended' },
      AccessControl: 'Private',
    };
    const made = await p.create(props, ctx('Uploads'));
    const name = made.physicalId;
    assert.match(name, /^data-stack-uploads-[a-z0-9]{12}$/);
    assert.deepEqual(made.attributes, {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.us-east-1.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.us-east-1.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-us-east-1.amazonaws.com`,
    });
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);
    const cors = (await s3.send(new GetBucketCorsCommand({ Bucket: name }))).CORSRules![0]!;
    assert.deepEqual([cors.AllowedMethods, cors.ExposeHeaders, cors.MaxAgeSeconds], [['GET'], ['ETag'], 300]);
    const rule = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }))).Rules![0]!;
    assert.deepEqual([rule.ID, rule.Expiration?.Days, rule.Filter?.Prefix], ['tmp', 1, 'tmp/']);
    const queues = (await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }))).QueueConfigurations!;
    assert.deepEqual([queues[0]!.QueueArn, queues[0]!.Events, queues[0]!.Filter?.Key?.FilterRules], [`arn:aws:sqs:us-east-1:${ACCOUNT}:uploads`, ['s3:ObjectCreated:*'], [{ Name: 'Suffix', Value: '.jpg' }]]);

    const next = { Tags: [{ Key: 'team', Value: 'b' }] };
    assert.deepEqual(await p.update(name, next, props, ctx('Uploads')), made);
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'b' }]);
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket: name })), { name: 'NoSuchCORSConfiguration' });
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name })), { name: 'NoSuchLifecycleConfiguration' });
    assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }))).QueueConfigurations, undefined);

    assert.deepEqual(p.replaceOn, ['BucketName']);
    const named = await p.create({ BucketName: 'named-bucket' }, ctx('Uploads'));
    assert.equal(named.physicalId, 'named-bucket');
    await s3.send(new PutObjectCommand({ Bucket: 'named-bucket', Key: 'k', Body: 'x' }));
    await assert.rejects(p.delete('named-bucket', {}, ctx('Uploads')), { name: 'BucketNotEmpty' }, 'as CloudFormation, a bucket with objects stays');
    await p.delete(name, next, ctx('Uploads'));
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: name })));
    await p.delete(name, next, ctx('Uploads'));

    const versioned = await p.create({ VersioningConfiguration: { Status: 'Enabled' } }, ctx('V'));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: versioned.physicalId }))).Status, 'Enabled');
    await p.update(versioned.physicalId, { VersioningConfiguration: { Status: 'Suspended' } }, { VersioningConfiguration: { Status: 'Enabled' } }, ctx('V'));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: versioned.physicalId }))).Status, 'Suspended');
    await assert.rejects(p.create({ BucketName: 'half-made', LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Transitions: [] }] } }, ctx('L')), /LifecycleConfiguration.Rules\[\].Transitions is not supported/);
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: 'half-made' })), { name: 'NotFound' }, 'a failed create leaves no bucket behind');
    await assert.rejects(p.create({ WebsiteConfiguration: {} }, ctx('W')), /WebsiteConfiguration is not supported/);
    await assert.rejects(p.create({ AccessControl: 'PublicRead' }, ctx('Acl')), /AccessControl is not supported by Selfless: S3 ACLs are not served/);
  });

  it('AWS::S3::BucketPolicy: set, replaced in place, removed', async () => {
    await s3Providers['AWS::S3::Bucket']!.create({ BucketName: 'policy-bucket' }, ctx('B'));
    const p = s3Providers['AWS::S3::BucketPolicy']!;
    const doc = (sid: string) => ({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-bucket/*' }] });
    const made = await p.create({ Bucket: 'policy-bucket', PolicyDocument: doc('a') }, ctx('P'));
    assert.equal(made.physicalId, 'policy-bucket');
    assert.deepEqual(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' }))).Policy!), doc('a'));
    await p.update('policy-bucket', { Bucket: 'policy-bucket', PolicyDocument: doc('b') }, { Bucket: 'policy-bucket', PolicyDocument: doc('a') }, ctx('P'));
    assert.deepEqual(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' }))).Policy!), doc('b'));
    await p.delete('policy-bucket', {}, ctx('P'));
    await assert.rejects(s3.send(new GetBucketPolicyCommand({ Bucket: 'policy-bucket' })), { name: 'NoSuchBucketPolicy' });
    await p.delete('no-such-bucket', {}, ctx('P'));
  });

  it('AWS::SNS::Topic with subscriptions, AWS::SNS::Subscription and AWS::SNS::TopicPolicy', async () => {
    const p = snsProviders['AWS::SNS::Topic']!;
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:uploads`;
    const props = { DisplayName: 'Alerts', Subscription: [{ Protocol: 'sqs', Endpoint: queue }], Tags: [{ Key: 'team', Value: 'a' }] };
    const made = await p.create(props, ctx('Alerts'));
    assert.match(made.physicalId, new RegExp(`^arn:aws:sns:us-east-1:${ACCOUNT}:Data-Stack-Alerts-[A-Z0-9]{12}$`));
    assert.deepEqual(made.attributes, { TopicArn: made.physicalId, TopicName: made.physicalId.split(':')[5] });
    const arn = made.physicalId;
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['DisplayName'], 'Alerts');
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!.map((s) => s.Endpoint), [queue]);
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);

    const next = { DisplayName: 'Renamed', Subscription: [], Tags: [] };
    assert.deepEqual(await p.update(arn, next, props, ctx('Alerts')), made);
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['DisplayName'], 'Renamed');
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions, []);
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'project', Value: 'demo' }]);
    assert.deepEqual(p.replaceOn, ['TopicName', 'FifoTopic']);
    const fifo = await p.create({ FifoTopic: true, ContentBasedDeduplication: 'true' }, ctx('Orders'));
    assert.ok(fifo.physicalId.endsWith('.fifo'));
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo.physicalId }))).Attributes!['ContentBasedDeduplication'], 'true');

    const sp = snsProviders['AWS::SNS::Subscription']!;
    const sub = await sp.create({ TopicArn: arn, Protocol: 'sqs', Endpoint: queue, RawMessageDelivery: 'true', FilterPolicy: { kind: ['a'] } }, ctx('Sub'));
    assert.equal(sub.attributes['Arn'], sub.physicalId);
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.physicalId }))).Attributes!;
    assert.deepEqual([attrs['RawMessageDelivery'], JSON.parse(attrs['FilterPolicy']!)], ['true', { kind: ['a'] }]);
    await sp.update(sub.physicalId, { TopicArn: arn, Protocol: 'sqs', Endpoint: queue }, { TopicArn: arn, Protocol: 'sqs', Endpoint: queue, RawMessageDelivery: 'true', FilterPolicy: { kind: ['a'] } }, ctx('Sub'));
    const after = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.physicalId }))).Attributes!;
    assert.equal(after['FilterPolicy'], undefined);
    assert.notEqual(after['RawMessageDelivery'], 'true');
    assert.deepEqual(sp.replaceOn, ['TopicArn', 'Protocol', 'Endpoint', 'Region']);
    await sp.delete(sub.physicalId, {}, ctx('Sub'));
    await assert.rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.physicalId })), { name: 'NotFoundException' });
    await sp.delete(sub.physicalId, {}, ctx('Sub'));

    const pp = snsProviders['AWS::SNS::TopicPolicy']!;
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: arn }] };
    const pol = await pp.create({ PolicyDocument: doc, Topics: [arn] }, ctx('TopicPolicy'));
    assert.deepEqual(JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['Policy']!), doc);
    await pp.update(pol.physicalId, { PolicyDocument: doc, Topics: [fifo.physicalId] }, { PolicyDocument: doc, Topics: [arn] }, ctx('TopicPolicy'));
    assert.notDeepEqual(JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['Policy']!), doc, 'back to the default policy');
    assert.deepEqual(JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo.physicalId }))).Attributes!['Policy']!), doc);
    await pp.delete(pol.physicalId, { PolicyDocument: doc, Topics: [fifo.physicalId] }, ctx('TopicPolicy'));
    assert.notDeepEqual(JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo.physicalId }))).Attributes!['Policy']!), doc);

    await p.delete(arn, next, ctx('Alerts'));
    await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), { name: 'NotFoundException' });
    await p.delete(arn, next, ctx('Alerts'));
    await p.delete(fifo.physicalId, {}, ctx('Orders'));
  });
  it('AWS::S3::Bucket with a TopicConfiguration: S3 tests the topic, then publishes its events to it', async () => {
    const topic = await snsProviders['AWS::SNS::Topic']!.create({ TopicName: 'uploads-topic' }, ctx('UploadsTopic'));
    await t.platform.router.call('sqs', 'CreateQueue', { QueueName: 'topic-copies' });
    await sns.send(new SubscribeCommand({ TopicArn: topic.physicalId, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:topic-copies`, Attributes: { RawMessageDelivery: 'false' } }));
    const props = { BucketName: 'topic-bucket', NotificationConfiguration: { TopicConfigurations: [{ Event: 's3:ObjectCreated:Put', Topic: topic.physicalId }] } };
    await s3Providers['AWS::S3::Bucket']!.create(props, ctx('TopicBucket'));
    const conf = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'topic-bucket' }));
    assert.deepEqual(conf.TopicConfigurations!.map((c) => [c.TopicArn, c.Events]), [[topic.physicalId, ['s3:ObjectCreated:Put']]]);
    await s3.send(new PutObjectCommand({ Bucket: 'topic-bucket', Key: 'photo.jpg', Body: 'x' }));
    const sqs = new SQSClient(clientConfig(t));
    try {
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'topic-copies' }))).QueueUrl!;
      const bodies: { Subject: string; Message: string }[] = [];
      while (bodies.length < 2) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
        bodies.push(...(got.Messages ?? []).map((m) => JSON.parse(m.Body!) as { Subject: string; Message: string }));
      }
      assert.ok(bodies.every((b) => b.Subject === 'Amazon S3 Notification'));
      const messages = bodies.map((b) => JSON.parse(b.Message) as { Event?: string; Records?: { eventName: string; s3: { object: { key: string } } }[] });
      assert.ok(messages.some((m) => m.Event === 's3:TestEvent'));
      const record = messages.find((m) => m.Records)!.Records![0]!;
      assert.deepEqual([record.eventName, record.s3.object.key], ['ObjectCreated:Put', 'photo.jpg']);
    } finally {
      sqs.destroy();
    }
    const fifo = await snsProviders['AWS::SNS::Topic']!.create({ FifoTopic: true }, ctx('FifoTopic'));
    await assert.rejects(
      s3Providers['AWS::S3::Bucket']!.create({ NotificationConfiguration: { TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: fifo.physicalId }] } }, ctx('FifoBucket')),
      /Unable to validate the following destination configurations/,
    );
  });
});
