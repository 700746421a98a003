import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, QueryCommand as DocQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClients, failure } from '../helpers/dynamodb.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('DynamoDB items (SDK v3 and DocumentClient)', () => {
  let t: TestPlatform;
  let c: ReturnType<typeof dynamoClients>;
  const table = (TableName: string, range?: { name: string; type: 'S' | 'N' | 'B' }, extra: object = {}) =>
    c.ddb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(range ? [{ AttributeName: range.name, AttributeType: range.type }] : [])],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' as const }] : [])],
        ...extra,
      }),
    );
  before(async () => {
    t = await startTestPlatform();
    c = dynamoClients(t.platform.url);
    await table('Items');
    await table('Events', { name: 'n', type: 'N' });
  });
  after(async () => {
    c.destroy();
    await t.stop();
  });

  it('PutItem, GetItem, DeleteItem with ReturnValues; numbers come back canonical; binaries round-trip', async () => {
    const item = { pk: { S: 'a' }, n: { N: '0010.500' }, b: { B: Buffer.from([0, 1, 255]) }, ss: { SS: ['x', 'y'] }, m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } }, e: { S: '' } };
    assert.deepEqual((await c.ddb.send(new PutItemCommand({ TableName: 'Items', Item: item, ReturnValues: 'ALL_OLD' }))).Attributes, undefined);
    const got = await c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } }));
    assert.equal(got.Item?.['n']?.N, '10.5');
    assert.deepEqual(Buffer.from(got.Item!['b']!.B!), Buffer.from([0, 1, 255]));
    assert.deepEqual(got.Item?.['m'], { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } });
    const old = await c.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'a' }, v: { N: '1' } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(old.Attributes?.['n']?.N, '10.5');
    const projected = await c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ProjectionExpression: '#v', ExpressionAttributeNames: { '#v': 'v' } }));
    assert.deepEqual(projected.Item, { v: { N: '1' } });
    const del = await c.ddb.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(del.Attributes, { pk: { S: 'a' }, v: { N: '1' } });
    assert.equal((await c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } }))).Item, undefined);
  });

  it("refuses common mistakes in DynamoDB's words", async () => {
    const put = (Item: Record<string, never> | object, extra: object = {}) => failure(c.ddb.send(new PutItemCommand({ TableName: 'Items', Item: Item as never, ...extra })));
    assert.equal((await put({ x: { S: '1' } })).message, 'One or more parameter values were invalid: Missing the key pk in the item');
    assert.equal((await put({ pk: { N: '1' } })).message, 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    assert.match((await put({ pk: { S: '' } })).message, /The AttributeValue for a key attribute cannot contain an empty string value. Key: pk/);
    assert.equal((await put({ pk: { S: 'k' }, n: { N: 'abc' } })).message, 'The parameter cannot be converted to a numeric value: abc');
    assert.match((await put({ pk: { S: 'k' }, n: { N: '1'.repeat(39) } })).message, /38 significant digits/);
    assert.match((await put({ pk: { S: 'k' }, s: { SS: ['a', 'a'] } })).message, /contains duplicates/);
    assert.equal((await put({ pk: { S: 'k' }, big: { S: 'x'.repeat(400 * 1024) } })).message, 'Item size has exceeded the maximum allowed size');
    const unused = await put({ pk: { S: 'k' } }, { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':unused': { S: 'x' } } });
    assert.equal(unused.message, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
    const reserved = await put({ pk: { S: 'k' } }, { ConditionExpression: 'attribute_not_exists(status)' });
    assert.equal(reserved.message, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
    const syntax = await put({ pk: { S: 'k' } }, { ConditionExpression: 'a = ', ExpressionAttributeValues: undefined });
    assert.equal(syntax.message, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a ="');
    const undefinedValue = await put({ pk: { S: 'k' } }, { ConditionExpression: 'a = :missing' });
    assert.equal(undefinedValue.message, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing');
    const wrongKey = await failure(c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'k' }, extra: { S: 'x' } } })));
    assert.equal(wrongKey.message, 'The provided key element does not match the schema');
    const wrongType = await failure(c.ddb.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { N: '1' } } })));
    assert.equal(wrongType.message, 'The provided key element does not match the schema');
    const wrongName = await failure(c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { id: { S: 'k' } } })));
    assert.equal(wrongName.message, 'The provided key element does not match the schema');
    const noTable = await failure(c.ddb.send(new GetItemCommand({ TableName: 'Nope', Key: { pk: { S: 'k' } } })));
    assert.equal(noTable.name, 'ResourceNotFoundException');
    assert.equal(noTable.message, 'Requested resource not found');
    const badReturn = await put({ pk: { S: 'k' } }, { ReturnValues: 'ALL_NEW' });
    assert.equal(badReturn.message, 'ReturnValues can only be ALL_OLD or NONE');
    const legacy = await failure(c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'k' } }, AttributesToGet: ['a'] })));
    assert.equal(legacy.$metadata.httpStatusCode, 501);
  });

  it('conditions: attribute_not_exists guards a create; a failed check returns the old item on request', async () => {
    const create = () => c.ddb.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'once' }, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await create();
    const failed = await failure(create());
    assert.equal(failed.name, 'ConditionalCheckFailedException');
    assert.equal(failed.message, 'The conditional request failed');
    const withItem = await failure(
      c.ddb.send(new DeleteItemCommand({ TableName: 'Items', Key: { pk: { S: 'once' } }, ConditionExpression: 'v > :n', ExpressionAttributeValues: { ':n': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    );
    assert.deepEqual((withItem as unknown as { Item: unknown }).Item, { pk: { S: 'once' }, v: { N: '1' } });
  });

  it('UpdateItem: SET with if_not_exists, list_append and arithmetic; REMOVE; ADD; DELETE; ReturnValues', async () => {
    const key = { pk: { S: 'u' } };
    const update = (UpdateExpression: string, values?: object, extra: object = {}) =>
      c.ddb.send(new UpdateItemCommand({ TableName: 'Items', Key: key, UpdateExpression, ExpressionAttributeValues: values as never, ReturnValues: 'ALL_NEW', ...extra }));
    let r = await update('SET visits = if_not_exists(visits, :zero) + :one, tags = list_append(if_not_exists(tags, :empty), :t), info.#n = :n', {
      ':zero': { N: '0' },
      ':one': { N: '1' },
      ':empty': { L: [] },
      ':t': { L: [{ S: 'a' }] },
      ':n': { S: 'x' },
    }, { ExpressionAttributeNames: { '#n': 'name' } }).catch((e: Error) => e);
    assert.ok(r instanceof Error && /document path provided in the update expression is invalid/.test(r.message), `a nested SET needs its parent map: ${String(r)}`);
    r = await update('SET visits = if_not_exists(visits, :zero) + :one, tags = list_append(if_not_exists(tags, :empty), :t), info = :info', {
      ':zero': { N: '0' },
      ':one': { N: '1' },
      ':empty': { L: [] },
      ':t': { L: [{ S: 'a' }] },
      ':info': { M: {} },
    });
    assert.deepEqual((r as { Attributes: unknown }).Attributes, { pk: { S: 'u' }, visits: { N: '1' }, tags: { L: [{ S: 'a' }] }, info: { M: {} } });
    r = await update('SET visits = visits + :one, tags = list_append(:t, tags), info.#n = :n ADD colors :c, hits :big', {
      ':one': { N: '1' },
      ':t': { L: [{ S: 'z' }] },
      ':n': { S: 'x' },
      ':c': { SS: ['red', 'blue'] },
      ':big': { N: '12345678901234567890123456789012345678' },
    }, { ExpressionAttributeNames: { '#n': 'name' } });
    const a = (r as { Attributes: Record<string, { N?: string; L?: unknown[]; SS?: string[] }> }).Attributes;
    assert.equal(a['visits']?.N, '2');
    assert.deepEqual(a['tags']?.L, [{ S: 'z' }, { S: 'a' }]);
    assert.equal(a['hits']?.N, '12345678901234567890123456789012345678', 'no float rounding');
    const updatedOld = await c.ddb.send(
      new UpdateItemCommand({ TableName: 'Items', Key: key, UpdateExpression: 'REMOVE tags[0], info DELETE colors :red', ExpressionAttributeValues: { ':red': { SS: ['red'] } }, ReturnValues: 'UPDATED_OLD' }),
    );
    assert.deepEqual(Object.keys(updatedOld.Attributes ?? {}).sort(), ['colors', 'info', 'tags']);
    const now = (await c.ddb.send(new GetItemCommand({ TableName: 'Items', Key: key }))).Item!;
    assert.deepEqual(now['tags'], { L: [{ S: 'a' }] });
    assert.deepEqual(now['colors'], { SS: ['blue'] });
    assert.equal(now['info'], undefined);
    const keyUpdate = await failure(update('SET pk = :v', { ':v': { S: 'x' } }));
    assert.equal(keyUpdate.message, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
    const overlap = await failure(update('SET a = :v REMOVE a', { ':v': { S: 'x' } }));
    assert.match(overlap.message, /Two document paths overlap with each other/);
    const typeMismatch = await failure(update('SET visits = visits + :s', { ':s': { S: 'x' } }));
    assert.equal(typeMismatch.message, 'An operand in the update expression has an incorrect data type');
  });

  it('Query: key conditions, order, Limit with LastEvaluatedKey, filters, COUNT; numbers sort by value', async () => {
    const ns = ['-5', '-0.5', '0', '1', '2', '10', '100', '1e3', '12345678901234567890123456789012345678'];
    await c.ddb.send(new BatchWriteItemCommand({ RequestItems: { Events: ns.map((n) => ({ PutRequest: { Item: { pk: { S: 'p' }, n: { N: n }, odd: { BOOL: Number(n) % 2 === 1 } } } })) } }));
    const q = (extra: object) => c.ddb.send(new QueryCommand({ TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ...extra }));
    const all = await q({});
    assert.deepEqual(all.Items?.map((i) => i['n']?.N), ['-5', '-0.5', '0', '1', '2', '10', '100', '1000', '12345678901234567890123456789012345678']);
    const back = await q({ ScanIndexForward: false, Limit: 2 });
    assert.deepEqual(back.Items?.map((i) => i['n']?.N), ['12345678901234567890123456789012345678', '1000']);
    assert.deepEqual(back.LastEvaluatedKey, { pk: { S: 'p' }, n: { N: '1000' } });
    const next = await q({ ScanIndexForward: false, Limit: 2, ExclusiveStartKey: back.LastEvaluatedKey });
    assert.deepEqual(next.Items?.map((i) => i['n']?.N), ['100', '10']);
    const between = await c.ddb.send(
      new QueryCommand({ TableName: 'Events', KeyConditionExpression: 'pk = :p AND n BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':p': { S: 'p' }, ':lo': { N: '-1' }, ':hi': { N: '2' } } }),
    );
    assert.deepEqual(between.Items?.map((i) => i['n']?.N), ['-0.5', '0', '1', '2']);
    const filtered = await c.ddb.send(
      new QueryCommand({ TableName: 'Events', KeyConditionExpression: 'pk = :p AND n >= :z', FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':z': { N: '0' }, ':t': { BOOL: true } }, Select: 'COUNT' }),
    );
    assert.deepEqual([filtered.Count, filtered.ScannedCount, filtered.Items], [1, 7, undefined]);
    const missedKey = await failure(c.ddb.send(new QueryCommand({ TableName: 'Events', KeyConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } })));
    assert.equal(missedKey.message, 'Query condition missed key schema element: pk');
    const keyInFilter = await failure(q({ FilterExpression: 'n > :p' }));
    assert.match(keyInFilter.message, /Filter Expression can only contain non-primary key attributes/);
  });

  it('string and binary sort keys order by bytes; begins_with; GSI and LSI queries', async () => {
    await c.ddb.send(
      new CreateTableCommand({
        TableName: 'Users',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
          { AttributeName: 'age', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'ByEmail', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        LocalSecondaryIndexes: [
          {
            IndexName: 'ByAge',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'age', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const sks = ['Zed', 'apple', 'Äpfel', 'a', 'ab', 'b#1', 'b#2'];
    for (const [i, sk] of sks.entries()) {
      await c.doc.send(new PutCommand({ TableName: 'Users', Item: { pk: 'u', sk, age: 30 - i, ...(i % 2 ? { email: `e${i % 3}@x` } : {}) } }));
    }
    const sorted = await c.doc.send(new DocQuery({ TableName: 'Users', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'u' } }));
    assert.deepEqual(sorted.Items?.map((i) => i['sk']), ['Zed', 'a', 'ab', 'apple', 'b#1', 'b#2', 'Äpfel'], 'UTF-8 byte order');
    const prefix = await c.doc.send(new DocQuery({ TableName: 'Users', KeyConditionExpression: 'pk = :p AND begins_with(sk, :b)', ExpressionAttributeValues: { ':p': 'u', ':b': 'b#' } }));
    assert.deepEqual(prefix.Items?.map((i) => i['sk']), ['b#1', 'b#2']);
    const gsi = await c.doc.send(new DocQuery({ TableName: 'Users', IndexName: 'ByEmail', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': 'e1@x' } }));
    assert.deepEqual(gsi.Items, [{ pk: 'u', sk: 'apple', email: 'e1@x' }], 'KEYS_ONLY: the table and index keys');
    const lsi = await c.doc.send(new DocQuery({ TableName: 'Users', IndexName: 'ByAge', KeyConditionExpression: 'pk = :p AND age < :a', ExpressionAttributeValues: { ':p': 'u', ':a': 27 }, Limit: 2 }));
    assert.deepEqual(lsi.Items?.map((i) => i['age']), [24, 25]);
    assert.deepEqual(lsi.LastEvaluatedKey, { pk: 'u', sk: 'b#1', age: 25 });
    const badIndexKey = await failure(c.ddb.send(new PutItemCommand({ TableName: 'Users', Item: { pk: { S: 'u' }, sk: { S: 'x' }, email: { N: '1' } } })));
    assert.equal(badIndexKey.message, 'One or more parameter values were invalid: Type mismatch for Index Key email Expected: S Actual: N IndexName: ByEmail');
    const pages: unknown[] = [];
    for await (const page of paginateQuery({ client: c.doc, pageSize: 2 }, { TableName: 'Users', IndexName: 'ByAge', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'u' } })) {
      pages.push(...(page.Items ?? []));
    }
    assert.equal(pages.length, 7);
  });

  it('Scan with segments covers every item once; BatchGetItem', async () => {
    for (let i = 0; i < 40; i++) await c.doc.send(new PutCommand({ TableName: 'Items', Item: { pk: `s${i}`, i } }));
    const seen: string[] = [];
    for (const Segment of [0, 1, 2]) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await c.ddb.send(new ScanCommand({ TableName: 'Items', Segment, TotalSegments: 3, Limit: 7, FilterExpression: 'begins_with(pk, :s)', ExpressionAttributeValues: { ':s': { S: 's' } }, ExclusiveStartKey: start as never }));
        seen.push(...(page.Items ?? []).map((x) => x['pk']!.S!));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    assert.equal(seen.length, 40);
    assert.equal(new Set(seen).size, 40);
    const batch = await c.ddb.send(new BatchGetItemCommand({ RequestItems: { Items: { Keys: [{ pk: { S: 's1' } }, { pk: { S: 's2' } }, { pk: { S: 'none' } }], ProjectionExpression: 'i' } } }));
    assert.deepEqual(batch.Responses?.['Items']?.map((x) => x['i']?.N).sort(), ['1', '2']);
    const dup = await failure(c.ddb.send(new BatchGetItemCommand({ RequestItems: { Items: { Keys: [{ pk: { S: 's1' } }, { pk: { S: 's1' } }] } } })));
    assert.equal(dup.message, 'Provided list of item keys contains duplicates');
  });

  it('TransactWriteItems: all or nothing, a reason per item, idempotent by token; TransactGetItems', async () => {
    await c.doc.send(new PutCommand({ TableName: 'Items', Item: { pk: 'acct-1', balance: 100 } }));
    await c.doc.send(new PutCommand({ TableName: 'Items', Item: { pk: 'acct-2', balance: 0 } }));
    const transfer = (amount: number, token?: string) =>
      c.ddb.send(
        new TransactWriteItemsCommand({
          ClientRequestToken: token,
          TransactItems: [
            { Update: { TableName: 'Items', Key: { pk: { S: 'acct-1' } }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: String(amount) } } } },
            { Update: { TableName: 'Items', Key: { pk: { S: 'acct-2' } }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: String(amount) } } } },
            { Put: { TableName: 'Items', Item: { pk: { S: `log-${amount}` } }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { ConditionCheck: { TableName: 'Events', Key: { pk: { S: 'p' }, n: { N: '1' } }, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
    const failed = (await failure(transfer(500))) as TransactionCanceledException;
    assert.equal(failed.name, 'TransactionCanceledException');
    assert.deepEqual(failed.CancellationReasons?.map((r) => r.Code), ['ConditionalCheckFailed', 'None', 'None', 'None']);
    assert.match(failed.message, /\[ConditionalCheckFailed, None, None, None\]/);
    const balances = async () => {
      const r = await c.ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Items', Key: { pk: { S: 'acct-1' } } } }, { Get: { TableName: 'Items', Key: { pk: { S: 'acct-2' } } } }, { Get: { TableName: 'Items', Key: { pk: { S: 'log-500' } } } }] }));
      return r.Responses?.map((x) => x.Item?.['balance']?.N ?? x.Item?.['pk']?.S ?? null);
    };
    assert.deepEqual(await balances(), ['100', '0', null], 'nothing was written');
    await transfer(30, 'token-1');
    await transfer(30, 'token-1');
    assert.deepEqual(await balances(), ['70', '30', null], 'the retried token wrote once');
    const mismatch = await failure(transfer(31, 'token-1'));
    assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
    const twice = await failure(
      c.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: 'Items', Key: { pk: { S: 'acct-1' } } } }, { Delete: { TableName: 'Items', Key: { pk: { S: 'acct-1' } } } }] })),
    );
    assert.equal(twice.message, 'Transaction request cannot include multiple operations on one item');
  });

  it('DocumentClient: native values, nested updates', async () => {
    await c.doc.send(new PutCommand({ TableName: 'Items', Item: { pk: 'doc', profile: { name: 'Ann', langs: ['ts'] }, score: 1.25, tags: new Set(['a']) } }));
    const ok = await c.doc.send(new UpdateCommand({ TableName: 'Items', Key: { pk: 'doc' }, UpdateExpression: 'SET profile.langs[1] = :l, score = score - :x', ExpressionAttributeValues: { ':l': 'go', ':x': 0.25 }, ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(ok.Attributes, { profile: { langs: ['go'] }, score: 1 });
    const got = await c.doc.send(new GetCommand({ TableName: 'Items', Key: { pk: 'doc' } }));
    assert.deepEqual(got.Item?.['profile'], { name: 'Ann', langs: ['ts', 'go'] });
    assert.deepEqual(got.Item?.['tags'], new Set(['a']));
  });
});
