import { parseTable, type TableRecord } from '../../services/dynamodb/table.js';
import { parseStoredItem, serializeItem, type Item } from '../../services/dynamodb/values.js';
import type { DynamoDbRepo, ItemRef, KeyQuery, RequestToken, ScanQuery, StoredStreamRecord, WriteDecision, WriteHints, WriteOutcome } from '../dynamodb-repo.js';
import { sortClause } from '../rows/dynamodb-rows.js';
import { changed, lock, transaction, type Db, type Queryable } from './db.js';

/** Advisory lock spaces of DynamoDB writes (see LockSpace in db.ts for the others). */
const Locks = {
  /** One item: a conditional write reads and writes it with no other writer in between. */
  item: 0x5e1f00d1,
  /** One stream: records get their sequence numbers in the order their transactions commit. */
  stream: 0x5e1f00d2,
  /** One client request token: a retried transaction sent to two nodes at once writes once. */
  token: 0x5e1f00d3,
} as const;

/*
 * Statements that find one item (or its index rows) by key give the table as `(SELECT $1::text)`: its
 * value is then unknown when planning, and the planner sizes the table by the average (n_distinct).
 * Given the name, it sizes the table by its statistics, where a table created since the last ANALYZE
 * looks empty; every index leads with table_name, so the costs tie and it may scan the hash index (or
 * the index rows' primary key), reading every entry of that table for one item.
 */
const GET_ITEM = 'SELECT item FROM ddb_items WHERE table_name = (SELECT $1::text) AND pk = $2 AND sk = $3';
const DELETE_ITEM = 'DELETE FROM ddb_items WHERE table_name = (SELECT $1::text) AND pk = $2 AND sk = $3';
const DELETE_INDEX_ROWS = 'DELETE FROM ddb_index_items WHERE table_name = (SELECT $1::text) AND table_pk = $2 AND table_sk = $3';
/** The statements above, for the test that checks their plans. */
export const LOOKUPS_BY_KEY = { GET_ITEM, DELETE_ITEM, DELETE_INDEX_ROWS } as const;

const refKey = (r: ItemRef) => `${r.table}|${r.pk.toString('hex')}|${r.sk.toString('hex')}`;

/**
 * The same rows as the SQLite adapter, in BYTEA (compared as bytes). A write locks its items (in a
 * fixed order, so two transactions never wait on each other in a cycle), reads, decides and writes
 * in one transaction; its stream record is appended under the stream's lock, taken last.
 */
export class PostgresDynamoDbRepo implements DynamoDbRepo {
  constructor(private readonly db: Db) {}

