/**
 * Races between nodes that only PostgreSQL has: each "node" is a store with its own connection pool
 * on the same schema. (SQLite serves one process; its suite runs these races too, through two
 * connections, in queues.test.ts and async-events.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import type { Store } from '../../src/storage/store.js';
import { message, queue } from '../helpers/store-records.js';
import { testSchema, testStoreKind, useTestStore } from '../helpers/test-store.js';

const skip = testStoreKind() === 'postgres' ? false : 'PostgreSQL only (SELFLESS_TEST_STORE=postgres)';
const HIDDEN = 10 * 60_000;

describe('races between nodes sharing PostgreSQL', () => {
  const t = useTestStore();

  /** Receivers on every node loop until `total` messages were received; `onBatch` sees each batch. */
  async function drain(nodes: Store[], name: string, fifo: boolean, total: number, onBatch: (got: { id: string; groupId?: string | undefined; receiptToken?: string | undefined }[]) => Promise<void>) {
    let received = 0;
    let round = 0;
    const receiver = async (node: Store, k: number) => {
      while (received < total) {
        const tokens = Array.from({ length: 3 }, (_, i) => `n${k}r${round++}i${i}`.padEnd(8, '0'));
        const { received: got } = await node.queues.receiveMessages(name, { now: 2000, tokens, visibleAt: 2000 + HIDDEN, fifo });
        received += got.length;
        if (got.length > 0) await onBatch(got);
        else await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(nodes.flatMap((node, n) => [0, 1, 2, 3].map((k) => receiver(node, n * 4 + k))));
  }

  it('never gives one message to two receivers on two nodes within its visibility timeout', { skip }, async () => {
    const nodes = [t().store, await t().openAnother()];
    await nodes[0]!.queues.createQueue(queue('q'));
    await nodes[0]!.queues.insertMessages([...Array(200)].map((_, i) => message('q', `m${i}`)), 0);
    const seen: string[] = [];
    await drain(nodes, 'q', false, 200, async (got) => void seen.push(...got.map((m) => m.id)));
    assert.equal(seen.length, 200);
    assert.equal(new Set(seen).size, 200, 'no message was received twice');
    assert.deepEqual(await nodes[1]!.queues.counts('q', 2000), { visible: 0, inFlight: 200, delayed: 0, oldestSentAt: 1000 });
  });

  it('never has two batches of one FIFO group in flight at once, across nodes', { skip }, async () => {
    const nodes = [t().store, await t().openAnother()];
    await nodes[0]!.queues.createQueue(queue('q.fifo'));
    const messages = [...Array(60)].map((_, i) => message('q.fifo', `m${i}`, { groupId: `g${i % 4}`, deduplicationId: `d${i}` }));
    await nodes[0]!.queues.insertMessages(messages, 0);
    const order = new Map(messages.map((m, i) => [m.id, i]));
    const held = new Set<string>();
    const delivered = new Map<string, number[]>();
    await drain(nodes, 'q.fifo', true, 60, async (got) => {
      const groups = new Set(got.map((m) => m.groupId!));
      for (const g of groups) assert.ok(!held.has(g), `group ${g} was received while another batch of it was in flight`);
      for (const g of groups) held.add(g);
      for (const m of got) delivered.set(m.groupId!, [...(delivered.get(m.groupId!) ?? []), order.get(m.id)!]);
      // Released before the delete is sent: a receive can only see the group free after the delete commits.
      for (const g of groups) held.delete(g);
      await nodes[0]!.queues.deleteMessages('q.fifo', got.map((m) => ({ id: m.id, token: m.receiptToken! })));
    });
    for (const [g, seq] of delivered) assert.deepEqual(seq, [...seq].sort((a, b) => a - b), `group ${g} in order`);
    assert.equal([...delivered.values()].flat().length, 60);
  });

  it('applies each migration once when several nodes start at once on an empty schema', { skip }, async () => {
    const schema = await testSchema();
    const stores: Store[] = [];
    try {
      stores.push(...(await Promise.all([1, 2, 3].map(() => openPostgresStore(schema.url)))));
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      const { rows } = await client.query<{ version: number }>('SELECT version FROM selfless_migrations ORDER BY version');
      await client.end();
      assert.deepEqual(rows.map((r) => r.version), MIGRATIONS.map((_, i) => i + 1));
      assert.equal(await stores[2]!.functions.count(), 0);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await schema.drop();
    }
  });
});
