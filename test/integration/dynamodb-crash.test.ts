import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BatchGetItemCommand, CreateTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClients } from '../helpers/dynamodb.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const ITEMS = 300;
const CONCURRENCY = 16;

async function activeTable(ddb: DynamoDBClient, TableName: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 200; i++) {
    if ((await ddb.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${TableName} never became ACTIVE`);
}

// The SQLite store's promise: a write the client saw acknowledged is in the WAL, which outlives the
// process, whether or not a checkpoint has copied it into the database file yet.
describe('DynamoDB: acknowledged writes survive a SIGKILL of the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'selfless-ddb-crash-'));
  const servers: ServerProcess[] = [];
  after(async () => {
    for (const s of servers) {
      s.kill('SIGKILL');
      await s.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps all ${ITEMS} PutItems acknowledged before the kill, after a restart on the same data dir`, { timeout: 120_000 }, async () => {
    const first = await startServerProcess(dir);
    servers.push(first);
    const a = dynamoClients(first.url);
    await activeTable(a.ddb, 'crash');
    // Concurrent writes, so that several commit together, then the kill right after the last answer.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ITEMS) {
          const n = next++;
          await a.ddb.send(new PutItemCommand({ TableName: 'crash', Item: { pk: { S: `k${n}` }, n: { N: String(n) } } }));
        }
      }),
    );
    first.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    a.destroy();

    const second = await startServerProcess(dir);
    servers.push(second);
    const b = dynamoClients(second.url);
    const found = new Set<string>();
    for (let i = 0; i < ITEMS; i += 100) {
      const Keys = Array.from({ length: Math.min(100, ITEMS - i) }, (_, j) => ({ pk: { S: `k${i + j}` } }));
      const out = await b.ddb.send(new BatchGetItemCommand({ RequestItems: { crash: { Keys } } }));
      for (const item of out.Responses?.['crash'] ?? []) {
        assert.equal(item['pk']!.S, `k${item['n']!.N}`);
        found.add(item['pk']!.S!);
      }
    }
    b.destroy();
    assert.equal(found.size, ITEMS);
  });
});
