import type Database from 'better-sqlite3';
import type { LogQuery, LogRecord, LogRepo, LogStreamInfo, StoredLogLine } from '../store.js';

/** A line's id is its record's id times this, plus its index in the record. */
const LINES_PER_RECORD = 65_536;
/** Records read per step of a query; a query stops as soon as it has `limit` lines. */
const RECORDS_PER_STEP = 256;

interface Row {
  id: number;
  stream: string;
  request_id: string | null;
  ingested: number;
  lines: string;
}

/**
 * Function logs, one row per invocation (its START to REPORT lines as one JSON array) rather than one
 * per line: a warm invoke costs one insert, and request ids, which grow with time, append to their index.
 */
export class SqliteLogRepo implements LogRepo {
  private readonly insertBatch: (records: readonly LogRecord[]) => void;
  private readonly statements = new Map<string, Database.Statement<Record<string, unknown>, Row>>();

  constructor(private readonly db: Database.Database) {
    const insert = db.prepare(
      'INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertBatch = db.transaction((records: readonly LogRecord[]) => {
      const now = Date.now();
      for (const r of records) {
        for (let start = 0; start < r.lines.length; start += LINES_PER_RECORD) {
          const lines = r.lines.slice(start, start + LINES_PER_RECORD);
          const json = '[' + lines.map((l) => `[${l.timestamp},${JSON.stringify(l.message)}]`).join(',') + ']';
          insert.run(r.functionName, r.stream, r.requestId, lines[0]!.timestamp, lines[lines.length - 1]!.timestamp, now, json);
        }
      }
    });
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length > 0) this.insertBatch(records);
  }

  async query(q: LogQuery): Promise<StoredLogLine[]> {
    const where = ['function_name = @functionName', 'id >= @fromRecord'];
    if (q.stream !== undefined) where.push('stream = @stream');
    if (q.requestId !== undefined) where.push('request_id = @requestId');
    if (q.startTime !== undefined) where.push('last_ts >= @startTime');
    if (q.endTime !== undefined) where.push('first_ts <= @endTime');
    // The JSON text holds the message as written unless it needed escaping: only then is the text a safe pre-filter.
    const needle = q.contains !== undefined && JSON.stringify(q.contains) === `"${q.contains}"` ? q.contains : undefined;
    if (needle !== undefined) where.push('instr(lines, @needle) > 0');
    const sql = `SELECT id, stream, request_id, ingested, lines FROM log_records WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${RECORDS_PER_STEP}`;
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<Record<string, unknown>, Row>(sql);
      this.statements.set(sql, statement);
    }

    const out: StoredLogLine[] = [];
    let fromRecord = q.afterId === undefined ? 0 : Math.floor(q.afterId / LINES_PER_RECORD);
    for (;;) {
      const rows = statement.all({ ...q, fromRecord, needle });
      for (const row of rows) {
        const lines = parseLines(row.lines);
        for (let i = 0; i < lines.length; i++) {
          const id = row.id * LINES_PER_RECORD + i;
          const [timestamp, message] = lines[i]!;
          if (q.afterId !== undefined && id <= q.afterId) continue;
          if (q.startTime !== undefined && timestamp < q.startTime) continue;
          if (q.endTime !== undefined && timestamp > q.endTime) continue;
          if (q.contains !== undefined && !message.includes(q.contains)) continue;
          out.push({ id, functionName: q.functionName, stream: row.stream, requestId: row.request_id, timestamp, ingestionTime: row.ingested, message });
          if (out.length >= q.limit) return out;
        }
      }
      if (rows.length < RECORDS_PER_STEP) return out;
      fromRecord = rows[rows.length - 1]!.id + 1;
    }
  }

  async streams(functionName: string, limit: number): Promise<LogStreamInfo[]> {
    return this.db
      .prepare<[string, number], { stream: string; first: number; last: number; ingested: number }>(
        `SELECT stream, MIN(first_ts) AS first, MAX(last_ts) AS last, MAX(ingested) AS ingested
         FROM log_records WHERE function_name = ? GROUP BY stream ORDER BY MAX(id) DESC LIMIT ?`,
      )
      .all(functionName, limit)
      .map((r) => ({ stream: r.stream, firstTimestamp: r.first, lastTimestamp: r.last, lastIngestionTime: r.ingested }));
  }

  async groups(): Promise<string[]> {
    return this.db
      .prepare<[], { function_name: string }>('SELECT DISTINCT function_name FROM log_records ORDER BY function_name')
      .all()
      .map((r) => r.function_name);
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

/** A record's lines as stored: `[[timestamp, message], ...]`. */
function parseLines(json: string): [number, string][] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((l) => Array.isArray(l) && typeof l[0] === 'number' && typeof l[1] === 'string')) {
    throw new Error('a stored log record is malformed');
  }
  return parsed as [number, string][];
}
