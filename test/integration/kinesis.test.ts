import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamCommand,
  DescribeStreamConsumerCommand,
  SubscribeToShardCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand,
  ListStreamConsumersCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../src/lib/clock.js';
import { kinesisClient, streamArn } from '../helpers/kinesis.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { clientEnv, run } from '../helpers/run.js';
import { failure } from '../helpers/sqs.js';

const HALF = (1n << 127n).toString();
const md5 = (key: string): bigint => BigInt(`0x${createHash('md5').update(key).digest('hex')}`);

describe('Kinesis Data Streams through real clients', () => {
  let t: TestPlatform;
  let k: KinesisClient;
  const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
  before(async () => {
    t = await startTestPlatform({}, undefined, { kinesisClock: clock });
    k = kinesisClient(t.platform.url);
  });
  after(async () => {
    k.destroy();
    await t.stop();
  });

  const iterator = async (StreamName: string, ShardId: string, type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP', extra: { StartingSequenceNumber?: string; Timestamp?: Date } = {}) =>
    (await k.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: type, ...extra }))).ShardIterator!;
  const texts = (records: { Data?: Uint8Array }[] | undefined) => (records ?? []).map((r) => Buffer.from(r.Data!).toString());

  it('creates streams in both modes, describes, summarises, lists in pages and refuses duplicates and strangers', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
    await k.send(new CreateStreamCommand({ StreamName: 'clicks', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const d = (await k.send(new DescribeStreamCommand({ StreamName: 'orders' }))).StreamDescription!;
    assert.equal(d.StreamStatus, 'ACTIVE');
    assert.equal(d.StreamARN, streamArn('orders'));
    assert.equal(d.RetentionPeriodHours, 24);
    assert.deepEqual(
      d.Shards!.map((s) => [s.ShardId, s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]),
      [
        ['shardId-000000000000', '0', (BigInt(HALF) - 1n).toString()],
        ['shardId-000000000001', HALF, ((1n << 128n) - 1n).toString()],
      ],
    );
    const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamARN: streamArn('clicks') }))).StreamDescriptionSummary!;
    assert.deepEqual([summary.StreamModeDetails?.StreamMode, summary.OpenShardCount], ['ON_DEMAND', 4]);
    const first = await k.send(new ListStreamsCommand({ Limit: 1 }));
    assert.deepEqual([first.StreamNames, first.HasMoreStreams], [['clicks'], true]);
    const second = await k.send(new ListStreamsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(second.StreamNames, ['orders']);
    assert.equal(second.StreamSummaries![0]!.StreamARN, streamArn('orders'));
    const dup = await failure(k.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 })));
    assert.equal(dup.name, 'ResourceInUseException');
    assert.equal(dup.message, 'Stream orders under account 000000000000 already exists.');
    const missing = await failure(k.send(new DescribeStreamCommand({ StreamName: 'nope' })));
    assert.deepEqual([missing.name, missing.message, missing.$metadata?.httpStatusCode], ['ResourceNotFoundException', 'Stream nope under account 000000000000 not found.', 400]);
  });

  it('routes records by the MD5 of their partition key, numbers them in order per shard, and reads them from every kind of iterator', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'routes', ShardCount: 2 }));
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const put = await k.send(new PutRecordsCommand({ StreamName: 'routes', Records: keys.map((key, i) => ({ PartitionKey: key, Data: Buffer.from(`r${i}`) })) }));
    assert.equal(put.FailedRecordCount, 0);
    keys.forEach((key, i) => assert.equal(put.Records![i]!.ShardId, md5(key) < BigInt(HALF) ? 'shardId-000000000000' : 'shardId-000000000001', key));
    const explicit = await k.send(new PutRecordCommand({ StreamName: 'routes', PartitionKey: 'a', ExplicitHashKey: HALF, Data: Buffer.from('explicit') }));
    assert.equal(explicit.ShardId, 'shardId-000000000001');
    const shard1 = keys.filter((key) => md5(key) >= BigInt(HALF));
    const all = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'TRIM_HORIZON') }));
    assert.deepEqual(all.Records!.map((r) => r.PartitionKey), [...shard1, 'a']);
    const seqs = all.Records!.map((r) => BigInt(r.SequenceNumber!));
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), 'sequence numbers increase within the shard');
    assert.equal(all.MillisBehindLatest, 0);
    assert.ok(all.NextShardIterator);
    const firstSeq = all.Records![0]!.SequenceNumber!;
    assert.deepEqual(texts((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: firstSeq }), Limit: 1 }))).Records), [texts(all.Records)[0]]);
    assert.deepEqual(
      (await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: firstSeq }) }))).Records!.map((r) => r.SequenceNumber),
      all.Records!.slice(1).map((r) => r.SequenceNumber),
    );
    const limited = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'TRIM_HORIZON'), Limit: 1 }));
    assert.equal(limited.Records!.length, 1);
    const latest = await iterator('routes', 'shardId-000000000001', 'LATEST');
    assert.deepEqual((await k.send(new GetRecordsCommand({ ShardIterator: latest }))).Records, []);
    clock.advance(60_000);
    const later = new Date(clock.now());
    await k.send(new PutRecordCommand({ StreamName: 'routes', PartitionKey: 'x', ExplicitHashKey: HALF, Data: Buffer.from('after a minute') }));
    clock.advance(5_000);
    const behind = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'TRIM_HORIZON'), Limit: 1 }));
    assert.equal(behind.MillisBehindLatest, 65_000, 'the next unread record arrived 65 s ago');
    assert.deepEqual(texts((await k.send(new GetRecordsCommand({ ShardIterator: latest }))).Records), ['after a minute']);
    assert.deepEqual(texts((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('routes', 'shardId-000000000001', 'AT_TIMESTAMP', { Timestamp: later }) }))).Records), ['after a minute']);
    const wrongShard = await failure(k.send(new GetShardIteratorCommand({ StreamName: 'routes', ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })));
    assert.equal(wrongShard.name, 'ResourceNotFoundException');
  });

  it('expires shard iterators after five minutes, as Kinesis does', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'expiry', ShardCount: 1 }));
    const it = await iterator('expiry', 'shardId-000000000000', 'TRIM_HORIZON');
    clock.advance(299_000);
    const read = await k.send(new GetRecordsCommand({ ShardIterator: it }));
    clock.advance(2_000);
    await k.send(new GetRecordsCommand({ ShardIterator: read.NextShardIterator })); // made 2 s ago: still good
    const expired = await failure(k.send(new GetRecordsCommand({ ShardIterator: it })));
    assert.equal(expired.name, 'ExpiredIteratorException');
    assert.match(expired.message, /^Iterator expired\. The iterator was created at time .* UTC \d{4} while right now it is .* which is further in the future than the tolerated delay of 300000 milliseconds\.$/);
    const bad = await failure(k.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })));
    assert.equal(bad.name, 'InvalidArgumentException');
  });

  it('keeps records for the retention period on the injected clock, which callers can lengthen and shorten', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 1 }));
    await k.send(new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'k', Data: Buffer.from('old') }));
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 48 }));
    clock.advance(25 * 3_600_000);
    await k.send(new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'k', Data: Buffer.from('new') }));
    const read = async () => texts((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('kept', 'shardId-000000000000', 'TRIM_HORIZON') }))).Records);
    assert.deepEqual(await read(), ['old', 'new'], '48 hours keep a 25-hour-old record');
    await k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 24 }));
    assert.deepEqual(await read(), ['new'], 'past 24 hours it is gone');
    const tooShort = await failure(k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 12 })));
    assert.deepEqual([tooShort.name, tooShort.message], ['InvalidArgumentException', 'Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short.']);
    const shorter = await failure(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 23 })));
    assert.equal(shorter.name, 'InvalidArgumentException');
    assert.equal((await k.send(new DescribeStreamSummaryCommand({ StreamName: 'kept' }))).StreamDescriptionSummary!.RetentionPeriodHours, 24);
  });

  it('fails the entries of a PutRecords that a provisioned shard cannot take this second, and only those', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'limits', ShardCount: 2 }));
    const big = Buffer.alloc(600 * 1024, 1);
    const put = await k.send(
      new PutRecordsCommand({
        StreamName: 'limits',
        Records: [
          { PartitionKey: 'p', ExplicitHashKey: '0', Data: big },
          { PartitionKey: 'p', ExplicitHashKey: '0', Data: big },
          { PartitionKey: 'p', ExplicitHashKey: HALF, Data: Buffer.from('other shard') },
        ],
      }),
    );
    assert.equal(put.FailedRecordCount, 1);
    assert.equal(put.Records![0]!.ShardId, 'shardId-000000000000');
    assert.deepEqual(put.Records![1], { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream limits under account 000000000000.' });
    assert.equal(put.Records![2]!.ShardId, 'shardId-000000000001');
    const single = await failure(k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'p', ExplicitHashKey: '0', Data: big })));
    assert.equal(single.name, 'ProvisionedThroughputExceededException');
    clock.advance(1_000);
    assert.ok((await k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'p', ExplicitHashKey: '0', Data: big }))).SequenceNumber, 'the next second takes it');
  });

  it('splits and merges shards: parents close with an ending sequence number, readers reach their children', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'reshard', ShardCount: 1 }));
    const before = await k.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'k', Data: Buffer.from('before') }));
    await k.send(new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    const shards = (await k.send(new ListShardsCommand({ StreamName: 'reshard' }))).Shards!;
    assert.deepEqual(shards.map((s) => [s.ShardId, s.ParentShardId]), [['shardId-000000000000', undefined], ['shardId-000000000001', 'shardId-000000000000'], ['shardId-000000000002', 'shardId-000000000000']]);
    const parentEnd = shards[0]!.SequenceNumberRange!.EndingSequenceNumber!;
    assert.equal(parentEnd, before.SequenceNumber, 'the parent ends at the last number given');
    assert.ok(BigInt(shards[1]!.SequenceNumberRange!.StartingSequenceNumber!) > BigInt(parentEnd));
    const after = await k.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'k', Data: Buffer.from('after') }));
    assert.equal(after.ShardId, md5('k') < BigInt(HALF) ? 'shardId-000000000001' : 'shardId-000000000002');
    const end = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('reshard', 'shardId-000000000000', 'TRIM_HORIZON') }));
    assert.deepEqual(texts(end.Records), ['before']);
    assert.equal(end.NextShardIterator, undefined, 'a closed shard read to its end has no next iterator');
    assert.deepEqual(end.ChildShards!.map((c) => [c.ShardId, c.ParentShards]), [['shardId-000000000001', ['shardId-000000000000']], ['shardId-000000000002', ['shardId-000000000000']]]);
    const open = (await k.send(new ListShardsCommand({ StreamName: 'reshard', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!.map((s) => s.ShardId);
    assert.deepEqual(open, ['shardId-000000000001', 'shardId-000000000002']);
    const again = await failure(k.send(new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '5' })));
    assert.equal(again.name, 'ResourceInUseException');
    await k.send(new MergeShardsCommand({ StreamName: 'reshard', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    const merged = (await k.send(new ListShardsCommand({ StreamName: 'reshard', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
    assert.deepEqual(merged.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, s.HashKeyRange!.StartingHashKey]), [['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000002', '0']]);
    const scaled = await k.send(new UpdateShardCountCommand({ StreamName: 'reshard', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    assert.deepEqual([scaled.CurrentShardCount, scaled.TargetShardCount], [1, 2]);
    const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'reshard' }))).StreamDescriptionSummary!;
    assert.equal(summary.OpenShardCount, 2);
    const tooMany = await failure(k.send(new UpdateShardCountCommand({ StreamName: 'reshard', TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' })));
    assert.equal(tooMany.name, 'InvalidArgumentException');
  });

  it('tags streams and registers, describes, lists and deregisters consumers; deletes a stream', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'tagged', ShardCount: 1, Tags: { team: 'a' } }));
    await k.send(new AddTagsToStreamCommand({ StreamName: 'tagged', Tags: { env: 'dev', owner: 'x' } }));
    await k.send(new RemoveTagsFromStreamCommand({ StreamName: 'tagged', TagKeys: ['owner'] }));
    const tags = await k.send(new ListTagsForStreamCommand({ StreamName: 'tagged' }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
    const c = (await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn('tagged'), ConsumerName: 'fan' }))).Consumer!;
    assert.match(c.ConsumerARN!, /^arn:aws:kinesis:us-east-1:000000000000:stream\/tagged\/consumer\/fan:\d+$/);
    const described = (await k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c.ConsumerARN }))).ConsumerDescription!;
    assert.deepEqual([described.ConsumerName, described.ConsumerStatus, described.StreamARN], ['fan', 'ACTIVE', streamArn('tagged')]);
    assert.deepEqual((await k.send(new ListStreamConsumersCommand({ StreamARN: streamArn('tagged') }))).Consumers!.map((x) => x.ConsumerName), ['fan']);
    // Enhanced fan-out's event stream is not served: the SDK's client gets a clear error, not a hang.
    const subscribed = await failure(k.send(new SubscribeToShardCommand({ ConsumerARN: c.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } })));
    assert.deepEqual([subscribed.name, subscribed.message, subscribed.$metadata?.httpStatusCode], ['NotImplemented', 'Selfless does not implement SubscribeToShard yet.', 501]);
    const refused = await failure(k.send(new DeleteStreamCommand({ StreamName: 'tagged' })));
    assert.equal(refused.name, 'ResourceInUseException', 'a stream with consumers needs EnforceConsumerDeletion');
    await k.send(new DeregisterStreamConsumerCommand({ StreamARN: streamArn('tagged'), ConsumerName: 'fan' }));
    assert.deepEqual((await k.send(new ListStreamConsumersCommand({ StreamARN: streamArn('tagged') }))).Consumers, []);
    await k.send(new DeleteStreamCommand({ StreamName: 'tagged' }));
    assert.equal((await failure(k.send(new DescribeStreamSummaryCommand({ StreamName: 'tagged' })))).name, 'ResourceNotFoundException');
  });

  it('serves boto3: create_stream, the stream_exists waiter, put_records, get_records, list_shards', async () => {
    const script = `
import boto3, json, sys
k = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
k.create_stream(StreamName='py', ShardCount=1)
k.get_waiter('stream_exists').wait(StreamName='py', WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
k.put_record(StreamName='py', PartitionKey='a', Data=b'\\x00\\x01binary')
put = k.put_records(StreamName='py', Records=[{'PartitionKey': 'b', 'Data': b'two'}, {'PartitionKey': 'c', 'Data': b'three'}])
shard = k.list_shards(StreamName='py')['Shards'][0]['ShardId']
it = k.get_shard_iterator(StreamName='py', ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
got = k.get_records(ShardIterator=it)
try:
    k.describe_stream(StreamName='gone')
    err = None
except k.exceptions.ResourceNotFoundException as e:
    err = e.response['Error']['Code']
print(json.dumps({'failed': put['FailedRecordCount'], 'data': [r['Data'].hex() for r in got['Records']],
  'keys': [r['PartitionKey'] for r in got['Records']], 'behind': got['MillisBehindLatest'], 'err': err}))
`;
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), {
      failed: 0,
      data: [Buffer.from('\x00\x01binary').toString('hex'), Buffer.from('two').toString('hex'), Buffer.from('three').toString('hex')],
      keys: ['a', 'b', 'c'],
      behind: 0,
      err: 'ResourceNotFoundException',
    });
  });

  it('serves the aws CLI (v1): put-record', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'cli', ShardCount: 1 }));
    const res = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'kinesis', 'put-record', '--stream-name', 'cli', '--partition-key', 'k', '--data', 'from the cli']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout).ShardId, 'shardId-000000000000');
    const got = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('cli', 'shardId-000000000000', 'TRIM_HORIZON') }));
    assert.deepEqual(texts(got.Records), ['from the cli']);
  });
});

describe('Kinesis over the TLS port', () => {
  it('serves the SDK v3 client’s HTTP/2 (negotiated by ALPN) to a client that trusts Selfless’s CA', async () => {
    const t = await startTestPlatform({ tlsPort: 0 });
    try {
      // The client's HTTP/2 handler takes no CA option: the child process trusts the CA through NODE_EXTRA_CA_CERTS.
      const script = `
import { KinesisClient, CreateStreamCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
const k = new KinesisClient({ endpoint: process.argv[1], region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
await k.send(new CreateStreamCommand({ StreamName: 'tls', ShardCount: 1 }));
const put = await k.send(new PutRecordCommand({ StreamName: 'tls', PartitionKey: 'k', Data: Buffer.from('x') }));
console.log(JSON.stringify({ shard: put.ShardId }));
k.destroy();
`;
      const res = await run(process.execPath, ['--input-type=module', '-e', script, t.platform.tlsUrl!], {
        cwd: new URL('../../../', import.meta.url).pathname,
        env: { ...clientEnv(), NODE_EXTRA_CA_CERTS: t.platform.caFile!, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout), { shard: 'shardId-000000000000' });
    } finally {
      await t.stop();
    }
  });
});
