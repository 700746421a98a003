import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, PutFunctionEventInvokeConfigCommand, GetLayerVersionCommand, InvokeCommand, LambdaServiceException, PublishLayerVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CREDENTIALS, createFunction, decode, fixtureZip, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const ACCOUNT = '000000000000';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

describe('S3 event notifications to queues, topics, functions and EventBridge', () => {
  let t: TestPlatform;
  let s3: S3Client;
  let sqs: SQSClient;
  let sns: SNSClient;
  let eb: EventBridgeClient;

  before(async () => {
    // Async retries a hundred times sooner than Lambda's minute, so a failing function's events reach its destination in the test's time.
    t = await startTestPlatform({ asyncRetryScale: 0.01 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
    eb = new EventBridgeClient(config);
  });
  after(async () => {
    s3.destroy();
    sqs.destroy();
    sns.destroy();
    eb.destroy();
    await t.stop();
  });

  const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  /** Receives until `n` messages have come (long polls: no sleeps), their bodies parsed. */
  const receive = async (url: string, n: number, polls = 30): Promise<Record<string, unknown>[]> => {
    const got: Record<string, unknown>[] = [];
    for (let i = 0; i < polls && got.length < n; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      got.push(...(r.Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, unknown>));
    }
    return got;
  };

  it('to a queue: the test event, then records in S3 shape for matching events only (prefix and suffix filters)', async () => {
    const url = await queue('s3-events');
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-queue' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify-queue',
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'images',
              QueueArn: queueArn('s3-events'),
              Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/' }, { Name: 'suffix', Value: '.jpg' }] } },
            },
          ],
        },
      }),
    );
    const [test] = await receive(url, 1);
    assert.equal(test?.['Event'], 's3:TestEvent');
    assert.equal(test?.['Bucket'], 'notify-queue');
    const stored = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-queue' }));
    assert.deepEqual(stored.QueueConfigurations, [
      { Id: 'images', QueueArn: queueArn('s3-events'), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'img/' }, { Name: 'Suffix', Value: '.jpg' }] } } },
    ]);

    await s3.send(new PutObjectCommand({ Bucket: 'notify-queue', Key: 'img/a cat.jpg', Body: 'meow' }));
    await s3.send(new PutObjectCommand({ Bucket: 'notify-queue', Key: 'img/a cat.png', Body: 'no' }));
    await s3.send(new PutObjectCommand({ Bucket: 'notify-queue', Key: 'doc/a.jpg', Body: 'no' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'notify-queue', Key: 'img/copy.jpg', CopySource: 'notify-queue/img/a%20cat.jpg' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'notify-queue', Key: 'img/a cat.jpg' }));
    const records = (await receive(url, 3)).map((m) => (m['Records'] as Record<string, unknown>[])[0]!);
    assert.deepEqual(records.map((r) => r['eventName']), ['ObjectCreated:Put', 'ObjectCreated:Copy', 'ObjectRemoved:Delete']);
    const put = records[0] as { eventVersion: string; eventSource: string; awsRegion: string; eventTime: string; s3: Record<string, unknown> };
    assert.equal(put.eventVersion, '2.1');
    assert.equal(put.eventSource, 'aws:s3');
    assert.equal(put.awsRegion, 'us-east-1');
    assert.match(put.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const s3Part = put.s3 as { configurationId: string; bucket: { name: string; arn: string }; object: { key: string; size: number; eTag: string; sequencer: string } };
    assert.equal(s3Part.configurationId, 'images');
    assert.deepEqual(s3Part.bucket.name, 'notify-queue');
    assert.equal(s3Part.bucket.arn, 'arn:aws:s3:::notify-queue');
    assert.equal(s3Part.object.key, 'img/a+cat.jpg');
    assert.equal(s3Part.object.size, 4);
    assert.match(s3Part.object.eTag, /^[0-9a-f]{32}$/);
    const removed = (records[2] as { s3: { object: Record<string, unknown> } }).s3.object;
    assert.equal(removed['size'], undefined);
  });

  it('to an SNS topic: the test event and the records, published with S3\'s subject (seen through a queue subscribed to it)', async () => {
    const url = await queue('s3-topic-sink');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 's3-topic' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn('s3-topic-sink') }));
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-topic' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-topic', NotificationConfiguration: { TopicConfigurations: [{ Id: 'to-topic', TopicArn, Events: ['s3:ObjectCreated:Put'] }] } }));
    const [test] = await receive(url, 1);
    assert.deepEqual([test?.['Type'], test?.['TopicArn'], test?.['Subject']], ['Notification', TopicArn, 'Amazon S3 Notification']);
    assert.equal((JSON.parse(test!['Message'] as string) as Record<string, unknown>)['Event'], 's3:TestEvent');
    assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-topic' }))).TopicConfigurations, [{ Id: 'to-topic', TopicArn, Events: ['s3:ObjectCreated:Put'] }]);
    await s3.send(new PutObjectCommand({ Bucket: 'notify-topic', Key: 'via/topic.txt', Body: 'hello' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'notify-topic', Key: 'via/topic.txt' }));
    const [published, ...more] = await receive(url, 1);
    const record = (JSON.parse(published!['Message'] as string) as { Records: { eventName: string; s3: { configurationId: string; object: { key: string; size: number } } }[] }).Records[0]!;
    assert.deepEqual([record.eventName, record.s3.configurationId, record.s3.object.key, record.s3.object.size], ['ObjectCreated:Put', 'to-topic', 'via/topic.txt', 5]);
    assert.deepEqual(more, [], 'the delete is not among the events asked for');
  });

  it('to EventBridge: with EventBridgeConfiguration every event goes to the default bus in its S3 shape, where rules route it', async () => {
    const url = await queue('s3-bus-sink');
    await eb.send(
      new PutRuleCommand({ Name: 's3-objects', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created', 'Object Deleted'], detail: { bucket: { name: ['notify-bus'] } } }) }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 's3-objects', Targets: [{ Id: 'q', Arn: queueArn('s3-bus-sink') }] }));
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-bus' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'notify-bus', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-bus', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-bus' }))).EventBridgeConfiguration, {});
    const put = await s3.send(new PutObjectCommand({ Bucket: 'notify-bus', Key: 'a b.txt', Body: 'bus' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'notify-bus', Key: 'a b.txt' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'notify-bus', Key: 'a b.txt', VersionId: put.VersionId }));
    const events = (await receive(url, 3)) as { source: string; 'detail-type': string; account: string; region: string; resources: string[]; detail: Record<string, unknown> }[];
    assert.equal(events.length, 3, 'no test event goes to EventBridge');
    assert.deepEqual(
      events.map((e) => [e['detail-type'], e.detail['reason'], e.detail['deletion-type'], (e.detail['object'] as Record<string, unknown>)['version-id']]),
      [
        ['Object Created', 'PutObject', undefined, put.VersionId],
        ['Object Deleted', 'DeleteObject', 'Delete Marker Created', marker.VersionId],
        ['Object Deleted', 'DeleteObject', 'Permanently Deleted', put.VersionId],
      ],
    );
    const created = events[0]!;
    assert.deepEqual([created.source, created.account, created.region, created.resources], ['aws.s3', ACCOUNT, 'us-east-1', ['arn:aws:s3:::notify-bus']]);
    const object = created.detail['object'] as { key: string; size: number; etag: string; sequencer: string };
    assert.deepEqual([object.key, object.size], ['a b.txt', 3]);
    assert.match(object.etag, /^[0-9a-f]{32}$/);
    assert.deepEqual([created.detail['version'], (created.detail['bucket'] as { name: string }).name, created.detail['requester']], ['0', 'notify-bus', ACCOUNT]);
    assert.equal(typeof created.detail['request-id'], 'string');

    // Turned off by a configuration without it: the bus hears no more.
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-bus', NotificationConfiguration: {} }));
    assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-bus' }))).EventBridgeConfiguration, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'notify-bus', Key: 'quiet', Body: 'x' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-bus', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    await s3.send(new PutObjectCommand({ Bucket: 'notify-bus', Key: 'loud', Body: 'x' }));
    const later = (await receive(url, 1)) as { detail: { object: { key: string } } }[];
    assert.deepEqual(later.map((e) => e.detail.object.key), ['loud']);
  });

  it('tagging events: s3:ObjectTagging:Put/Delete records to a queue, Object Tags Added/Deleted on the event bus', async () => {
    const records = await queue('s3-tag-records');
    const bus = await queue('s3-tag-bus');
    await eb.send(new PutRuleCommand({ Name: 's3-tags', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Tags Added', 'Object Tags Deleted'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 's3-tags', Targets: [{ Id: 'q', Arn: queueArn('s3-tag-bus') }] }));
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-tags' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify-tags',
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queueArn('s3-tag-records'), Events: ['s3:ObjectTagging:*'] }], EventBridgeConfiguration: {} },
      }),
    );
    assert.equal((await receive(records, 1))[0]?.['Event'], 's3:TestEvent');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'notify-tags', Key: 'tagged', Body: 'x' }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'notify-tags', Key: 'tagged', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'notify-tags', Key: 'tagged' }));
    const got = (await receive(records, 2)).map((m) => (m['Records'] as { eventName: string; s3: { object: { key: string; eTag: string } } }[])[0]!);
    assert.deepEqual(got.map((r) => [r.eventName, r.s3.object.key, `"${r.s3.object.eTag}"`]), [
      ['ObjectTagging:Put', 'tagged', put.ETag],
      ['ObjectTagging:Delete', 'tagged', put.ETag],
    ]);
    const onBus = (await receive(bus, 2)) as { 'detail-type': string; detail: { object: { key: string }; reason?: string } }[];
    assert.deepEqual(onBus.map((e) => [e['detail-type'], e.detail.object.key, e.detail.reason]), [
      ['Object Tags Added', 'tagged', undefined],
      ['Object Tags Deleted', 'tagged', undefined],
    ]);
  });

  it('refuses destinations it cannot validate: a missing queue, a function S3 may not invoke', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-invalid' }));
    await createFunction(t.lambda, 'no-permission', 'echo');
    const fail = (NotificationConfiguration: ConstructorParameters<typeof PutBucketNotificationConfigurationCommand>[0]['NotificationConfiguration']) =>
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-invalid', NotificationConfiguration })).then(
        () => assert.fail('expected an error'),
        (e: S3ServiceException) => e,
      );
    const noQueue = await fail({ QueueConfigurations: [{ QueueArn: queueArn('missing'), Events: ['s3:ObjectCreated:*'] }] });
    assert.equal(noQueue.name, 'InvalidArgument');
    assert.match(noQueue.message, /Unable to validate the following destination configurations/);
    const noPermission = await fail({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn('no-permission'), Events: ['s3:ObjectCreated:*'] }] });
    assert.equal(noPermission.name, 'InvalidArgument');
    const badEvent = await fail({ QueueConfigurations: [{ QueueArn: queueArn('missing'), Events: ['s3:Nope' as never] }] });
    assert.equal(badEvent.name, 'InvalidArgument');
  });

  it("the seeds' scenario: an upload triggers a Python function that reads the object's metadata into a queue; a Node.js function hears of removals", async () => {
    const results = await queue('s3-results');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: results, AttributeNames: ['QueueArn'] }));
    assert.equal(attrs.Attributes?.['QueueArn'], queueArn('s3-results'));
    await createFunction(t.lambda, 'extract-metadata', 's3-metadata-py', { Runtime: 'python3.11', Handler: 'app.handler', Environment: { Variables: { QUEUE_URL: results } } });
    await createFunction(t.lambda, 'on-removed', 's3-removed-node', { Environment: { Variables: { QUEUE_URL: results } } });
    for (const name of ['extract-metadata', 'on-removed']) {
      await t.lambda.send(
        new AddPermissionCommand({ FunctionName: name, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::uploads', SourceAccount: ACCOUNT }),
      );
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'uploads',
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            { LambdaFunctionArn: fnArn('extract-metadata'), Events: ['s3:ObjectCreated:*'] },
            { LambdaFunctionArn: fnArn('on-removed'), Events: ['s3:ObjectRemoved:*'] },
          ],
        },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'photos/sunset 1.jpg', Body: Buffer.alloc(2048, 1), ContentType: 'image/jpeg', Metadata: { camera: 'x100' } }));
    const [created] = await receive(results, 1);
    assert.deepEqual(created, { eventName: 'ObjectCreated:Put', key: 'photos/sunset 1.jpg', size: 2048, contentType: 'image/jpeg', metadata: { camera: 'x100' }, recordSize: 2048 });
    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'photos/sunset 1.jpg' }));
    const [removed] = await receive(results, 1);
    assert.deepEqual(removed, { eventName: 'ObjectRemoved:Delete', key: 'photos/sunset 1.jpg', bucket: 'uploads' });
  });

  it("a function's S3 events are async invocations like any other: a failing one is retried as configured, then goes to its on-failure destination", async () => {
    const failures = await queue('s3-fn-failures');
    await createFunction(t.lambda, 's3-failing', 'async-flaky', { Environment: { Variables: { FAIL: '1' } } });
    await t.lambda.send(new AddPermissionCommand({ FunctionName: 's3-failing', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::notify-failing' }));
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 's3-failing', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: queueArn('s3-fn-failures') } } }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-failing' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify-failing', NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn('s3-failing'), Events: ['s3:ObjectCreated:*'] }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'notify-failing', Key: 'doomed.txt', Body: 'x' }));
    // Two attempts (each a function start under load) before the failure is recorded: wait longer than for a message.
    const [record] = (await receive(failures, 1, 120)) as { requestContext: { condition: string; approximateInvokeCount: number; functionArn: string }; requestPayload: { Records: { eventName: string; s3: { object: { key: string } } }[] } }[];
    assert.ok(record, 'the failure reached the destination');
    assert.deepEqual([record.requestContext.condition, record.requestContext.approximateInvokeCount], ['RetriesExhausted', 2]);
    assert.match(record.requestContext.functionArn, /:function:s3-failing/);
    assert.deepEqual([record.requestPayload.Records[0]!.eventName, record.requestPayload.Records[0]!.s3.object.key], ['ObjectCreated:Put', 'doomed.txt']);
  });

  it('code from a bucket: CreateFunction, UpdateFunctionCode and PublishLayerVersion take S3Bucket/S3Key; a missing object is refused as Lambda does', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy-artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'deploy-artifacts', Key: 'echo.zip', Body: await fixtureZip('echo') }));
    await createFunction(t.lambda, 'from-bucket', 'echo', { Code: { S3Bucket: 'deploy-artifacts', S3Key: 'echo.zip' } });
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: 'from-bucket', Payload: JSON.stringify({ hello: 's3' }) }));
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual((decode(out.Payload) as { event: unknown }).event, { hello: 's3' });

    await s3.send(new PutObjectCommand({ Bucket: 'deploy-artifacts', Key: 'py.zip', Body: await fixtureZip('python-echo') }));
    await t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-bucket', S3Bucket: 'deploy-artifacts', S3Key: 'echo.zip' }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'from-bucket' });
    const layer = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'from-bucket', Content: { S3Bucket: 'deploy-artifacts', S3Key: 'py.zip' } }));
    const fetched = await t.lambda.send(new GetLayerVersionCommand({ LayerName: 'from-bucket', VersionNumber: layer.Version }));
    assert.equal(fetched.Content?.CodeSize, (await fixtureZip('python-echo')).length);

    const missing = await t.lambda
      .send(new CreateFunctionCommand({ FunctionName: 'no-code', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'deploy-artifacts', S3Key: 'gone.zip' } }))
      .then(
        () => assert.fail('expected an error'),
        (e: LambdaServiceException) => e,
      );
    assert.equal(missing.name, 'InvalidParameterValueException');
    assert.equal(missing.message, 'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
  });

  it('code from a versioned bucket: S3ObjectVersion picks that version, not the current one; an unknown version is refused', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned-artifacts' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned-artifacts', VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: 'versioned-artifacts', Key: 'fn.zip', Body: await fixtureZip('echo') }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned-artifacts', Key: 'fn.zip', Body: await fixtureZip('env-reader') }));
    assert.ok(first.VersionId);
    await createFunction(t.lambda, 'from-version', 'echo', { Code: { S3Bucket: 'versioned-artifacts', S3Key: 'fn.zip', S3ObjectVersion: first.VersionId } });
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: 'from-version', Payload: JSON.stringify({ hello: 'v1' }) }));
    assert.deepEqual((decode(out.Payload) as { event: unknown }).event, { hello: 'v1' }, 'the echo fixture (the first version), not env-reader');

    const unknown = await t.lambda
      .send(new UpdateFunctionCodeCommand({ FunctionName: 'from-version', S3Bucket: 'versioned-artifacts', S3Key: 'fn.zip', S3ObjectVersion: 'no-such-version' }))
      .then(
        () => assert.fail('expected an error'),
        (e: LambdaServiceException) => e,
      );
    assert.equal(unknown.name, 'InvalidParameterValueException');
    assert.match(unknown.message, /S3 Error Code: NoSuchVersion/);
  });
});