  async createTable(t: TableRecord): Promise<boolean> {
    return changed(await this.db.query('INSERT INTO ddb_tables (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [t.name, JSON.stringify(t)])) === 1;
  }

  async getTable(name: string): Promise<TableRecord | undefined> {
    const { rows } = await this.db.query<{ record: string }>('SELECT record FROM ddb_tables WHERE name = $1', [name]);
    return rows[0] ? parseTable(rows[0].record) : undefined;
  }

  async listTables(after: string | undefined, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ name: string }>('SELECT name FROM ddb_tables WHERE name > $1 ORDER BY name LIMIT $2', [after ?? '', limit]);
    return rows.map((r) => r.name);
  }

  async updateTable(t: TableRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE ddb_tables SET record = $1 WHERE name = $2', [JSON.stringify(t), t.name])) === 1;
  }

  async deleteTable(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM ddb_items WHERE table_name = $1', [name]);
      await tx.query('DELETE FROM ddb_index_items WHERE table_name = $1', [name]);
      return changed(await tx.query('DELETE FROM ddb_tables WHERE name = $1', [name])) === 1;
    });
  }

  async tablesWithTtl(): Promise<TableRecord[]> {
    const { rows } = await this.db.query<{ record: string }>('SELECT record FROM ddb_tables ORDER BY name');
    return rows.map((r) => parseTable(r.record)).filter((t) => t.ttl?.enabled);
  }

  private async read(q: Queryable, refs: readonly ItemRef[]): Promise<(Item | undefined)[]> {
    if (refs.length === 0) return [];
    if (refs.length === 1) {
      const r = refs[0]!;
      const { rows } = await q.query<{ item: string }>(GET_ITEM, [r.table, r.pk, r.sk]);
      return [rows[0] ? parseStoredItem(rows[0].item) : undefined];
    }
    // Many keys in one round trip: the refs as parallel arrays, joined back by position.
    const { rows } = await q.query<{ n: number; item: string }>(
      `SELECT k.n::int AS n, i.item FROM unnest($1::text[], $2::bytea[], $3::bytea[]) WITH ORDINALITY AS k(t, pk, sk, n)
       JOIN ddb_items i ON i.table_name = k.t AND i.pk = k.pk AND i.sk = k.sk`,
      [refs.map((r) => r.table), refs.map((r) => r.pk), refs.map((r) => r.sk)],
    );
    const out: (Item | undefined)[] = refs.map(() => undefined);
    for (const r of rows) out[r.n - 1] = parseStoredItem(r.item);
    return out;
  }

  async getItems(refs: readonly ItemRef[]): Promise<(Item | undefined)[]> {
    return this.read(this.db, refs);
  }

  async writeItems(refs: readonly ItemRef[], decide: WriteDecision, token?: RequestToken, hints?: WriteHints): Promise<WriteOutcome> {
    return transaction(this.db, async (tx): Promise<WriteOutcome> => {
      if (token) {
        await lock(tx, Locks.token, token.id);
        await tx.query('DELETE FROM ddb_transaction_tokens WHERE at < $1', [token.since]);
        const { rows } = await tx.query<{ digest: string }>('SELECT digest FROM ddb_transaction_tokens WHERE token = $1', [token.id]);
        if (rows[0]) return rows[0].digest === token.digest ? 'replayed' : 'mismatch';
        await tx.query('INSERT INTO ddb_transaction_tokens (token, digest, at) VALUES ($1, $2, $3)', [token.id, token.digest, token.at]);
      }
      for (const key of [...new Set(refs.map(refKey))].sort()) await lock(tx, Locks.item, key);
      const writes = decide(hints?.blind ? refs.map(() => undefined) : await this.read(tx, refs));
      const streams = [...new Set(writes.flatMap((w) => (w.stream ? [w.stream.arn] : [])))].sort();
      for (const arn of streams) await lock(tx, Locks.stream, arn);
      for (const w of writes) {
        const { table, pk, sk } = w.ref;
        if (w.item === undefined) await tx.query(DELETE_ITEM, [table, pk, sk]);
        else
          await tx.query(
            `INSERT INTO ddb_items (table_name, pk, sk, hash, item, size, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (table_name, pk, sk) DO UPDATE SET hash = excluded.hash, item = excluded.item, size = excluded.size, expires_at = excluded.expires_at`,
            [table, pk, sk, w.hash, serializeItem(w.item), w.size, w.expiresAt ?? null],
          );
        if (w.indexed !== false) await tx.query(DELETE_INDEX_ROWS, [table, pk, sk]);
        if (w.indexRows.length > 0)
          await tx.query(
            `INSERT INTO ddb_index_items (table_name, index_name, pk, sk, table_pk, table_sk, hash, item)
             SELECT $1, x.index_name, x.pk, x.sk, $2, $3, $4, x.item FROM unnest($5::text[], $6::bytea[], $7::bytea[], $8::text[]) AS x(index_name, pk, sk, item)`,
            [table, pk, sk, w.hash, w.indexRows.map((r) => r.index), w.indexRows.map((r) => r.pk), w.indexRows.map((r) => r.sk), w.indexRows.map((r) => serializeItem(r.item))],
          );
        if (w.stream) await tx.query('INSERT INTO ddb_stream_records (stream_arn, at, record) VALUES ($1, $2, $3)', [w.stream.arn, w.stream.at, w.stream.record]);
      }
      return 'written';
    });
  }

  async query(q: KeyQuery): Promise<Item[]> {
    const params: unknown[] = [q.table, q.pk];
    const bind = (_name: string, v: unknown) => (params.push(v), `$${params.length}`);
    const dir = q.forward ? 'ASC' : 'DESC';
    const cmp = q.forward ? '>' : '<';
    const parts: string[] = [];
    const sk = sortClause(q.sk, bind, (col, n, p) => `substring(${col} from 1 for ${n}) = ${p}`);
    if (sk) parts.push(sk);
    let sql: string;
    if (q.index === undefined) {
      if (q.after) parts.push(`sk ${cmp} ${bind('afterSk', q.after.sk)}`);
      sql = `SELECT item FROM ddb_items WHERE table_name = $1 AND pk = $2 ${parts.map((p) => `AND ${p}`).join(' ')} ORDER BY sk ${dir} LIMIT ${bind('limit', q.limit)}`;
    } else {
      const index = bind('index', q.index);
      if (q.after) parts.push(`(sk, table_pk, table_sk) ${cmp} (${bind('a', q.after.sk)}, ${bind('b', q.after.tablePk)}, ${bind('c', q.after.tableSk)})`);
      sql = `SELECT item FROM ddb_index_items WHERE table_name = $1 AND index_name = ${index} AND pk = $2 ${parts.map((p) => `AND ${p}`).join(' ')}
             ORDER BY sk ${dir}, table_pk ${dir}, table_sk ${dir} LIMIT ${bind('limit', q.limit)}`;
    }
    const { rows } = await this.db.query<{ item: string }>(sql, params);
    return rows.map((r) => parseStoredItem(r.item));
  }

  async scan(q: ScanQuery): Promise<{ item: Item; hash: number }[]> {
    const params: unknown[] = [q.table, q.hashFrom, q.hashTo, q.limit];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    let sql: string;
    if (q.index === undefined) {
      const after = q.after ? `AND (hash, pk, sk) > (${bind(q.after.hash)}, ${bind(q.after.pk)}, ${bind(q.after.sk)})` : '';
      sql = `SELECT item, hash FROM ddb_items WHERE table_name = $1 AND hash >= $2 AND hash < $3 ${after} ORDER BY hash, pk, sk LIMIT $4`;
    } else {
      const index = bind(q.index);
      const after = q.after
        ? `AND (hash, pk, sk, table_pk, table_sk) > (${bind(q.after.hash)}, ${bind(q.after.pk)}, ${bind(q.after.sk)}, ${bind(q.after.tablePk)}, ${bind(q.after.tableSk)})`
        : '';
      sql = `SELECT item, hash FROM ddb_index_items WHERE table_name = $1 AND index_name = ${index} AND hash >= $2 AND hash < $3 ${after}
             ORDER BY hash, pk, sk, table_pk, table_sk LIMIT $4`;
    }
    const { rows } = await this.db.query<{ item: string; hash: number }>(sql, params);
    return rows.map((r) => ({ item: parseStoredItem(r.item), hash: Number(r.hash) }));
  }

  async stats(table: string): Promise<{ count: number; bytes: number }> {
    const { rows } = await this.db.query<{ count: number; bytes: number | null }>(
      'SELECT COUNT(*)::int AS count, SUM(size)::bigint AS bytes FROM ddb_items WHERE table_name = $1',
      [table],
    );
    return { count: rows[0]!.count, bytes: Number(rows[0]!.bytes ?? 0) };
  }

  async expired(table: string, nowSeconds: number, limit: number): Promise<ItemRef[]> {
    const { rows } = await this.db.query<{ pk: Buffer; sk: Buffer }>(
      'SELECT pk, sk FROM ddb_items WHERE table_name = $1 AND expires_at IS NOT NULL AND expires_at < $2 ORDER BY expires_at LIMIT $3',
      [table, nowSeconds, limit],
    );
    return rows.map((r) => ({ table, pk: r.pk, sk: r.sk }));
  }

  async dropIndex(table: string, index: string): Promise<void> {
    await this.db.query('DELETE FROM ddb_index_items WHERE table_name = $1 AND index_name = $2', [table, index]);
  }

  async streamRecords(arn: string, after: number, limit: number): Promise<StoredStreamRecord[]> {
    const { rows } = await this.db.query<{ seq: number; at: number; record: string }>(
      'SELECT seq, at, record FROM ddb_stream_records WHERE stream_arn = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [arn, after, limit],
    );
    return rows.map((r) => ({ sequence: r.seq, at: r.at, record: r.record }));
  }

  async lastSequence(arn: string): Promise<number> {
    const { rows } = await this.db.query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM ddb_stream_records WHERE stream_arn = $1', [arn]);
    return rows[0]?.seq ?? 0;
  }

  async trimStreams(before: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM ddb_stream_records WHERE at < $1', [before]));
  }
}
