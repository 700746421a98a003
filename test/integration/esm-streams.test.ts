import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClients } from '../helpers/dynamodb.js';
import { kinesisClient, streamArn } from '../helpers/kinesis.js';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { snsClient } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';

/** Records and failure records as functions and queues see them: JSON of several shapes, read by path. */
type Rec = Record<string, any>;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const dataOf = (r: Rec): string => Buffer.from(r['kinesis']['data'], 'base64').toString('utf8');

describe('event source mappings: Kinesis and DynamoDB streams through real functions', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  let k: KinesisClient;
  let ddb: ReturnType<typeof dynamoClients>;
  before(async () => {
    t = await startTestPlatform();
    sqs = sqsClient(t.platform.url);
    k = kinesisClient(t.platform.url);
    ddb = dynamoClients(t.platform.url);
  });
  after(async () => {
    sqs.destroy();
    k.destroy();
    ddb.destroy();
    await t.stop();
  });

  const queue = async (QueueName: string, fifo = false) =>
    (await sqs.send(new CreateQueueCommand({ QueueName, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }))).QueueUrl!;

  /** A FIFO results queue, a stream-record function and an enabled mapping from `source`. */
  async function setup(name: string, source: string, mode: string, mapping: Partial<CreateEventSourceMappingCommandInput>) {
    const results = await queue(`${name}-results.fifo`, true);
    await createFunction(t.lambda, `${name}-fn`, 'stream-record', { Environment: { Variables: { RESULTS_QUEUE: `${name}-results.fifo`, MODE: mode } } });
    const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: `${name}-fn`, EventSourceArn: source, ...mapping }));
    await waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State === 'Enabled', 'mapping enabled');
    return { results, uuid: m.UUID!, mapping: m };
  }

  /** The next `n` messages of a queue, parsed, in order (bounded wait). */
  async function messages(QueueUrl: string, n: number, client = sqs): Promise<Rec[]> {
    const got: Rec[] = [];
    const deadline = Date.now() + 60_000;
    while (got.length < n && Date.now() < deadline) {
      const r = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: Math.min(10, n - got.length), WaitTimeSeconds: 1 }));
      for (const m of r.Messages ?? []) {
        got.push(JSON.parse(m.Body!) as Rec);
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    assert.equal(got.length, n, `expected ${n} messages, got ${got.length}`);
    return got;
  }

  /** The records of each of the next `n` invocations, in invocation order. */
  const invocations = async (QueueUrl: string, n: number, client = sqs): Promise<Rec[][]> =>
    (await messages(QueueUrl, n, client)).map((m) => m['records'] as Rec[]);

  async function nothingMore(QueueUrl: string, client = sqs): Promise<void> {
    const r = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
    assert.deepEqual((r.Messages ?? []).map((m) => m.Body), [], 'no further invocation');
  }

  const put = (StreamName: string, datas: string[], key = 'one-key') =>
    k.send(new PutRecordsCommand({ StreamName, Records: datas.map((d) => ({ PartitionKey: key, Data: Buffer.from(d) })) }));

  it('passes a table’s inserts, modifications and removals in order, with both images, as Lambda builds them', async () => {
    const created = await ddb.ddb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const arn = created.TableDescription!.LatestStreamArn!;
    const { results, mapping } = await setup('orders', arn, 'ok', { StartingPosition: 'TRIM_HORIZON', BatchSize: 2 });
    assert.deepEqual([mapping.StartingPosition, mapping.BatchSize, mapping.MaximumRetryAttempts, mapping.ParallelizationFactor], ['TRIM_HORIZON', 2, -1, 1]);
    await ddb.doc.send(new PutCommand({ TableName: 'Orders', Item: { id: 'o1', state: 'new' } }));
    await ddb.doc.send(new UpdateCommand({ TableName: 'Orders', Key: { id: 'o1' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':s': 'paid' } }));
    await ddb.doc.send(new DeleteCommand({ TableName: 'Orders', Key: { id: 'o1' } }));
    const got: Rec[] = [];
    while (got.length < 3) got.push(...(await invocations(results, 1))[0]!);
    assert.deepEqual(got.map((r) => r['eventName']), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = got as [Rec, Rec, Rec];
    assert.deepEqual(Object.keys(insert), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    assert.deepEqual([insert['eventSource'], insert['eventSourceARN'], insert['awsRegion']], ['aws:dynamodb', arn, 'us-east-1']);
    assert.deepEqual(insert['dynamodb']['NewImage'], { id: { S: 'o1' }, state: { S: 'new' } });
    assert.equal(insert['dynamodb']['OldImage'], undefined);
    assert.deepEqual([modify['dynamodb']['OldImage']['state'], modify['dynamodb']['NewImage']['state']], [{ S: 'new' }, { S: 'paid' }]);
    assert.deepEqual(remove['dynamodb']['OldImage'], { id: { S: 'o1' }, state: { S: 'paid' } });
    assert.equal(remove['dynamodb']['StreamViewType'], 'NEW_AND_OLD_IMAGES');
    const seqs = got.map((r) => BigInt(r['dynamodb']['SequenceNumber']));
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
  });

  it('passes Kinesis records as Lambda builds them, and filters on their data', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
    await put('clicks', [JSON.stringify({ kind: 'click', n: 0 })]); // before the mapping: LATEST skips it
    const { results } = await setup('clicks', streamArn('clicks'), 'ok', {
      StartingPosition: 'LATEST',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { kind: ['click'] } }) }] },
    });
    const sent = await put('clicks', [JSON.stringify({ kind: 'view' }), JSON.stringify({ kind: 'click', n: 1 }), 'not json']);
    const [batch] = await invocations(results, 1);
    assert.equal(batch!.length, 1, 'records that match no filter are skipped');
    const r = batch![0]!;
    assert.deepEqual(Object.keys(r), ['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion', 'eventSourceARN']);
    assert.deepEqual(Object.keys(r['kinesis']), ['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp']);
    const seq = sent.Records![1]!.SequenceNumber!;
    assert.deepEqual(
      [r['kinesis']['kinesisSchemaVersion'], r['kinesis']['partitionKey'], r['kinesis']['sequenceNumber'], dataOf(r), r['eventSource'], r['eventVersion'], r['eventName']],
      ['1.0', 'one-key', seq, JSON.stringify({ kind: 'click', n: 1 }), 'aws:kinesis', '1.0', 'aws:kinesis:record'],
    );
    assert.equal(r['eventID'], `shardId-000000000000:${seq}`);
    assert.equal(r['invokeIdentityArn'], 'arn:aws:iam::000000000000:role/test');
    assert.equal(r['eventSourceARN'], streamArn('clicks'));
    assert.equal(typeof r['kinesis']['approximateArrivalTimestamp'], 'number');
    await nothingMore(results);
  });

  it('publishes IteratorAge: the age of the last record of each batch it sends, in AWS/Lambda', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'aged', ShardCount: 1 }));
    await put('aged', ['old']);
    const waitedMs = 1_500;
    await new Promise((r) => setTimeout(r, waitedMs)); // the record's age when the mapping first reads it
    const { results } = await setup('aged', streamArn('aged'), 'ok', { StartingPosition: 'TRIM_HORIZON' });
    assert.deepEqual((await invocations(results, 1))[0]!.map(dataOf), ['old']);
    const cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const now = Date.now();
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: 'aged-fn' }],
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now + 60_000),
        Period: 3600,
        Statistics: ['Maximum', 'SampleCount'],
      }),
    );
    cw.destroy();
    assert.equal(stats.Datapoints?.length, 1);
    assert.ok(stats.Datapoints![0]!.Maximum! >= waitedMs, `IteratorAge ${stats.Datapoints![0]!.Maximum} ms`);
  });

  it('retries from the lowest failed record of a ReportBatchItemFailures answer, then sends what exhausted its retries to the on-failure queue', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'partial', ShardCount: 1 }));
    const failures = await queue('partial-failures');
    const { results } = await setup('partial', streamArn('partial'), 'partial', {
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: queueArn('partial-failures') } },
    });
    const sent = await put('partial', ['r0', 'r1-fail', 'r2']);
    const seq = sent.Records!.map((r) => r.SequenceNumber!);
    const calls = await invocations(results, 2);
    assert.deepEqual(calls.map((c) => c.map(dataOf)), [['r0', 'r1-fail', 'r2'], ['r1-fail', 'r2']], 'the retry starts at the lowest failed record');
    const [failure] = await messages(failures, 1);
    assert.deepEqual(Object.keys(failure!), ['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    assert.deepEqual(failure!['requestContext']['condition'], 'RetryAttemptsExhausted');
    assert.equal(failure!['requestContext']['approximateInvokeCount'], 2);
    assert.equal(failure!['requestContext']['functionArn'], 'arn:aws:lambda:us-east-1:000000000000:function:partial-fn');
    assert.deepEqual(failure!['responseContext'], { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    const info = failure!['KinesisBatchInfo'];
    assert.deepEqual(
      [info['shardId'], info['startSequenceNumber'], info['endSequenceNumber'], info['batchSize'], info['streamArn']],
      ['shardId-000000000000', seq[1], seq[2], 2, streamArn('partial')],
    );
    assert.match(info['approximateArrivalOfFirstRecord'], /^\d{4}-\d\d-\d\dT.*Z$/);
    await put('partial', ['r3']);
    const [next] = await invocations(results, 1);
    assert.deepEqual(next!.map(dataOf), ['r3'], 'the shard goes on after the discarded records');
  });

  it('bisects a failing batch until the poison record stands alone, discards it when its retries run out and delivers the rest', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'bisect', ShardCount: 1 }));
    const failures = await queue('bisect-failures');
    const { results } = await setup('bisect', streamArn('bisect'), 'poison', {
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: queueArn('bisect-failures') } },
    });
    const sent = await put('bisect', ['a', 'b', 'poison', 'c']);
    const calls = await invocations(results, 5);
    assert.deepEqual(calls.map((c) => c.map(dataOf)), [['a', 'b', 'poison', 'c'], ['a', 'b'], ['poison', 'c'], ['poison'], ['c']]);
    const [failure] = await messages(failures, 1);
    assert.equal(failure!['requestContext']['approximateInvokeCount'], 1);
    assert.deepEqual([failure!['KinesisBatchInfo']['startSequenceNumber'], failure!['KinesisBatchInfo']['batchSize']], [sent.Records![2]!.SequenceNumber, 1]);
    await nothingMore(results);
  });

  it('passes tumbling window state from invocation to invocation and ends the window with a final invocation', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'windows', ShardCount: 1 }));
    const { results, mapping } = await setup('windows', streamArn('windows'), 'window', { StartingPosition: 'LATEST', TumblingWindowInSeconds: 1, BatchSize: 2 });
    assert.equal(mapping.TumblingWindowInSeconds, 1);
    await put('windows', ['a', 'b', 'c']);
    // Three records of one put share an arrival time, so one window: two batches, then the final invocation.
    const calls: Rec[] = [];
    while (!calls.some((c) => c['final'] === true)) calls.push(...(await messages(results, 1)));
    assert.deepEqual(calls.map((c) => (c['records'] as Rec[]).map(dataOf)), [['a', 'b'], ['c'], []]);
    const first = calls[0]!;
    assert.deepEqual([first['shardId'], first['state'], first['final']], ['shardId-000000000000', {}, false]);
    assert.deepEqual(calls[1]!['state'], { count: 2 }, 'the state the first invocation returned');
    assert.equal(Date.parse(first['window']['end']) - Date.parse(first['window']['start']), 1000);
    const last = calls.at(-1)!;
    assert.deepEqual(last['records'], [], 'the final invocation carries no records');
    assert.equal(last['window']['start'], first['window']['start']);
    assert.deepEqual(last['state'], { count: calls.slice(0, -1).reduce((n, c) => n + (c['records'] as Rec[]).length, 0) }, 'the state the last invocation returned');
    assert.ok(calls.slice(0, -1).every((c) => c['final'] === false));
  });

  it('describes a DynamoDB batch whose retries ran out to an SNS topic', async () => {
    const created = await ddb.ddb.send(
      new CreateTableCommand({
        TableName: 'Doomed',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    const sns = snsClient(t.platform.url);
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'stream-failures' }))).TopicArn!;
    const inbox = await queue('stream-failures-inbox');
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('stream-failures-inbox'), Attributes: { RawMessageDelivery: 'true' } }));
    sns.destroy();
    const arn = created.TableDescription!.LatestStreamArn!;
    const { results, mapping } = await setup('doomed', arn, 'fail', { StartingPosition: 'LATEST', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: topic } } });
    assert.deepEqual(mapping.DestinationConfig, { OnFailure: { Destination: topic } });
    await ddb.doc.send(new PutCommand({ TableName: 'Doomed', Item: { id: 'x' } }));
    await invocations(results, 2);
    const [failure] = await messages(inbox, 1);
    assert.equal(failure!['requestContext']['condition'], 'RetryAttemptsExhausted');
    assert.equal(failure!['requestContext']['approximateInvokeCount'], 2);
    assert.deepEqual([failure!['DDBStreamBatchInfo']['streamArn'], failure!['DDBStreamBatchInfo']['batchSize']], [arn, 1]);
  });

  it('writes a Kinesis batch whose retries ran out to an S3 bucket, as Lambda names the object, with the event it sent', async () => {
    const s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'stream-failures' }));
    await k.send(new CreateStreamCommand({ StreamName: 'to-s3', ShardCount: 1 }));
    const { results, uuid } = await setup('to-s3', streamArn('to-s3'), 'fail', {
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::stream-failures' } },
    });
    await put('to-s3', ['lost-1', 'lost-2']);
    await invocations(results, 1);
    let keys: string[] = [];
    await waitFor(async () => {
      keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'stream-failures' }))).Contents ?? []).map((o) => o.Key!);
      return keys.length > 0;
    }, 'the failure object');
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, new RegExp(`^aws/lambda/${uuid}/shardId-000000000000/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`));
    const body = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'stream-failures', Key: keys[0]! }))).Body!.transformToString()) as Rec;
    assert.equal(body['requestContext']['condition'], 'RetryAttemptsExhausted');
    assert.equal(body['KinesisBatchInfo']['batchSize'], 2);
    assert.deepEqual((body['payload']['Records'] as Rec[]).map(dataOf), ['lost-1', 'lost-2']);
    const refused = await t.lambda
      .send(new CreateEventSourceMappingCommand({ FunctionName: 'to-s3-fn', EventSourceArn: streamArn('to-s3'), StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::no-such-bucket' } } }))
      .then(() => undefined, (err: Error) => err);
    assert.equal(refused?.name, 'InvalidParameterValueException');
    s3.destroy();
  });

  it('refuses what Lambda refuses for stream mappings', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'strict', ShardCount: 1 }));
    await createFunction(t.lambda, 'strict-fn', 'stream-record');
    const refused = async (input: Partial<CreateEventSourceMappingCommandInput>) => {
      const err = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strict-fn', EventSourceArn: streamArn('strict'), ...input })).then(
        () => assert.fail('expected a refusal'),
        (e: Error) => e,
      );
      assert.equal(err.name, 'InvalidParameterValueException');
      return err.message;
    };
    await refused({});
    assert.match(await refused({ EventSourceArn: streamArn('missing'), StartingPosition: 'LATEST' }), /Stream not found/);
    assert.match(await refused({ StartingPosition: 'LATEST', ScalingConfig: { MaximumConcurrency: 2 } }), /Unsupported ScalingConfig parameter/);
    assert.match(await refused({ StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 10 }), /MaximumRecordAgeInSeconds/);
    assert.equal(await refused({ StartingPosition: 'AT_TIMESTAMP' }), 'Need to specify a timestamp');
    const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strict-fn', EventSourceArn: streamArn('strict'), StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(1_700_000_000_000) }));
    assert.deepEqual([m.StartingPosition, m.StartingPositionTimestamp?.getTime(), m.BatchSize, m.MaximumRecordAgeInSeconds, m.BisectBatchOnFunctionError], ['AT_TIMESTAMP', 1_700_000_000_000, 100, -1, false]);
    const updated = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, MaximumRetryAttempts: 5, BisectBatchOnFunctionError: true, MaximumRecordAgeInSeconds: 3600 }));
    assert.deepEqual([updated.MaximumRetryAttempts, updated.BisectBatchOnFunctionError, updated.MaximumRecordAgeInSeconds, updated.StartingPosition], [5, true, 3600, 'AT_TIMESTAMP']);
    const got = await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    assert.equal(got.MaximumRetryAttempts, 5);
    const err = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, ScalingConfig: { MaximumConcurrency: 2 } })).then(
      () => assert.fail('expected a refusal'),
      (e: Error) => e,
    );
    assert.equal(err.name, 'InvalidParameterValueException');
    await t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });

  it('keeps one order per partition key with a ParallelizationFactor, and follows a shard into its children after a split', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'lanes', ShardCount: 1 }));
    const { results } = await setup('lanes', streamArn('lanes'), 'ok', { StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 4 });
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    await k.send(new PutRecordsCommand({ StreamName: 'lanes', Records: keys.flatMap((key) => [0, 1, 2].map((i) => ({ PartitionKey: key, Data: Buffer.from(`${key}-${i}`) }))) }));
    const seen: string[] = [];
    while (seen.length < 15) seen.push(...(await invocations(results, 1))[0]!.map(dataOf));
    for (const key of keys) assert.deepEqual(seen.filter((d) => d.startsWith(`${key}-`)), [0, 1, 2].map((i) => `${key}-${i}`), `${key} in order`);
    const { SplitShardCommand } = await import('@aws-sdk/client-kinesis');
    await k.send(new SplitShardCommand({ StreamName: 'lanes', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
    await put('lanes', ['after-split'], 'k1');
    const [child] = await invocations(results, 1);
    assert.deepEqual(child!.map(dataOf), ['after-split']);
    assert.match(child![0]!['eventID'], /^shardId-00000000000[12]:/);
  });
});

