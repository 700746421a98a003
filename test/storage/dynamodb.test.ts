import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeKey, partitionHash } from '../../src/services/dynamodb/key-codec.js';
import type { TableRecord } from '../../src/services/dynamodb/table.js';
import type { Item } from '../../src/services/dynamodb/values.js';
import type { ItemRef, ItemWrite } from '../../src/storage/dynamodb-repo.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const table = (name: string, extra: Partial<TableRecord> = {}): TableRecord => ({
  name,
  id: `id-${name}`,
  arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
  createdAt: 1_000,
  key: { hash: { name: 'pk', type: 'S' }, range: { name: 'n', type: 'N' } },
  attributes: [
    { name: 'pk', type: 'S' },
    { name: 'n', type: 'N' },
  ],
  billingMode: 'PAY_PER_REQUEST',
  indexes: [],
  tags: {},
  tableClass: 'STANDARD',
  deletionProtection: false,
  ...extra,
});

const ref = (pk: string, n: string, t = 'T'): ItemRef => ({ table: t, pk: encodeKey({ S: pk }), sk: encodeKey({ N: n }) });
const item = (pk: string, n: string, extra: Item = {}): Item => ({ pk: { S: pk }, n: { N: n }, ...extra });
const write = (r: ItemRef, it: Item | undefined, extra: Partial<ItemWrite> = {}): ItemWrite => ({
  ref: r,
  item: it,
  hash: partitionHash(r.pk),
  size: 10,
  expiresAt: undefined,
  indexRows: [],
  ...extra,
});
const put = (r: ItemRef, it: Item | undefined, extra: Partial<ItemWrite> = {}) => [write(r, it, extra)];

