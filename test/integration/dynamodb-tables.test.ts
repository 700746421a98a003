import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
  PutItemCommand,
  QueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { dynamoClients, failure } from '../helpers/dynamodb.js';
import { startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

describe('DynamoDB tables (SDK v3)', () => {
  let t: TestPlatform;
  let c: ReturnType<typeof dynamoClients>;
  before(async () => {
    t = await startTestPlatform();
    c = dynamoClients(t.platform.url);
  });
  after(async () => {
    c.destroy();
    await t.stop();
  });

  it('CreateTable with keys, indexes, stream and SSE; the waiter sees it ACTIVE; DescribeTable counts items', async () => {
    const created = await c.ddb.send(
      new CreateTableCommand({
        TableName: 'Music',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'SongTitle', AttributeType: 'S' },
          { AttributeName: 'Year', AttributeType: 'N' },
          { AttributeName: 'Genre', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'SongTitle', KeyType: 'RANGE' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByGenre',
            KeySchema: [
              { AttributeName: 'Genre', KeyType: 'HASH' },
              { AttributeName: 'Year', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['Album'] },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'ByYear',
            KeySchema: [
              { AttributeName: 'Artist', KeyType: 'HASH' },
              { AttributeName: 'Year', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
        Tags: [{ Key: 'team', Value: 'audio' }],
      }),
    );
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    await waitUntilTableExists({ client: c.ddb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'Music' });
    await c.ddb.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'Acme' }, SongTitle: { S: 'Hi' }, Year: { N: '1999' } } }));
    const { Table } = await c.ddb.send(new DescribeTableCommand({ TableName: 'Music' }));
    assert.equal(Table?.TableStatus, 'ACTIVE');
    assert.equal(Table?.ItemCount, 1);
    assert.ok((Table?.TableSizeBytes ?? 0) > 10);
    assert.equal(Table?.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Music');
    assert.deepEqual(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
    assert.equal(Table?.BillingModeSummary?.BillingMode, 'PROVISIONED');
    assert.deepEqual(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus, i.Projection?.ProjectionType]), [['ByGenre', 'ACTIVE', 'INCLUDE']]);
    assert.deepEqual(Table?.LocalSecondaryIndexes?.map((i) => i.IndexName), ['ByYear']);
    assert.deepEqual(Table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.match(Table?.LatestStreamArn ?? '', /^arn:aws:dynamodb:us-east-1:000000000000:table\/Music\/stream\/\d{4}-\d\d-\d\dT/);
    assert.equal(Table?.SSEDescription?.Status, 'ENABLED');
    assert.ok(Table?.CreationDateTime instanceof Date);

    const dup = await failure(c.ddb.send(new CreateTableCommand({ TableName: 'Music', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })));
    assert.equal(dup.name, 'ResourceInUseException');
    assert.equal(dup.message, 'Table already exists: Music');
  });

  it('refuses bad definitions with DynamoDB words', async () => {
    const bad = await failure(
      c.ddb.send(new CreateTableCommand({ TableName: 'Bad', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] })),
    );
    assert.equal(bad.name, 'ValidationException');
    assert.match(bad.message, /ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED/);
    const extra = await failure(
      c.ddb.send(
        new CreateTableCommand({
          TableName: 'Bad',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'a', AttributeType: 'S' },
            { AttributeName: 'b', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        }),
      ),
    );
    assert.match(extra.message, /Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions/);
    const zero = await failure(c.ddb.send(new ListTablesCommand({ Limit: 0 })));
    assert.equal(zero.name, 'ValidationException');
    assert.match(zero.message, /Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1/);
    const missing = await failure(c.ddb.send(new DescribeTableCommand({ TableName: 'Nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.$metadata.httpStatusCode, 400);
  });

  it('ListTables pages; DeleteTable; the not-exists waiter', async () => {
    for (const n of ['t-a', 't-b', 't-c']) {
      await c.ddb.send(new CreateTableCommand({ TableName: n, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    }
    const first = await c.ddb.send(new ListTablesCommand({ Limit: 2 }));
    assert.equal(first.TableNames?.length, 2);
    assert.ok(first.LastEvaluatedTableName);
    const names: string[] = [];
    for await (const page of paginateListTables({ client: c.ddb, pageSize: 1 }, {})) names.push(...(page.TableNames ?? []));
    assert.ok(['t-a', 't-b', 't-c'].every((n) => names.includes(n)));
    const deleted = await c.ddb.send(new DeleteTableCommand({ TableName: 't-b' }));
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
    await waitUntilTableNotExists({ client: c.ddb, maxWaitTime: 30, minDelay: 1 }, { TableName: 't-b' });
  });

  it('tags, limits and TTL settings', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t-a';
    await c.ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await c.ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await c.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);
    const limits = await c.ddb.send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
    assert.equal((await c.ddb.send(new DescribeTimeToLiveCommand({ TableName: 't-a' }))).TimeToLiveDescription?.TimeToLiveStatus, 'DISABLED');
    await c.ddb.send(new UpdateTimeToLiveCommand({ TableName: 't-a', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.deepEqual((await c.ddb.send(new DescribeTimeToLiveCommand({ TableName: 't-a' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    const again = await failure(c.ddb.send(new UpdateTimeToLiveCommand({ TableName: 't-a', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })));
    assert.match(again.message, /TimeToLive is already enabled/);
  });

  it('UpdateTable adds a global index that backfills (CREATING, then ACTIVE) and removes one', async () => {
    await c.ddb.send(new CreateTableCommand({ TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    for (let i = 0; i < 30; i++) {
      await c.ddb.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: `o${i}` }, customer: { S: `c${i % 3}` }, total: { N: String(i) } } }));
    }
    const updated = await c.ddb.send(
      new UpdateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'ByCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    assert.equal(updated.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'CREATING');
    await waitFor(async () => (await c.ddb.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'ACTIVE', 'the index backfill');
    const q = await c.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'ByCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } }));
    assert.equal(q.Count, 10);
    await c.ddb.send(new UpdateTableCommand({ TableName: 'Orders', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'ByCustomer' } }] }));
    const gone = await failure(c.ddb.send(new QueryCommand({ TableName: 'Orders', IndexName: 'ByCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } })));
    assert.match(gone.message, /The table does not have the specified index: ByCustomer/);
    const stream = await c.ddb.send(new UpdateTableCommand({ TableName: 'Orders', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }, TableClass: 'STANDARD_INFREQUENT_ACCESS' }));
    assert.equal(stream.TableDescription?.StreamSpecification?.StreamViewType, 'KEYS_ONLY');
    assert.equal(stream.TableDescription?.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS');
    const music = await c.ddb.send(new UpdateTableCommand({ TableName: 'Music', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'ByGenre', ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 3 } } }] }));
    assert.equal(music.TableDescription?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits, 9);
    const replicas = await failure(c.ddb.send(new UpdateTableCommand({ TableName: 'Orders', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })));
    assert.equal(replicas.$metadata.httpStatusCode, 501);
  });
});