describe('event source mappings: a stream mapping across a restart', () => {
  it('resumes from its checkpoint without replaying the records it acknowledged', async () => {
    let t = await startTestPlatform();
    const dataDir = t.dataDir;
    let k = kinesisClient(t.platform.url);
    let sqs = sqsClient(t.platform.url);
    try {
      await k.send(new CreateStreamCommand({ StreamName: 'durable', ShardCount: 1 }));
      const results = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable-results.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
      await createFunction(t.lambda, 'durable-fn', 'stream-record', { Environment: { Variables: { RESULTS_QUEUE: 'durable-results.fifo' } } });
      const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'durable-fn', EventSourceArn: streamArn('durable'), StartingPosition: 'TRIM_HORIZON' }));
      await waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State === 'Enabled', 'mapping enabled');
      await k.send(new PutRecordsCommand({ StreamName: 'durable', Records: ['one', 'two'].map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }));
      const read = async (n: number) => {
        const got: string[] = [];
        const deadline = Date.now() + 60_000;
        while (got.length < n && Date.now() < deadline) {
          const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: results, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          for (const msg of r.Messages ?? []) {
            got.push(...(JSON.parse(msg.Body!) as { records: Rec[] }).records.map(dataOf));
            await sqs.send(new DeleteMessageCommand({ QueueUrl: results, ReceiptHandle: msg.ReceiptHandle! }));
          }
        }
        return got;
      };
      assert.deepEqual(await read(2), ['one', 'two']);
      k.destroy();
      sqs.destroy();
      await t.stop(false);
      t = await startTestPlatform({}, dataDir);
      k = kinesisClient(t.platform.url);
      sqs = sqsClient(t.platform.url);
      await k.send(new PutRecordsCommand({ StreamName: 'durable', Records: [{ PartitionKey: 'p', Data: Buffer.from('three') }] }));
      assert.deepEqual(await read(1), ['three'], 'the first record after the restart is the new one');
      const more = await sqs.send(new ReceiveMessageCommand({ QueueUrl: results, WaitTimeSeconds: 2 }));
      assert.deepEqual(more.Messages ?? [], [], 'nothing acknowledged before the restart comes again');
    } finally {
      k.destroy();
      sqs.destroy();
      await t.stop();
    }
  });
});
