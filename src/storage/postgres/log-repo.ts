import { collectLines, firstRecordOf, lastLineOf, prefilterNeedle, RECORDS_PER_STEP, requestNeedle, streamInfo, TagsSchema, toRows, type LogRecordRow, type StreamRow } from '../rows/log-rows.js';
import type { LogQuery, LogRecord, LogRepo, LogStreamInfo, StoredLogLine } from '../store.js';
import { changed, transaction, type Db } from './db.js';

/**
 * The statement that reads a query's records a step at a time ($2 is the first id of the step), along
 * the function's index. A request's lines are in rows of their own or in rows of many requests that
 * name it (rows/log-rows.ts): found as any other text is, by a scan of the function's rows.
 */
export function recordsQuery(q: LogQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.functionName, firstRecordOf(q)];
  const where = ['function_name = $1', 'id >= $2'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.stream !== undefined) add('stream = ?', q.stream);
  if (q.requestId !== undefined) {
    params.push(q.requestId, requestNeedle(q.requestId));
    where.push(`(request_id = $${params.length - 1} OR (request_id IS NULL AND strpos(lines, $${params.length}) > 0))`);
  }
  if (q.startTime !== undefined) add('last_ts >= ?', q.startTime);
  if (q.endTime !== undefined) add('first_ts <= ?', q.endTime);
  const needle = prefilterNeedle(q);
  if (needle !== undefined) add('strpos(lines, ?) > 0', needle);
  return { sql: `SELECT id, stream, request_id, ingested, lines FROM log_records WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${RECORDS_PER_STEP}`, params };
}

