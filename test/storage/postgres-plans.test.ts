/**
 * Plans PostgreSQL chooses for the queue statements that look messages up by id, with statistics that
 * do not know the queue yet (it was created after the table's last ANALYZE): each must reach
 * queue_messages through the id's unique index, never through an index on the queue, which would read
 * every message the queue holds (seen in bench/fleet.mjs: 50–90 ms a call at 27,000 messages).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
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
  Plans?: PlanNode[];
}

/** Every scan of `relation` in the plan: its node type and index. */
function scansOf(node: PlanNode, relation: string, out: string[] = []): string[] {
  if (node['Relation Name'] === relation && node['Node Type'] !== 'ModifyTable') out.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
  for (const child of node.Plans ?? []) scansOf(child, relation, out);
  return out;
}

describe('queue statements on PostgreSQL find messages by id whatever the statistics say', { skip }, () => {
  let schema: TestSchema;
  let store: Store;
  let client: pg.Client;

  before(async () => {
    if (skip) return;
    schema = await testSchema();
    store = await openPostgresStore(schema.url);
    client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    // The statistics stay as the test makes them.
    await client.query('ALTER TABLE queue_messages SET (autovacuum_enabled = false)');
    await store.queues.createQueue(queue('old'));
    for (let i = 0; i < 20; i++) await store.queues.insertMessages([...Array(1000)].map((_, k) => message('old', `o${i}-${k}`)), 0);
    await client.query('ANALYZE queue_messages');
    await store.queues.createQueue(queue('new'));
    for (let i = 0; i < 5; i++) await store.queues.insertMessages([...Array(1000)].map((_, k) => message('new', `n${i}-${k}`)), 0);
  });

  after(async () => {
    if (skip) return;
    await client.end();
    await store.close();
    await schema.drop();
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
      const estimate = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>("EXPLAIN (FORMAT JSON) SELECT * FROM queue_messages WHERE queue = 'new'");
      const rows = (estimate.rows[0]!['QUERY PLAN'][0].Plan as PlanNode & { 'Plan Rows': number })['Plan Rows'];
      assert.ok(rows < 100, `the statistics should not know queue 'new' (estimated ${rows} rows)`);
      const { rows: plan } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${LOOKUPS_BY_ID[name]}`, params);
      const scans = scansOf(plan[0]!['QUERY PLAN'][0].Plan, 'queue_messages');
      assert.ok(scans.length > 0, 'the plan reads queue_messages');
      for (const scan of scans) assert.match(scan, /^(Index|Bitmap Index) Scan queue_messages_id_key$/, `${name}: ${scans.join(', ')}`);
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
