import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '../../src/lib/clock.js';
import { dynamoClients, failure } from '../helpers/dynamodb.js';
import { startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

describe('DynamoDB Streams and TTL (on a test clock)', () => {
  let t: TestPlatform;
  let c: ReturnType<typeof dynamoClients>;
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 12, 0, 0));
  before(async () => {
    t = await startTestPlatform({}, undefined, { dynamodbClock: clock });
    c = dynamoClients(t.platform.url);
  });
  after(async () => {
    c.destroy();
    await t.stop();
  });

  const streamOf = async (table: string) => {
    const { Streams } = await c.streams.send(new ListStreamsCommand({ TableName: table }));
    const arn = Streams![0]!.StreamArn!;
    const d = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    return { arn, shard: d.StreamDescription!.Shards![0]!.ShardId!, description: d.StreamDescription! };
  };
  const read = async (arn: string, shard: string, type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER', seq?: string) => {
    const it = await c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: type, SequenceNumber: seq }));
    const r = await c.streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    return { records: r.Records ?? [], next: r.NextShardIterator };
  };

  it('every write leaves a record in commit order, with the images its view type keeps', async () => {
    await c.ddb.send(
      new CreateTableCommand({
        TableName: 'Feed',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await c.doc.send(new PutCommand({ TableName: 'Feed', Item: { id: 'a', v: 1 } }));
    await c.doc.send(new UpdateCommand({ TableName: 'Feed', Key: { id: 'a' }, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': 1 } }));
    await c.doc.send(new PutCommand({ TableName: 'Feed', Item: { id: 'b', v: 9 } }));
    await c.doc.send(new PutCommand({ TableName: 'Feed', Item: { id: 'b', v: 9 } })); // changes nothing: no record
    await c.doc.send(new DeleteCommand({ TableName: 'Feed', Key: { id: 'a' } }));
    await c.doc.send(new DeleteCommand({ TableName: 'Feed', Key: { id: 'never' } })); // deletes nothing: no record
    await failure(c.doc.send(new PutCommand({ TableName: 'Feed', Item: { id: 'b' }, ConditionExpression: 'attribute_not_exists(id)' }))); // fails: no record

    const { arn, shard, description } = await streamOf('Feed');
    assert.equal(description.StreamStatus, 'ENABLED');
    assert.equal(description.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(description.TableName, 'Feed');
    const { records, next } = await read(arn, shard, 'TRIM_HORIZON');
    assert.deepEqual(
      records.map((r: _Record) => [r.eventName, r.dynamodb?.Keys?.['id']?.S, r.dynamodb?.OldImage?.['v']?.N ?? null, r.dynamodb?.NewImage?.['v']?.N ?? null]),
      [
        ['INSERT', 'a', null, '1'],
        ['MODIFY', 'a', '1', '2'],
        ['INSERT', 'b', null, '9'],
        ['REMOVE', 'a', '2', null],
      ],
    );
    const seqs = records.map((r) => r.dynamodb!.SequenceNumber!);
    assert.deepEqual([...seqs].sort(), seqs, 'sequence numbers increase');
    assert.equal(records[0]!.eventSource, 'aws:dynamodb');
    assert.equal(records[0]!.dynamodb!.ApproximateCreationDateTime?.getTime(), clock.now());
    assert.ok(next, 'an open shard always gives a next iterator');

    const afterSecond = await read(arn, shard, 'AFTER_SEQUENCE_NUMBER', seqs[1]);
    assert.deepEqual(afterSecond.records.map((r) => r.dynamodb!.SequenceNumber), seqs.slice(2));
    const atSecond = await read(arn, shard, 'AT_SEQUENCE_NUMBER', seqs[1]);
    assert.deepEqual(atSecond.records.map((r) => r.dynamodb!.SequenceNumber), seqs.slice(1));
    const latest = await c.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'LATEST' }));
    await c.doc.send(new PutCommand({ TableName: 'Feed', Item: { id: 'c' } }));
    const fresh = await c.streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator! }));
    assert.deepEqual(fresh.Records?.map((r) => r.dynamodb?.Keys?.['id']?.S), ['c']);
    const empty = await c.streams.send(new GetRecordsCommand({ ShardIterator: fresh.NextShardIterator! }));
    assert.deepEqual(empty.Records, []);

    // An iterator older than 15 minutes has expired.
    clock.advance(16 * 60_000);
    const expired = await failure(c.streams.send(new GetRecordsCommand({ ShardIterator: fresh.NextShardIterator! })));
    assert.equal(expired.name, 'ExpiredIteratorException');
  });

  it('KEYS_ONLY streams carry keys alone; a disabled stream closes its shard', async () => {
    await c.ddb.send(new CreateTableCommand({ TableName: 'Keys', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await c.doc.send(new PutCommand({ TableName: 'Keys', Item: { id: 'before-stream' } }));
    await c.ddb.send(new UpdateTableCommand({ TableName: 'Keys', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    await c.doc.send(new PutCommand({ TableName: 'Keys', Item: { id: 'k', secret: 'x' } }));
    const { arn, shard } = await streamOf('Keys');
    const { records } = await read(arn, shard, 'TRIM_HORIZON');
    assert.deepEqual(records.map((r) => r.dynamodb), [
      { ApproximateCreationDateTime: new Date(Math.floor(clock.now() / 1000) * 1000), Keys: { id: { S: 'k' } }, SequenceNumber: records[0]!.dynamodb!.SequenceNumber, SizeBytes: 3, StreamViewType: 'KEYS_ONLY' },
    ]);
    await c.ddb.send(new UpdateTableCommand({ TableName: 'Keys', StreamSpecification: { StreamEnabled: false } }));
    const closed = await streamOf('Keys');
    assert.equal(closed.description.StreamStatus, 'DISABLED');
    const last = await read(arn, shard, 'TRIM_HORIZON');
    assert.equal(last.records.length, 1);
    assert.equal(last.next, undefined, 'a closed shard read to its end has no next iterator');
  });

  it('TTL deletes expired items on the clock, as DynamoDB itself in the stream', async () => {
    await c.ddb.send(
      new CreateTableCommand({
        TableName: 'Sessions',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' },
      }),
    );
    const nowSeconds = Math.floor(clock.now() / 1000);
    // Written before TTL is on: the backfill gives it its expiry.
    await c.doc.send(new PutCommand({ TableName: 'Sessions', Item: { id: 'early', expires: nowSeconds + 60 } }));
    await c.ddb.send(new UpdateTimeToLiveCommand({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await c.doc.send(new PutCommand({ TableName: 'Sessions', Item: { id: 'short', expires: nowSeconds + 60 } }));
    await c.doc.send(new PutCommand({ TableName: 'Sessions', Item: { id: 'long', expires: nowSeconds + 86_400 } }));
    await c.doc.send(new PutCommand({ TableName: 'Sessions', Item: { id: 'none' } }));
    const exists = async (id: string) => (await c.ddb.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: id } } }))).Item !== undefined;

    clock.advance(30_000); // a sweep, but nothing has expired yet
    assert.ok(await exists('short'));
    clock.advance(61_000);
    // Each poll moves the clock on by a sweep, so the test does not depend on when the TTL backfill ends.
    await waitFor(async () => {
      clock.advance(30_000);
      return !(await exists('short')) && !(await exists('early'));
    }, 'the expired items to be deleted');
    assert.ok(await exists('long'));
    assert.ok(await exists('none'));
    const { arn, shard } = await streamOf('Sessions');
    const { records } = await read(arn, shard, 'TRIM_HORIZON');
    const removals = records.filter((r) => r.eventName === 'REMOVE');
    assert.deepEqual(removals.map((r) => r.dynamodb?.Keys?.['id']?.S).sort(), ['early', 'short']);
    assert.ok(removals.every((r) => r.userIdentity?.Type === 'Service' && r.userIdentity.PrincipalId === 'dynamodb.amazonaws.com'));
    assert.ok(removals.every((r) => r.dynamodb?.OldImage?.['expires'] !== undefined));
  });

  it('stream records are kept 24 hours', async () => {
    const { arn, shard } = await streamOf('Feed');
    assert.ok((await read(arn, shard, 'TRIM_HORIZON')).records.length > 0);
    clock.advance(25 * 3600_000);
    await waitFor(async () => (await read(arn, shard, 'TRIM_HORIZON')).records.length === 0, 'old records to be trimmed');
    await c.ddb.send(new PutItemCommand({ TableName: 'Feed', Item: { id: { S: 'after' } } }));
    assert.equal((await read(arn, shard, 'TRIM_HORIZON')).records.length, 1);
  });
});
