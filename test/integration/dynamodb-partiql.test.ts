import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { ExecuteStatementCommand as DocExecute } from '@aws-sdk/lib-dynamodb';
import { dynamoClients, failure } from '../helpers/dynamodb.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

describe('DynamoDB PartiQL (SDK v3, DocumentClient, boto3)', () => {
  let t: TestPlatform;
  let c: ReturnType<typeof dynamoClients>;
  const sql = (Statement: string, Parameters?: Record<string, unknown>[], extra: object = {}) =>
    c.ddb.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters: Parameters as never } : {}), ...extra }));
  before(async () => {
    t = await startTestPlatform();
    c = dynamoClients(t.platform.url);
    await c.ddb.send(
      new CreateTableCommand({
        TableName: 'Music',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'SongTitle', AttributeType: 'S' },
          { AttributeName: 'Genre', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'SongTitle', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'ByGenre', KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
  });
  after(async () => {
    c.destroy();
    await t.stop();
  });

  it('INSERT puts a new item and refuses a taken key; SELECT queries a partition, scans, filters, projects and pages', async () => {
    await sql(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', 'Year': 2021, 'Genre': 'rock', 'Tags': <<'loud', 'new'>>, 'Info': {'plays': [1, 2]}}`);
    for (let i = 0; i < 5; i++) {
      await sql(`INSERT INTO Music VALUE {'Artist': ?, 'SongTitle': ?, 'Year': ?, 'Genre': 'jazz'}`, [{ S: 'Trio' }, { S: `Song ${i}` }, { N: String(2000 + i) }]);
    }
    const dup = await failure(sql(`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}`));
    assert.equal(dup.name, 'DuplicateItemException');
    assert.equal(dup.message, 'Duplicate primary key exists in table');

    const one = await sql(`SELECT * FROM "Music" WHERE "Artist" = 'Acme Band' AND "SongTitle" = 'PartiQL Rocks'`);
    assert.deepEqual(one.Items, [
      { Artist: { S: 'Acme Band' }, SongTitle: { S: 'PartiQL Rocks' }, Year: { N: '2021' }, Genre: { S: 'rock' }, Tags: { SS: ['loud', 'new'] }, Info: { M: { plays: { L: [{ N: '1' }, { N: '2' }] } } } },
    ]);
    const recent = await sql(`SELECT SongTitle, "Year" FROM Music WHERE Artist = ? AND "Year" >= 2002 ORDER BY SongTitle DESC`, [{ S: 'Trio' }]);
    assert.deepEqual(recent.Items?.map((i) => [i['SongTitle']?.S, i['Year']?.N]), [['Song 4', '2004'], ['Song 3', '2003'], ['Song 2', '2002']]);
    const between = await sql(`SELECT SongTitle FROM Music WHERE Artist = 'Trio' AND SongTitle BETWEEN 'Song 1' AND 'Song 2'`);
    assert.deepEqual(between.Items?.map((i) => i['SongTitle']?.S), ['Song 1', 'Song 2']);
    const scanned = await sql(`SELECT Artist FROM Music WHERE begins_with(SongTitle, 'Part') OR "Year" IN [2000, 2003]`);
    assert.deepEqual(scanned.Items?.map((i) => i['Artist']?.S).sort(), ['Acme Band', 'Trio', 'Trio']);
    const nested = await sql(`SELECT Info.plays[1] FROM Music WHERE Artist = 'Acme Band' AND Info.plays[0] = 1 AND Tags IS NOT MISSING AND Label IS MISSING`);
    assert.deepEqual(nested.Items, [{ Info: { M: { plays: { L: [{ N: '2' }] } } } }]);
    const byIndex = await sql(`SELECT SongTitle FROM "Music"."ByGenre" WHERE Genre = 'jazz'`);
    assert.equal(byIndex.Items?.length, 5);

    // Pages: Limit counts items read, NextToken resumes after the last.
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sql(`SELECT SongTitle FROM Music WHERE Artist = 'Trio'`, undefined, { Limit: 2, ...(NextToken ? { NextToken } : {}) });
      assert.ok((page.Items?.length ?? 0) <= 2);
      seen.push(...(page.Items ?? []).map((i) => i['SongTitle']!.S!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ['Song 0', 'Song 1', 'Song 2', 'Song 3', 'Song 4']);
  });

  it('UPDATE sets, adds and removes on an item that exists, returns what RETURNING asks, and is no upsert; DELETE', async () => {
    const updated = await sql(
      `UPDATE "Music" SET Awards = 1 SET Info.plays = list_append(Info.plays, [3]) SET Tags = set_add(Tags, <<'live'>>) REMOVE Genre WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' RETURNING ALL NEW *`,
    );
    const item = updated.Items![0]!;
    assert.deepEqual([item['Awards'], item['Info'], item['Genre']], [{ N: '1' }, { M: { plays: { L: [{ N: '1' }, { N: '2' }, { N: '3' }] } } }, undefined]);
    assert.deepEqual(item['Tags']?.SS?.sort(), ['live', 'loud', 'new']);
    const modified = await sql(`UPDATE Music SET Awards = Awards + ? WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' RETURNING MODIFIED OLD *`, [{ N: '2' }]);
    assert.deepEqual(modified.Items, [{ Awards: { N: '1' } }]);

    const notThere = await failure(sql(`UPDATE Music SET Awards = 1 WHERE Artist = 'Nobody' AND SongTitle = 'None'`));
    assert.equal(notThere.name, 'ConditionalCheckFailedException');
    const guarded = await failure(sql(`UPDATE Music SET Awards = 9 WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND Awards > 5`));
    assert.equal(guarded.name, 'ConditionalCheckFailedException');
    const partKey = await failure(sql(`UPDATE Music SET Awards = 9 WHERE Artist = 'Acme Band'`));
    assert.equal(partKey.name, 'ValidationException');
    assert.equal(partKey.message, 'Where clause does not contain a mandatory equality on all key attributes');
    const gone = await c.ddb.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Nobody' }, SongTitle: { S: 'None' } } }));
    assert.equal(gone.Item, undefined);

    // DELETE: nothing to delete is no error; a clause the item fails is.
    assert.deepEqual((await sql(`DELETE FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None'`)).Items, []);
    const kept = await failure(sql(`DELETE FROM Music WHERE Artist = 'Trio' AND SongTitle = 'Song 0' AND "Year" = 1999`));
    assert.equal(kept.name, 'ConditionalCheckFailedException');
    const deleted = await sql(`DELETE FROM Music WHERE Artist = 'Trio' AND SongTitle = 'Song 0' RETURNING ALL OLD *`);
    assert.deepEqual(deleted.Items?.[0]?.['Year'], { N: '2000' });
    assert.deepEqual((await sql(`SELECT * FROM Music WHERE Artist = 'Trio' AND SongTitle = 'Song 0'`)).Items, []);
  });

  it("refuses malformed statements and mismatched parameters in DynamoDB's words", async () => {
    const cases: [string, Record<string, unknown>[] | undefined, string][] = [
      ['CREATE TABLE x', undefined, "Statement wasn't well formed, can't be processed: Expected data manipulation"],
      [`SELECT * FROM Music WHERE Artist = ?`, undefined, "Number of parameters in request and statement don't match."],
      [`SELECT * FROM Music WHERE Artist = 'a'`, [{ S: 'extra' }], "Number of parameters in request and statement don't match."],
      [`SELECT * FROM Music WHERE`, undefined, "Statement wasn't well formed, can't be processed: Unexpected end of statement"],
      [`SELECT * FROM Music WHERE Artist = 'a`, undefined, "Statement wasn't well formed, can't be processed: unterminated string at column 36"],
    ];
    for (const [statement, params, message] of cases) {
      const err = await failure(sql(statement, params));
      assert.deepEqual([err.name, err.message], ['ValidationException', message], statement);
    }
    const missing = await failure(sql(`SELECT * FROM Nowhere`));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('BatchExecuteStatement answers each statement on its own; ExecuteTransaction writes all or nothing, reads together', async () => {
    const batch = await c.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO Music VALUE {'Artist': 'Duo', 'SongTitle': 'One'}` },
          { Statement: `INSERT INTO Music VALUE {'Artist': 'Trio', 'SongTitle': 'Song 1'}` },
          { Statement: `UPDATE Music SET Year = 1 WHERE Artist = 'Ghost' AND SongTitle = 'X'` },
          { Statement: `DELETE FROM Music WHERE Artist = 'Trio' AND SongTitle = 'Song 4'` },
        ],
      }),
    );
    assert.deepEqual(
      batch.Responses?.map((r) => [r.TableName, r.Error?.Code]),
      [['Music', undefined], ['Music', 'DuplicateItem'], ['Music', 'ConditionalCheckFailed'], ['Music', undefined]],
    );
    const reads = await c.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM Music WHERE Artist = 'Duo' AND SongTitle = 'One'` },
          { Statement: `SELECT * FROM Music WHERE Artist = 'Trio' AND SongTitle = 'Song 4'` },
          { Statement: `SELECT * FROM Music WHERE Artist = 'Trio'` },
        ],
      }),
    );
    assert.deepEqual(reads.Responses?.[0]?.Item, { Artist: { S: 'Duo' }, SongTitle: { S: 'One' } });
    assert.equal(reads.Responses?.[1]?.Item, undefined);
    assert.equal(reads.Responses?.[1]?.Error, undefined);
    assert.equal(reads.Responses?.[2]?.Error?.Code, 'ValidationError');

    // One failing condition: nothing of the transaction is written.
    const err = (await failure(
      c.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO Music VALUE {'Artist': 'Quartet', 'SongTitle': 'A'}` },
            { Statement: `UPDATE Music SET Year = 2 WHERE Artist = 'Duo' AND SongTitle = 'One' AND Year = 99` },
          ],
        }),
      ),
    )) as TransactionCanceledException;
    assert.equal(err.name, 'TransactionCanceledException');
    assert.deepEqual(err.CancellationReasons?.map((r) => r.Code), ['None', 'ConditionalCheckFailed']);
    assert.deepEqual((await sql(`SELECT * FROM Music WHERE Artist = 'Quartet'`)).Items, []);

    const token = 'partiql-token-1';
    const statements = [
      { Statement: `INSERT INTO Music VALUE {'Artist': 'Quartet', 'SongTitle': 'A'}` },
      { Statement: `UPDATE Music SET Year = ? WHERE Artist = 'Duo' AND SongTitle = 'One'`, Parameters: [{ N: '3' }] },
    ];
    await c.ddb.send(new ExecuteTransactionCommand({ TransactStatements: statements, ClientRequestToken: token }));
    // The same token and statements again: a replay, not a duplicate INSERT.
    await c.ddb.send(new ExecuteTransactionCommand({ TransactStatements: statements, ClientRequestToken: token }));
    const got = await c.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT * FROM Music WHERE Artist = 'Quartet' AND SongTitle = 'A'` },
          { Statement: `SELECT "Year" FROM Music WHERE Artist = 'Duo' AND SongTitle = 'One'` },
          { Statement: `SELECT * FROM Music WHERE Artist = 'Nobody' AND SongTitle = 'None'` },
        ],
      }),
    );
    assert.deepEqual(got.Responses, [{ Item: { Artist: { S: 'Quartet' }, SongTitle: { S: 'A' } } }, { Item: { Year: { N: '3' } } }, {}]);
    const mixed = await failure(
      c.ddb.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM Music WHERE Artist = 'Duo' AND SongTitle = 'One'` }, statements[0]!] })),
    );
    assert.equal(mixed.name, 'ValidationException');
  });

  it('DocumentClient parameters as native values; boto3 execute_statement', async () => {
    await c.doc.send(new DocExecute({ Statement: `INSERT INTO Music VALUE {'Artist': ?, 'SongTitle': ?, 'Plays': ?}`, Parameters: ['Doc', 'Native', 7] }));
    const got = await c.doc.send(new DocExecute({ Statement: `SELECT * FROM Music WHERE Artist = ? AND Plays > ?`, Parameters: ['Doc', 5] }));
    assert.deepEqual(got.Items, [{ Artist: 'Doc', SongTitle: 'Native', Plays: 7 }]);

    const script = `
import boto3, json, sys
c = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
c.execute_statement(Statement="INSERT INTO Music VALUE {'Artist': 'Py', 'SongTitle': 'Thon', 'n': 1}")
c.execute_statement(Statement="UPDATE Music SET n = n + 1 WHERE Artist = ? AND SongTitle = ?", Parameters=[{'S': 'Py'}, {'S': 'Thon'}])
out = c.execute_statement(Statement="SELECT n FROM Music WHERE Artist = 'Py'")
print(json.dumps(out['Items']))
`;
    const out = await run('python3', ['-c', script, t.platform.url]);
    assert.deepEqual(JSON.parse(out.stdout.trim()), [{ n: { N: '2' } }]);
  });
});
