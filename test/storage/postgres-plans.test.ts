/**
 * Plans PostgreSQL chooses for statements that find rows by a key, with statistics that do not know
 * the partition the rows belong to yet (a queue, a table, a stream or a function created after the
 * last ANALYZE): each must reach its rows through the key's index, never through an index that leads
 * with the partition, which would read every row the partition holds (seen in bench/fleet.mjs: 50–90 ms
 * a call at 27,000 messages).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { LOOKUPS_BY_ID as ASYNC_LOOKUPS } from '../../src/storage/postgres/async-event-repo.js';
import { LOOKUPS_BY_KEY } from '../../src/storage/postgres/dynamodb-repo.js';
import { SHARD_READS } from '../../src/storage/postgres/kinesis-repo.js';
import { recordsQuery } from '../../src/storage/postgres/log-repo.js';
import { openPostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { LOOKUPS_BY_ID } from '../../src/storage/postgres/queue-repo.js';
import type { Store } from '../../src/storage/store.js';
import { message, queue } from '../helpers/store-records.js';
import { testSchema, testStoreKind, type TestSchema } from '../helpers/test-store.js';

const skip = testStoreKind() === 'postgres' ? false : 'PostgreSQL only (SELFLESS_TEST_STORE=postgres)';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}
type Explained = { 'QUERY PLAN': [{ Plan: PlanNode }] };

/** Every scan of `relation` in the plan: its node type and index. */
function scansOf(node: PlanNode, relation: string, out: string[] = []): string[] {
  if (node['Relation Name'] === relation && node['Node Type'] !== 'ModifyTable') out.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
  for (const child of node.Plans ?? []) scansOf(child, relation, out);
  return out;
}

