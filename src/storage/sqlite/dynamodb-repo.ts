import type Database from 'better-sqlite3';
import { GroupCommit } from '../../lib/group-commit.js';
import { parseTable, type TableRecord } from '../../services/dynamodb/table.js';
import { parseStoredItem, serializeItem, type Item } from '../../services/dynamodb/values.js';
import type { DynamoDbRepo, ItemRef, ItemWrite, KeyQuery, RequestToken, ScanQuery, StoredStreamRecord, WriteDecision, WriteHints, WriteOutcome } from '../dynamodb-repo.js';
import { sortClause } from '../rows/dynamodb-rows.js';

type Params = Record<string, unknown>;

interface WriteRequest {
  refs: readonly ItemRef[];
  decide: WriteDecision;
  token: RequestToken | undefined;
  blind: boolean;
}
type Settled = { ok: true; outcome: WriteOutcome } | { ok: false; error: unknown };

/**
 * DynamoDB tables as JSON records; items, index rows and stream records as rows keyed by encoded
 * keys (BLOBs compare as bytes). better-sqlite3 is synchronous: a write's read, decision and writes
 * run in one transaction that nothing else interleaves with, and stream sequence numbers follow it.
 */
export class SqliteDynamoDbRepo implements DynamoDbRepo {
  private readonly s;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly writeTx: (r: WriteRequest) => WriteOutcome;
  private readonly deleteTableTx: (name: string) => boolean;
  /** Writes from concurrent requests commit together: a commit costs more than the rows it carries. */
  private readonly writes: GroupCommit<WriteRequest, Settled>;
  /**
   * Every item call reads its table: records are kept here and dropped by this repo's own changes
   * to a table, since a SQLite store belongs to one server (several share PostgreSQL).
   */
  private readonly tables = new Map<string, TableRecord>();