/** Function logs, a row per log stream per batch (see rows/log-rows.ts); a batch is one statement. */
export class PostgresLogRepo implements LogRepo {
  constructor(private readonly db: Db) {}

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const now = Date.now();
    const cols: [string[], string[], (string | null)[], number[], number[], number[], string[]] = [[], [], [], [], [], [], []];
    for (const row of toRows(records)) {
      cols[0].push(row.functionName);
      cols[1].push(row.stream);
      cols[2].push(row.requestId);
      cols[3].push(row.firstTs);
      cols[4].push(row.lastTs);
      cols[5].push(now);
      cols[6].push(row.lines);
    }
    // unnest keeps the order of the arrays, so ids (the lines' cursor) follow the order records came in.
    await this.db.query(
      `INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[])`,
      cols,
    );
  }

  async query(q: LogQuery): Promise<StoredLogLine[]> {
    const { sql, params } = recordsQuery(q);
    const out: StoredLogLine[] = [];
    for (;;) {
      const { rows } = await this.db.query<LogRecordRow>(sql, params);
      if (collectLines(rows, q, out) || rows.length < RECORDS_PER_STEP) return out;
      params[1] = rows[rows.length - 1]!.id + 1;
    }
  }

  async lastLineId(): Promise<number> {
    const { rows } = await this.db.query<{ id: string | null }>('SELECT MAX(id) AS id FROM log_records');
    return lastLineOf(rows[0]?.id == null ? null : Number(rows[0].id));
  }

  async streams(functionName: string, limit: number): Promise<LogStreamInfo[]> {
    // Streams written to, most recently written first, then streams made by CreateLogStream and still empty.
    const { rows } = await this.db.query<StreamRow>(
      `SELECT stream, MIN(created) AS created, MIN(first) AS first, MAX(last) AS last, MAX(ingested) AS ingested FROM (
         SELECT stream, NULL::bigint AS created, MIN(first_ts) AS first, MAX(last_ts) AS last, MAX(ingested) AS ingested, MAX(id) AS latest
         FROM log_records WHERE function_name = $1 GROUP BY stream
         UNION ALL
         SELECT stream, created_at, NULL, NULL, NULL, 0 FROM log_streams WHERE function_name = $1
       ) s GROUP BY stream ORDER BY MAX(latest) DESC, stream LIMIT $2`,
      [functionName, limit],
    );
    return rows.map(streamInfo);
  }

  async createStream(functionName: string, stream: string, createdAt: number): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      // Serialises with writers of the same group's streams, so that a stream is made once.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`log-stream:${functionName}:${stream}`]);
      const { rows } = await tx.query('SELECT 1 FROM log_records WHERE function_name = $1 AND stream = $2 LIMIT 1', [functionName, stream]);
      if (rows.length > 0) return false;
      return changed(await tx.query('INSERT INTO log_streams (function_name, stream, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [functionName, stream, createdAt])) === 1;
    });
  }

  async hasStream(functionName: string, stream: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'SELECT 1 FROM log_streams WHERE function_name = $1 AND stream = $2 UNION ALL (SELECT 1 FROM log_records WHERE function_name = $1 AND stream = $2 LIMIT 1) LIMIT 1',
      [functionName, stream],
    );
    return rows.length > 0;
  }

  async deleteStream(functionName: string, stream: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      let changes = 0;
      for (const table of ['log_records', 'log_streams']) changes += changed(await tx.query(`DELETE FROM ${table} WHERE function_name = $1 AND stream = $2`, [functionName, stream]));
      return changes > 0;
    });
  }

  async groups(): Promise<string[]> {
    const { rows } = await this.db.query<{ function_name: string }>('SELECT function_name FROM log_records UNION SELECT function_name FROM log_groups ORDER BY function_name');
    return rows.map((r) => r.function_name);
  }

  async createGroup(functionName: string, createdAt: number, tags: Record<string, string> = {}): Promise<boolean> {
    const r = await this.db.query('INSERT INTO log_groups (function_name, created_at, tags) VALUES ($1, $2, $3) ON CONFLICT (function_name) DO NOTHING', [
      functionName,
      createdAt,
      JSON.stringify(tags),
    ]);
    return changed(r) === 1;
  }

  async groupTags(functionName: string): Promise<Record<string, string>> {
    const { rows } = await this.db.query<{ tags: string }>('SELECT tags FROM log_groups WHERE function_name = $1', [functionName]);
    return rows[0] ? TagsSchema.parse(JSON.parse(rows[0].tags)) : {};
  }

  async setGroupTags(functionName: string, tags: Record<string, string>, createdAt: number): Promise<void> {
    await this.db.query(
      'INSERT INTO log_groups (function_name, created_at, tags) VALUES ($1, $2, $3) ON CONFLICT (function_name) DO UPDATE SET tags = excluded.tags',
      [functionName, createdAt, JSON.stringify(tags)],
    );
  }

  async deleteGroup(functionName: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      let changes = 0;
      for (const table of ['log_records', 'log_streams', 'log_retention', 'log_groups']) changes += changed(await tx.query(`DELETE FROM ${table} WHERE function_name = $1`, [functionName]));
      return changes > 0;
    });
  }

  async setRetention(functionName: string, days: number | undefined): Promise<void> {
    if (days === undefined) await this.db.query('DELETE FROM log_retention WHERE function_name = $1', [functionName]);
    else {
      await this.db.query('INSERT INTO log_retention (function_name, days) VALUES ($1, $2) ON CONFLICT (function_name) DO UPDATE SET days = excluded.days', [
        functionName,
        days,
      ]);
    }
  }

  async retentions(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ function_name: string; days: number }>('SELECT function_name, days FROM log_retention');
    return new Map(rows.map((r) => [r.function_name, r.days]));
  }

  async deleteOlderThan(functionName: string, beforeMs: number, max: number): Promise<number> {
    // Oldest first along the function's index; stops at the first record still inside the retention.
    const { rows: oldest } = await this.db.query<{ id: number; last_ts: number }>(
      'SELECT id, last_ts FROM log_records WHERE function_name = $1 ORDER BY id LIMIT $2',
      [functionName, max],
    );
    const expired = oldest.findIndex((r) => r.last_ts >= beforeMs);
    const upTo = expired === -1 ? oldest.length : expired;
    if (upTo === 0) return 0;
    return changed(await this.db.query('DELETE FROM log_records WHERE function_name = $1 AND id <= $2', [functionName, oldest[upTo - 1]!.id]));
  }
}