describe('statements on PostgreSQL find rows by their key whatever the statistics say of the partition', { skip }, () => {
  let schema: TestSchema;
  let store: Store;
  let client: pg.Client;

  before(async () => {
    if (skip) return;
    schema = await testSchema();
    store = await openPostgresStore(schema.url);
    client = new pg.Client({ connectionString: schema.url });
    await client.connect();
  });

  after(async () => {
    if (skip) return;
    await client.end();
    await store.close();
    await schema.drop();
  });

  /**
   * Fills `tables` with rows of an old partition, analyses them (autovacuum kept off, so the statistics
   * stay as made), then adds rows of a new partition that the statistics do not know.
   */
  async function staleStatistics(tables: string[], fillOld: () => Promise<unknown>, fillNew: () => Promise<unknown>): Promise<void> {
    for (const table of tables) await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    await fillOld();
    for (const table of tables) await client.query(`ANALYZE ${table}`);
    await fillNew();
  }

  /** Asserts the statistics take the new partition for (nearly) empty, as the hazard needs. */
  async function assertUnknown(table: string, where: string): Promise<void> {
    const { rows } = await client.query<Explained>(`EXPLAIN (FORMAT JSON) SELECT * FROM ${table} WHERE ${where}`);
    const estimate = rows[0]!['QUERY PLAN'][0].Plan['Plan Rows']!;
    assert.ok(estimate < 100, `the statistics should not know ${where} (estimated ${estimate} rows)`);
  }

  /** Asserts every scan of `table` in the statement's plan uses `index`. */
  async function assertReachedThrough(table: string, index: string, sql: string, params: unknown[]): Promise<void> {
    const { rows } = await client.query<Explained>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const scans = scansOf(rows[0]!['QUERY PLAN'][0].Plan, table);
    assert.ok(scans.length > 0, `the plan reads ${table}`);
    for (const scan of scans) assert.match(scan, new RegExp(`^(Index|Bitmap Index) Scan ${index}$`), scans.join(', '));
  }

  describe('queue_messages: messages by id, whatever the statistics say of the queue', () => {
    before(async () => {
      if (skip) return;
      await staleStatistics(
        ['queue_messages'],
        async () => {
          await store.queues.createQueue(queue('old'));
          for (let i = 0; i < 20; i++) await store.queues.insertMessages([...Array(1000)].map((_, k) => message('old', `o${i}-${k}`)), 0);
        },
        async () => {
          await store.queues.createQueue(queue('new'));
          for (let i = 0; i < 5; i++) await store.queues.insertMessages([...Array(1000)].map((_, k) => message('new', `n${i}-${k}`)), 0);
        },
      );
    });

    const ids = [...Array(10)].map((_, k) => `n2-${k}`);
    const tokens = ids.map((_, k) => `token${k}`);
    const cases: [keyof typeof LOOKUPS_BY_ID, unknown[]][] = [
      ['MARK_RECEIVED', ['new', 5000, 2000, ids, tokens]],
      ['DELETE_BY_HANDLE', ['new', ids, tokens]],
      ['MOVE', ['old', 2000, null, 'new', ids]],
      ['CHANGE_VISIBILITY', [5000, ids[0], 'new', tokens[0], 2000]],
    ];
    for (const [name, params] of cases) {
      it(`${name} reaches the messages through their id`, async () => {
        await assertUnknown('queue_messages', "queue = 'new'");
        await assertReachedThrough('queue_messages', 'queue_messages_id_key', LOOKUPS_BY_ID[name], params);
      });
    }

    it('still serves the new queue: receive, change visibility, delete', async () => {
      const { received } = await store.queues.receiveMessages('new', { now: 2000, tokens: ['r1', 'r2'], visibleAt: 9000, fifo: false });
      assert.equal(received.length, 2);
      const [a, b] = received;
      assert.deepEqual(await store.queues.changeVisibility('new', 2000, [{ id: a!.id, token: a!.receiptToken!, visibleAt: 3000 }]), [true]);
      // A handle names its queue: through another queue's name it deletes nothing.
      await store.queues.deleteMessages('old', [{ id: b!.id, token: b!.receiptToken! }]);
      assert.equal((await store.queues.counts('new', 2000)).inFlight, 2);
      assert.deepEqual(await store.queues.deleteMessages('new', [{ id: b!.id, token: b!.receiptToken! }, { id: a!.id, token: 'stale' }]), [true, false]);
      assert.equal((await store.queues.counts('new', 2000)).inFlight, 1);
      assert.equal((await store.queues.counts('new', 2000)).visible, 4998);
    });
  });

  describe('async_events: an event by id, whatever the statistics say of its state', () => {
    // All events had finished at the last ANALYZE; a burst queued since.
    const fill = (prefix: string, state: string, n: number) => () =>
      client.query(
        `INSERT INTO async_events (id, function_name, state, payload, accepted_at, next_attempt_at, attempts, detail)
         SELECT $1 || g, 'f', $2, '\\x00', 0, 0, 0, '{}' FROM generate_series(1, $3) g`,
        [prefix, state, n],
      );
    before(async () => {
      if (!skip) await staleStatistics(['async_events'], fill('old', 'succeeded', 20_000), fill('new', 'queued', 5000));
    });

    it('UPDATE (a change of state) reaches the event through its id', async () => {
      await assertUnknown('async_events', "state = 'queued'");
      const params = ['new2500', 'running', 0, 0, 1, null, '{}', ['queued'], 'node', null];
      await assertReachedThrough('async_events', 'async_events_id_key', ASYNC_LOOKUPS.UPDATE, params);
    });
  });

  describe('ddb_items and ddb_index_items: an item by key, whatever the statistics say of the table', () => {
    const fill = (table: string, n: number) => async () => {
      await client.query(
        `INSERT INTO ddb_items (table_name, pk, sk, hash, item, size)
         SELECT $1, convert_to('p' || g / 10, 'UTF8'), convert_to('s' || g, 'UTF8'), g, '{}', 1 FROM generate_series(1, $2) g`,
        [table, n],
      );
      await client.query(
        `INSERT INTO ddb_index_items (table_name, index_name, pk, sk, table_pk, table_sk, hash, item)
         SELECT $1, 'gsi', convert_to('i' || g / 10, 'UTF8'), convert_to('s' || g, 'UTF8'), convert_to('p' || g / 10, 'UTF8'), convert_to('s' || g, 'UTF8'), g, '{}'
         FROM generate_series(1, $2) g`,
        [table, n],
      );
    };
    before(async () => {
      if (!skip) await staleStatistics(['ddb_items', 'ddb_index_items'], fill('old', 20_000), fill('new', 5000));
    });

    const key = ['new', Buffer.from('p250'), Buffer.from('s2500')];
    it('GET_ITEM reaches the item through the primary key', async () => {
      await assertUnknown('ddb_items', "table_name = 'new'");
      await assertReachedThrough('ddb_items', 'ddb_items_pkey', LOOKUPS_BY_KEY.GET_ITEM, key);
    });
    it('DELETE_ITEM reaches the item through the primary key', async () => {
      await assertReachedThrough('ddb_items', 'ddb_items_pkey', LOOKUPS_BY_KEY.DELETE_ITEM, key);
    });
    it("DELETE_INDEX_ROWS reaches the item's index rows through the item's index", async () => {
      await assertUnknown('ddb_index_items', "table_name = 'new'");
      await assertReachedThrough('ddb_index_items', 'ddb_index_items_by_item', LOOKUPS_BY_KEY.DELETE_INDEX_ROWS, key);
    });
  });

  describe('kinesis_records: a shard read, whatever the statistics say of the stream', () => {
    const fill = (stream: string, n: number) => () =>
      client.query(
        `INSERT INTO kinesis_records (stream, shard_id, sequence, partition_key, data, arrived_at)
         SELECT $1, 'shardId-000000000000', g, 'k', '\\x00', 1000 + g FROM generate_series(1, $2) g`,
        [stream, n],
      );
    before(async () => {
      if (!skip) await staleStatistics(['kinesis_records'], fill('old', 20_000), fill('new', 5000));
    });

    it('READ_RECORDS reads the shard along the primary key', async () => {
      await assertUnknown('kinesis_records', "stream = 'new'");
      await assertReachedThrough('kinesis_records', 'kinesis_records_pkey', SHARD_READS.READ_RECORDS, ['new', 'shardId-000000000000', 4000, 0, 100]);
    });
  });

  describe("log_records: a request's lines, within its function's records whatever the statistics say", () => {
    const fill = (fn: string, n: number) => () =>
      client.query(
        `INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines)
         SELECT $1, 's', $1 || '-' || g, g, g, g, 'x' FROM generate_series(1, $2) g`,
        [fn, n],
      );
    before(async () => {
      if (!skip) await staleStatistics(['log_records'], fill('old', 20_000), fill('new', 5000));
    });

    it("a query for one request reads the function's records through its index, not the table", async () => {
      await assertUnknown('log_records', "function_name = 'new'");
      const { sql, params } = recordsQuery({ functionName: 'new', requestId: 'new-4000', limit: 100 });
      await assertReachedThrough('log_records', 'log_records_by_function', sql, params);
    });
  });
});