describe(`DynamoDB store (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('tables: create once, get, list in pages, update, delete with their items', async () => {
    const repo = t().store.dynamodb;
    assert.equal(await repo.createTable(table('b')), true);
    assert.equal(await repo.createTable(table('b')), false);
    await repo.createTable(table('a', { ttl: { attribute: 'exp', enabled: true } }));
    await repo.createTable(table('c'));
    assert.deepEqual(await repo.getTable('a'), table('a', { ttl: { attribute: 'exp', enabled: true } }));
    assert.deepEqual(await repo.listTables(undefined, 2), ['a', 'b']);
    assert.deepEqual(await repo.listTables('b', 10), ['c']);
    assert.deepEqual((await repo.tablesWithTtl()).map((x) => x.name), ['a']);
    assert.equal(await repo.updateTable({ ...table('c'), billingMode: 'PROVISIONED' }), true);
    assert.equal((await repo.getTable('c'))?.billingMode, 'PROVISIONED');
    await repo.writeItems([ref('x', '1', 'c')], () => put(ref('x', '1', 'c'), item('x', '1')));
    assert.equal(await repo.deleteTable('c'), true);
    assert.equal(await repo.deleteTable('c'), false);
    assert.equal(await repo.getTable('c'), undefined);
    await repo.createTable(table('c'));
    assert.deepEqual(await repo.getItems([ref('x', '1', 'c')]), [undefined], 'a re-created table starts empty');
  });

  it('writes decide from the current items; a throwing decision writes nothing', async () => {
    const repo = t().store.dynamodb;
    const r = ref('p', '1');
    await repo.writeItems([r], (cur) => (assert.deepEqual(cur, [undefined]), put(r, item('p', '1', { v: { S: 'one' } }))));
    await repo.writeItems([r, ref('p', '2')], (cur) => {
      assert.deepEqual(cur, [item('p', '1', { v: { S: 'one' } }), undefined]);
      return [...put(r, item('p', '1', { v: { S: 'two' } })), ...put(ref('p', '2'), item('p', '2'))];
    });
    await assert.rejects(
      repo.writeItems([r], () => {
        throw new Error('condition failed');
      }),
      /condition failed/,
    );
    await assert.rejects(
      repo.writeItems([ref('p', '3')], () => {
        // The first write happens inside the transaction, then the decision fails: neither stays.
        throw new Error('late');
      }),
    );
    assert.deepEqual(await repo.getItems([r, ref('p', '2'), ref('p', '3')]), [item('p', '1', { v: { S: 'two' } }), item('p', '2'), undefined]);
    await repo.writeItems([r], () => put(r, undefined));
    assert.deepEqual(await repo.getItems([r]), [undefined]);
  });

  it('queries one partition in sort key order (numbers by value), both ways, with conditions and exclusive starts', async () => {
    const repo = t().store.dynamodb;
    const ns = ['-10', '-1.5', '-1', '0', '0.001', '2', '10', '100', '1e3'];
    for (const n of ns) await repo.writeItems([ref('q', n)], () => put(ref('q', n), item('q', n)));
    await repo.writeItems([ref('other', '5')], () => put(ref('other', '5'), item('other', '5')));
    const q = (extra: object = {}) => repo.query({ table: 'T', index: undefined, pk: encodeKey({ S: 'q' }), sk: undefined, forward: true, limit: 100, ...extra });
    const ids = (items: Item[]) => items.map((i) => (i['n'] as { N: string }).N);
    assert.deepEqual(ids(await q()), ns);
    assert.deepEqual(ids(await q({ forward: false, limit: 3 })), ['1e3', '100', '10']);
    assert.deepEqual(ids(await q({ sk: { op: 'between', low: encodeKey({ N: '-1' }), high: encodeKey({ N: '10' }) } })), ['-1', '0', '0.001', '2', '10']);
    assert.deepEqual(ids(await q({ sk: { op: 'lt', value: encodeKey({ N: '0' }) } })), ['-10', '-1.5', '-1']);
    assert.deepEqual(ids(await q({ after: { sk: encodeKey({ N: '2' }) }, limit: 2 })), ['10', '100']);
    assert.deepEqual(ids(await q({ forward: false, after: { sk: encodeKey({ N: '0' }) } })), ['-1', '-1.5', '-10']);
  });

  it('string sort keys range by byte prefix; index rows follow their item and query by index key', async () => {
    const repo = t().store.dynamodb;
    const sref = (pk: string, sk: string): ItemRef => ({ table: 'S', pk: encodeKey({ S: pk }), sk: encodeKey({ S: sk }) });
    for (const [sk, status] of [['order#1', 'open'], ['order#2', 'shut'], ['orders', 'open'], ['user', 'open']] as const) {
      const r = sref('u1', sk);
      const it: Item = { pk: { S: 'u1' }, sk: { S: sk }, status: { S: status } };
      await repo.writeItems([r], () => put(r, it, { indexRows: [{ index: 'byStatus', pk: encodeKey({ S: status }), sk: encodeKey({ S: sk }), item: it }] }));
    }
    const rows = await repo.query({ table: 'S', index: undefined, pk: encodeKey({ S: 'u1' }), sk: { op: 'prefix', value: encodeKey({ S: 'order#' }) }, forward: true, limit: 10 });
    assert.deepEqual(rows.map((i) => (i['sk'] as { S: string }).S), ['order#1', 'order#2']);
    const open = () => repo.query({ table: 'S', index: 'byStatus', pk: encodeKey({ S: 'open' }), sk: undefined, forward: true, limit: 10 });
    assert.deepEqual((await open()).map((i) => (i['sk'] as { S: string }).S), ['order#1', 'orders', 'user']);
    // The item moves out of the index partition when its status changes.
    const r = sref('u1', 'orders');
    await repo.writeItems([r], () => put(r, { pk: { S: 'u1' }, sk: { S: 'orders' }, status: { S: 'shut' } }, { indexRows: [{ index: 'byStatus', pk: encodeKey({ S: 'shut' }), sk: encodeKey({ S: 'orders' }), item: {} }] }));
    assert.deepEqual((await open()).map((i) => (i['sk'] as { S: string }).S), ['order#1', 'user']);
    const page = await repo.query({ table: 'S', index: 'byStatus', pk: encodeKey({ S: 'open' }), sk: undefined, forward: true, limit: 10, after: { sk: encodeKey({ S: 'order#1' }), tablePk: encodeKey({ S: 'u1' }), tableSk: encodeKey({ S: 'order#1' }) } });
    assert.equal(page.length, 1);
    const all = await repo.scan({ table: 'S', index: 'byStatus', hashFrom: 0, hashTo: 2 ** 32, limit: 10 });
    assert.equal(all.length, 4);
    await repo.dropIndex('S', 'byStatus');
    assert.deepEqual(await open(), []);
  });

  it('scans by partition hash in pages and segments; counts items and finds the expired', async () => {
    const repo = t().store.dynamodb;
    for (let i = 0; i < 20; i++) {
      const r = ref(`p${i}`, '1');
      await repo.writeItems([r], () => put(r, item(`p${i}`, '1'), { size: 100, expiresAt: i < 5 ? 1_000 + i : undefined }));
    }
    const seen: string[] = [];
    let after: { hash: number; pk: Buffer; sk: Buffer } | undefined;
    for (;;) {
      const page = await repo.scan({ table: 'T', index: undefined, hashFrom: 0, hashTo: 2 ** 32, after, limit: 7 });
      if (page.length === 0) break;
      seen.push(...page.map((p) => (p.item['pk'] as { S: string }).S));
      const last = page[page.length - 1]!;
      after = { hash: last.hash, pk: encodeKey(last.item['pk']!), sk: encodeKey(last.item['n']!) };
    }
    assert.equal(new Set(seen).size, 20);
    const low = await repo.scan({ table: 'T', index: undefined, hashFrom: 0, hashTo: 2 ** 31, limit: 100 });
    const high = await repo.scan({ table: 'T', index: undefined, hashFrom: 2 ** 31, hashTo: 2 ** 32, limit: 100 });
    assert.equal(low.length + high.length, 20);
    assert.deepEqual(await repo.stats('T'), { count: 20, bytes: 2000 });
    const expired = await repo.expired('T', 1_003, 10);
    assert.equal(expired.length, 3);
  });

  it('stream records: appended with their write, numbered in commit order, read after a sequence, trimmed by age', async () => {
    const repo = t().store.dynamodb;
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/label';
    for (let i = 0; i < 5; i++) {
      const r = ref('s', String(i));
      await repo.writeItems([r], () => put(r, item('s', String(i)), { stream: { arn, record: JSON.stringify({ i }), at: 1_000 * i } }));
    }
    await assert.rejects(repo.writeItems([ref('s', '9')], () => {
      throw new Error('no');
    }));
    const all = await repo.streamRecords(arn, 0, 100);
    assert.deepEqual(all.map((r) => JSON.parse(r.record).i), [0, 1, 2, 3, 4]);
    assert.ok(all.every((r, i) => i === 0 || r.sequence > all[i - 1]!.sequence));
    assert.equal(await repo.lastSequence(arn), all[4]!.sequence);
    assert.deepEqual((await repo.streamRecords(arn, all[2]!.sequence, 1)).map((r) => JSON.parse(r.record).i), [3]);
    assert.equal(await repo.trimStreams(2_000), 2);
    assert.deepEqual((await repo.streamRecords(arn, 0, 100)).map((r) => JSON.parse(r.record).i), [2, 3, 4]);
    assert.equal(await repo.lastSequence('arn:none'), 0);
  });

  it('request tokens: a replay writes nothing, another request under the token is refused, a failed write keeps no token', async () => {
    const repo = t().store.dynamodb;
    const r = ref('tok', '1');
    let decided = 0;
    const decide = () => (decided++, put(r, item('tok', '1')));
    const token = (digest: string, at: number) => ({ id: 'token-1', digest, at, since: at - 600_000 });
    await assert.rejects(repo.writeItems([r], () => {
      throw new Error('cancelled');
    }, token('d1', 1_000_000)));
    assert.equal(await repo.writeItems([r], decide, token('d1', 1_000_000)), 'written');
    assert.equal(await repo.writeItems([r], decide, token('d1', 1_000_100)), 'replayed');
    assert.equal(await repo.writeItems([r], decide, token('d2', 1_000_200)), 'mismatch');
    assert.equal(decided, 1);
    assert.equal(await repo.writeItems([r], decide, token('d2', 1_700_000)), 'written', 'forgotten after its time');
    assert.equal(await repo.writeItems([r], decide), 'written');
  });

  it('concurrent conditional writes to one item never both see it absent', async () => {
    const repo = t().store.dynamodb;
    const other = await t().openAnother();
    const r = ref('race', '1');
    let created = 0;
    const attempt = (store: typeof repo) =>
      store
        .writeItems([r], (cur) => {
          if (cur[0] !== undefined) throw new Error('exists');
          created++;
          return put(r, item('race', '1'));
        })
        .catch(() => undefined);
    await Promise.all([attempt(repo), attempt(other.dynamodb), attempt(repo), attempt(other.dynamodb)]);
    assert.equal(created, 1);
  });

  it('a blind write (nothing read first) replaces the item and its index rows', async () => {
    const repo = t().store.dynamodb;
    const r = ref('blind', '1');
    const row = (status: string) => ({ index: 'byStatus', pk: encodeKey({ S: status }), sk: encodeKey({ S: 'x' }), item: {} });
    await repo.writeItems([r], () => put(r, item('blind', '1', { v: { S: 'old' } }), { indexRows: [row('open')], indexed: true }));
    const seen: (Item | undefined)[] = [];
    await repo.writeItems(
      [r],
      ([current]) => {
        seen.push(current);
        return put(r, item('blind', '1', { v: { S: 'new' } }), { indexRows: [row('shut')], indexed: true });
      },
      undefined,
      { blind: true },
    );
    assert.equal(seen.length, 1);
    assert.deepEqual((await repo.getItems([r]))[0]?.['v'], { S: 'new' });
    const byStatus = (status: string) => repo.query({ table: 'T', index: 'byStatus', pk: encodeKey({ S: status }), sk: undefined, forward: true, limit: 10 });
    assert.deepEqual(await byStatus('open'), [], 'the old index row is gone');
    assert.equal((await byStatus('shut')).length, 1);
  });

  it('concurrent writes stand or fall alone: a refused one, with or without a token, leaves the others written', async () => {
    const repo = t().store.dynamodb;
    const refs = ['1', '2', '3', '4'].map((n) => ref('alone', n));
    const token = { id: 'token-alone', digest: 'd', at: 1_000_000, since: 400_000 };
    const settled = await Promise.allSettled(
      refs.map((r, i) =>
        repo.writeItems(
          [r],
          () => {
            if (i % 2 === 1) throw new Error(`refused ${i}`);
            return put(r, item('alone', String(i + 1)));
          },
          i === 3 ? token : undefined,
        ),
      ),
    );
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      ['written', 'refused 1', 'written', 'refused 3'],
    );
    assert.deepEqual(
      (await repo.getItems(refs)).map((i) => i?.['n']),
      [{ N: '1' }, undefined, { N: '3' }, undefined],
    );
    assert.equal(await repo.writeItems([refs[3]!], () => put(refs[3]!, item('alone', '4')), token), 'written', 'the refused request kept no token');
  });
});
