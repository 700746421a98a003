import type Database from 'better-sqlite3';
import { collectLines, firstRecordOf, lastLineOf, prefilterNeedle, RECORDS_PER_STEP, requestNeedle, streamInfo, TagsSchema, toRows, type LogRecordRow, type StreamRow } from '../rows/log-rows.js';
import type { LogQuery, LogRecord, LogRepo, LogStreamInfo, StoredLogLine } from '../store.js';

/** Function logs, a row per log stream per batch (see rows/log-rows.ts). */
export class SqliteLogRepo implements LogRepo {
  private readonly insertBatch: (records: readonly LogRecord[]) => void;
  private readonly statements = new Map<string, Database.Statement<Record<string, unknown>, LogRecordRow>>();

  constructor(private readonly db: Database.Database) {
    const insert = db.prepare(
      'INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertBatch = db.transaction((records: readonly LogRecord[]) => {
      const now = Date.now();
      for (const row of toRows(records)) insert.run(row.functionName, row.stream, row.requestId, row.firstTs, row.lastTs, now, row.lines);
    });
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length > 0) this.insertBatch(records);
  }

  async query(q: LogQuery): Promise<StoredLogLine[]> {
    const where = ['function_name = @functionName', 'id >= @fromRecord'];
    if (q.stream !== undefined) where.push('stream = @stream');
    // A request's lines: rows of its own, or rows of many requests that name it.
    if (q.requestId !== undefined) where.push('(request_id = @requestId OR (request_id IS NULL AND instr(lines, @requestNeedle) > 0))');
    if (q.startTime !== undefined) where.push('last_ts >= @startTime');
    if (q.endTime !== undefined) where.push('first_ts <= @endTime');
    const needle = prefilterNeedle(q);
    if (needle !== undefined) where.push('instr(lines, @needle) > 0');
    const sql = `SELECT id, stream, request_id, ingested, lines FROM log_records WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${RECORDS_PER_STEP}`;
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<Record<string, unknown>, LogRecordRow>(sql);
      this.statements.set(sql, statement);
    }

    const out: StoredLogLine[] = [];
    let fromRecord = firstRecordOf(q);
    for (;;) {
      const rows = statement.all({ ...q, fromRecord, needle, requestNeedle: q.requestId === undefined ? undefined : requestNeedle(q.requestId) });
      if (collectLines(rows, q, out) || rows.length < RECORDS_PER_STEP) return out;
      fromRecord = rows[rows.length - 1]!.id + 1;
    }
  }

  async lastLineId(): Promise<number> {
    const row = this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM log_records').get();
    return lastLineOf(row?.id ?? null);
  }

  async streams(functionName: string, limit: number): Promise<LogStreamInfo[]> {
    // Streams written to, most recently written first, then streams made by CreateLogStream and still empty.
    return this.db
      .prepare<[string, string, number], StreamRow>(
        `SELECT stream, MIN(created) AS created, MIN(first) AS first, MAX(last) AS last, MAX(ingested) AS ingested FROM (
           SELECT stream, NULL AS created, MIN(first_ts) AS first, MAX(last_ts) AS last, MAX(ingested) AS ingested, MAX(id) AS latest
           FROM log_records WHERE function_name = ? GROUP BY stream
           UNION ALL
           SELECT stream, created_at, NULL, NULL, NULL, 0 FROM log_streams WHERE function_name = ?
         ) GROUP BY stream ORDER BY MAX(latest) DESC, stream LIMIT ?`,
      )
      .all(functionName, functionName, limit)
      .map(streamInfo);
  }

  async createStream(functionName: string, stream: string, createdAt: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM log_records WHERE function_name = ? AND stream = ? LIMIT 1').get(functionName, stream)) return false;
      return this.db.prepare('INSERT INTO log_streams (function_name, stream, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(functionName, stream, createdAt).changes === 1;
    })();
  }

  async hasStream(functionName: string, stream: string): Promise<boolean> {
    return (
      this.db
        .prepare('SELECT 1 FROM log_streams WHERE function_name = ? AND stream = ? UNION ALL SELECT 1 FROM log_records WHERE function_name = ? AND stream = ? LIMIT 1')
        .get(functionName, stream, functionName, stream) !== undefined
    );
  }

  async deleteStream(functionName: string, stream: string): Promise<boolean> {
    return this.db.transaction(() => {
      let changes = 0;
      for (const table of ['log_records', 'log_streams']) changes += this.db.prepare(`DELETE FROM ${table} WHERE function_name = ? AND stream = ?`).run(functionName, stream).changes;
      return changes > 0;
    })();
  }

  async groups(): Promise<string[]> {
    return this.db
      .prepare<[], { function_name: string }>('SELECT function_name FROM log_records UNION SELECT function_name FROM log_groups ORDER BY function_name')
      .all()
      .map((r) => r.function_name);
  }

  async createGroup(functionName: string, createdAt: number, tags: Record<string, string> = {}): Promise<boolean> {
    return (
      this.db
        .prepare('INSERT INTO log_groups (function_name, created_at, tags) VALUES (?, ?, ?) ON CONFLICT (function_name) DO NOTHING')
        .run(functionName, createdAt, JSON.stringify(tags)).changes === 1
    );
  }

  async groupTags(functionName: string): Promise<Record<string, string>> {
    const row = this.db.prepare<[string], { tags: string }>('SELECT tags FROM log_groups WHERE function_name = ?').get(functionName);
    return row ? TagsSchema.parse(JSON.parse(row.tags)) : {};
  }

  async setGroupTags(functionName: string, tags: Record<string, string>, createdAt: number): Promise<void> {
    this.db
      .prepare('INSERT INTO log_groups (function_name, created_at, tags) VALUES (?, ?, ?) ON CONFLICT (function_name) DO UPDATE SET tags = excluded.tags')
      .run(functionName, createdAt, JSON.stringify(tags));
  }

  async deleteGroup(functionName: string): Promise<boolean> {
    return this.db.transaction(() => {
      let changes = 0;
      for (const table of ['log_records', 'log_streams', 'log_retention', 'log_groups']) changes += this.db.prepare(`DELETE FROM ${table} WHERE function_name = ?`).run(functionName).changes;
      return changes > 0;
    })();
  }

  async setRetention(functionName: string, days: number | undefined): Promise<void> {
    if (days === undefined) this.db.prepare('DELETE FROM log_retention WHERE function_name = ?').run(functionName);
    else this.db.prepare('INSERT INTO log_retention (function_name, days) VALUES (?, ?) ON CONFLICT (function_name) DO UPDATE SET days = excluded.days').run(functionName, days);
  }

  async retentions(): Promise<Map<string, number>> {
    const rows = this.db.prepare<[], { function_name: string; days: number }>('SELECT function_name, days FROM log_retention').all();
    return new Map(rows.map((r) => [r.function_name, r.days]));
  }

  async deleteOlderThan(functionName: string, beforeMs: number, max: number): Promise<number> {
    // Oldest first along the function's index; stops at the first record still inside the retention.
    const oldest = this.db
      .prepare<[string, number], { id: number; last_ts: number }>('SELECT id, last_ts FROM log_records WHERE function_name = ? ORDER BY id LIMIT ?')
      .all(functionName, max);
    const expired = oldest.findIndex((r) => r.last_ts >= beforeMs);
    const upTo = expired === -1 ? oldest.length : expired;
    if (upTo === 0) return 0;
    return this.db
      .prepare('DELETE FROM log_records WHERE function_name = ? AND id <= ?')
      .run(functionName, oldest[upTo - 1]!.id).changes;
  }
}