  constructor(private readonly db: Database.Database) {
    this.s = {
      insertTable: db.prepare<[string, string]>('INSERT OR IGNORE INTO ddb_tables (name, record) VALUES (?, ?)'),
      getTable: db.prepare<[string], { record: string }>('SELECT record FROM ddb_tables WHERE name = ?'),
      listTables: db.prepare<[string, number], { name: string }>('SELECT name FROM ddb_tables WHERE name > ? ORDER BY name LIMIT ?'),
      allTables: db.prepare<[], { record: string }>('SELECT record FROM ddb_tables ORDER BY name'),
      updateTable: db.prepare<[string, string]>('UPDATE ddb_tables SET record = ? WHERE name = ?'),
      deleteTable: db.prepare<[string]>('DELETE FROM ddb_tables WHERE name = ?'),
      deleteItems: db.prepare<[string]>('DELETE FROM ddb_items WHERE table_name = ?'),
      deleteIndexItems: db.prepare<[string]>('DELETE FROM ddb_index_items WHERE table_name = ?'),
      getItem: db.prepare<[string, Buffer, Buffer], string>('SELECT item FROM ddb_items WHERE table_name = ? AND pk = ? AND sk = ?').pluck(),
      putItem: db.prepare<[string, Buffer, Buffer, number, string, number, number | null]>(
        'INSERT OR REPLACE INTO ddb_items (table_name, pk, sk, hash, item, size, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteItem: db.prepare<[string, Buffer, Buffer]>('DELETE FROM ddb_items WHERE table_name = ? AND pk = ? AND sk = ?'),
      deleteRowsOf: db.prepare<[string, Buffer, Buffer]>('DELETE FROM ddb_index_items WHERE table_name = ? AND table_pk = ? AND table_sk = ?'),
      putIndexRow: db.prepare<[string, string, Buffer, Buffer, Buffer, Buffer, number, string]>(
        'INSERT OR REPLACE INTO ddb_index_items (table_name, index_name, pk, sk, table_pk, table_sk, hash, item) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      dropIndex: db.prepare<[string, string]>('DELETE FROM ddb_index_items WHERE table_name = ? AND index_name = ?'),
      stats: db.prepare<[string], { count: number; bytes: number | null }>('SELECT COUNT(*) AS count, SUM(size) AS bytes FROM ddb_items WHERE table_name = ?'),
      expired: db.prepare<[string, number, number], { pk: Buffer; sk: Buffer }>(
        'SELECT pk, sk FROM ddb_items WHERE table_name = ? AND expires_at IS NOT NULL AND expires_at < ? ORDER BY expires_at LIMIT ?',
      ),
      appendRecord: db.prepare<[string, number, string]>('INSERT INTO ddb_stream_records (stream_arn, at, record) VALUES (?, ?, ?)'),
      records: db.prepare<[string, number, number], { seq: number; at: number; record: string }>(
        'SELECT seq, at, record FROM ddb_stream_records WHERE stream_arn = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      lastSequence: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM ddb_stream_records WHERE stream_arn = ?'),
      trim: db.prepare<[number]>('DELETE FROM ddb_stream_records WHERE at < ?'),
      forgetTokens: db.prepare<[number]>('DELETE FROM ddb_transaction_tokens WHERE at < ?'),
      getToken: db.prepare<[string], { digest: string }>('SELECT digest FROM ddb_transaction_tokens WHERE token = ?'),
      putToken: db.prepare<[string, string, number]>('INSERT INTO ddb_transaction_tokens (token, digest, at) VALUES (?, ?, ?)'),
    };
    this.writeTx = db.transaction(({ refs, decide, token, blind }: WriteRequest): WriteOutcome => {
      if (token) {
        this.s.forgetTokens.run(token.since);
        const prior = this.s.getToken.get(token.id);
        if (prior) return prior.digest === token.digest ? 'replayed' : 'mismatch';
        this.s.putToken.run(token.id, token.digest, token.at);
      }
      this.apply(decide(this.current(refs, blind)));
      return 'written';
    });
    const writeOne = (r: WriteRequest): Settled => {
      try {
        return { ok: true, outcome: this.writeTx(r) };
      } catch (error) {
        return { ok: false, error };
      }
    };
    // In a batch, a request decides before it writes anything, so a refusal needs no savepoint to
    // undo; only one with a token (kept with its writes alone) gets its own. A failing statement
    // fails the whole batch.
    const writeMany = db.transaction((requests: WriteRequest[]) =>
      requests.map((r): Settled => {
        if (r.token) return writeOne(r);
        let writes: ItemWrite[];
        try {
          writes = r.decide(this.current(r.refs, r.blind));
        } catch (error) {
          return { ok: false, error };
        }
        this.apply(writes);
        return { ok: true, outcome: 'written' };
      }),
    );
    this.writes = new GroupCommit(async (requests) => (requests.length === 1 ? [writeOne(requests[0]!)] : writeMany(requests)));
    this.deleteTableTx = db.transaction((name: string) => {
      this.s.deleteItems.run(name);
      this.s.deleteIndexItems.run(name);
      return this.s.deleteTable.run(name).changes === 1;
    });
  }

  private apply(writes: readonly ItemWrite[]): void {
    for (const w of writes) {
      const { table, pk, sk } = w.ref;
      if (w.item === undefined) this.s.deleteItem.run(table, pk, sk);
      else this.s.putItem.run(table, pk, sk, w.hash, serializeItem(w.item), w.size, w.expiresAt ?? null);
      if (w.indexed !== false) this.s.deleteRowsOf.run(table, pk, sk);
      for (const row of w.indexRows) this.s.putIndexRow.run(table, row.index, row.pk, row.sk, pk, sk, w.hash, serializeItem(row.item));
      if (w.stream) this.s.appendRecord.run(w.stream.arn, w.stream.at, w.stream.record);
    }
  }

  private current(refs: readonly ItemRef[], blind: boolean): (Item | undefined)[] {
    return refs.map((r) => (blind ? undefined : this.readItem(r)));
  }

  private readItem(r: ItemRef): Item | undefined {
    const text = this.s.getItem.get(r.table, r.pk, r.sk);
    return text === undefined ? undefined : parseStoredItem(text);
  }

  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  async createTable(t: TableRecord): Promise<boolean> {
    this.tables.delete(t.name);
    return this.s.insertTable.run(t.name, JSON.stringify(t)).changes === 1;
  }

  async getTable(name: string): Promise<TableRecord | undefined> {
    const cached = this.tables.get(name);
    if (cached) return cached;
    const row = this.s.getTable.get(name);
    const t = row ? parseTable(row.record) : undefined;
    if (t) this.tables.set(name, t);
    return t;
  }

  async listTables(after: string | undefined, limit: number): Promise<string[]> {
    return this.s.listTables.all(after ?? '', limit).map((r) => r.name);
  }

  async updateTable(t: TableRecord): Promise<boolean> {
    this.tables.delete(t.name);
    return this.s.updateTable.run(JSON.stringify(t), t.name).changes === 1;
  }

  async deleteTable(name: string): Promise<boolean> {
    // Writes queued for the table land before it goes, not after it (as orphans).
    await this.writes.flush();
    this.tables.delete(name);
    return this.deleteTableTx(name);
  }

  async tablesWithTtl(): Promise<TableRecord[]> {
    return this.s.allTables.all().map((r) => parseTable(r.record)).filter((t) => t.ttl?.enabled);
  }

  async getItems(refs: readonly ItemRef[]): Promise<(Item | undefined)[]> {
    return refs.map((r) => this.readItem(r));
  }

  async writeItems(refs: readonly ItemRef[], decide: WriteDecision, token?: RequestToken, hints?: WriteHints): Promise<WriteOutcome> {
    const settled = await this.writes.add({ refs, decide, token, blind: hints?.blind === true });
    if (!settled.ok) throw settled.error;
    return settled.outcome;
  }

  async query(q: KeyQuery): Promise<Item[]> {
    const params: Params = { table: q.table, index: q.index ?? null, pk: q.pk, limit: q.limit };
    const dir = q.forward ? 'ASC' : 'DESC';
    const cmp = q.forward ? '>' : '<';
    const parts: string[] = [];
    const sk = sortClause(q.sk, (name, v) => ((params[name] = v), `@${name}`), (col, n, p) => `substr(${col}, 1, ${n}) = ${p}`);
    if (sk) parts.push(sk);
    let sql: string;
    if (q.index === undefined) {
      if (q.after) {
        params['afterSk'] = q.after.sk;
        parts.push(`sk ${cmp} @afterSk`);
      }
      sql = `SELECT item FROM ddb_items WHERE table_name = @table AND pk = @pk ${parts.map((p) => `AND ${p}`).join(' ')} ORDER BY sk ${dir} LIMIT @limit`;
      delete params['index'];
    } else {
      if (q.after) {
        Object.assign(params, { afterSk: q.after.sk, afterTpk: q.after.tablePk, afterTsk: q.after.tableSk });
        parts.push(`(sk, table_pk, table_sk) ${cmp} (@afterSk, @afterTpk, @afterTsk)`);
      }
      sql = `SELECT item FROM ddb_index_items WHERE table_name = @table AND index_name = @index AND pk = @pk ${parts.map((p) => `AND ${p}`).join(' ')}
             ORDER BY sk ${dir}, table_pk ${dir}, table_sk ${dir} LIMIT @limit`;
    }
    return (this.prepared(sql).all(params) as { item: string }[]).map((r) => parseStoredItem(r.item));
  }

  async scan(q: ScanQuery): Promise<{ item: Item; hash: number }[]> {
    const params: Params = { table: q.table, from: q.hashFrom, to: q.hashTo, limit: q.limit };
    let sql: string;
    if (q.index === undefined) {
      const after = q.after ? 'AND (hash, pk, sk) > (@ah, @apk, @ask)' : '';
      if (q.after) Object.assign(params, { ah: q.after.hash, apk: q.after.pk, ask: q.after.sk });
      sql = `SELECT item, hash FROM ddb_items WHERE table_name = @table AND hash >= @from AND hash < @to ${after} ORDER BY hash, pk, sk LIMIT @limit`;
    } else {
      params['index'] = q.index;
      const after = q.after ? 'AND (hash, pk, sk, table_pk, table_sk) > (@ah, @apk, @ask, @atpk, @atsk)' : '';
      if (q.after) Object.assign(params, { ah: q.after.hash, apk: q.after.pk, ask: q.after.sk, atpk: q.after.tablePk, atsk: q.after.tableSk });
      sql = `SELECT item, hash FROM ddb_index_items WHERE table_name = @table AND index_name = @index AND hash >= @from AND hash < @to ${after}
             ORDER BY hash, pk, sk, table_pk, table_sk LIMIT @limit`;
    }
    return (this.prepared(sql).all(params) as { item: string; hash: number }[]).map((r) => ({ item: parseStoredItem(r.item), hash: r.hash }));
  }

  async stats(table: string): Promise<{ count: number; bytes: number }> {
    const r = this.s.stats.get(table)!;
    return { count: r.count, bytes: r.bytes ?? 0 };
  }

  async expired(table: string, nowSeconds: number, limit: number): Promise<ItemRef[]> {
    return this.s.expired.all(table, nowSeconds, limit).map((r) => ({ table, pk: r.pk, sk: r.sk }));
  }

  async dropIndex(table: string, index: string): Promise<void> {
    this.s.dropIndex.run(table, index);
  }

  async streamRecords(arn: string, after: number, limit: number): Promise<StoredStreamRecord[]> {
    return this.s.records.all(arn, after, limit).map((r) => ({ sequence: r.seq, at: r.at, record: r.record }));
  }

  async lastSequence(arn: string): Promise<number> {
    return this.s.lastSequence.get(arn)?.seq ?? 0;
  }

  async trimStreams(before: number): Promise<number> {
    return this.s.trim.run(before).changes;
  }
}
