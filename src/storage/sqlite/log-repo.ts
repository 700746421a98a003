import type Database from 'better-sqlite3';
import type { LogLine, LogQuery, LogRepo, LogStreamInfo, StoredLogLine } from '../store.js';

interface Row {
  id: number;
  function_name: string;
  stream: string;
  request_id: string | null;
  ts: number;
  ingested: number;
  message: string;
}

/** Function log lines; appended in batches, one transaction per batch. */
export class SqliteLogRepo implements LogRepo {
  private readonly insertBatch: (lines: readonly LogLine[]) => void;

  constructor(private readonly db: Database.Database) {
    const insert = db.prepare(
      'INSERT INTO log_lines (function_name, stream, request_id, ts, ingested, message) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertBatch = db.transaction((lines: readonly LogLine[]) => {
      const now = Date.now();
      for (const l of lines) insert.run(l.functionName, l.stream, l.requestId, l.timestamp, now, l.message);
    });
  }

  async append(lines: readonly LogLine[]): Promise<void> {
    if (lines.length > 0) this.insertBatch(lines);
  }

  async query(q: LogQuery): Promise<StoredLogLine[]> {
    const where = ['function_name = @functionName'];
    if (q.stream !== undefined) where.push('stream = @stream');
    if (q.requestId !== undefined) where.push('request_id = @requestId');
    if (q.contains !== undefined) where.push("instr(message, @contains) > 0");
    if (q.startTime !== undefined) where.push('ts >= @startTime');
    if (q.endTime !== undefined) where.push('ts <= @endTime');
    if (q.afterId !== undefined) where.push(q.descending ? 'id < @afterId' : 'id > @afterId');
    const sql = `SELECT * FROM log_lines WHERE ${where.join(' AND ')} ORDER BY id ${q.descending ? 'DESC' : 'ASC'} LIMIT @limit`;
    const rows = this.db.prepare<[LogQuery], Row>(sql).all(q);
    return rows.map((r) => ({
      id: r.id,
      functionName: r.function_name,
      stream: r.stream,
      requestId: r.request_id,
      timestamp: r.ts,
      ingestionTime: r.ingested,
      message: r.message,
    }));
  }

  async streams(functionName: string, limit: number): Promise<LogStreamInfo[]> {
    return this.db
      .prepare<[string, number], { stream: string; first: number; last: number; ingested: number }>(
        `SELECT stream, MIN(ts) AS first, MAX(ts) AS last, MAX(ingested) AS ingested
         FROM log_lines WHERE function_name = ? GROUP BY stream ORDER BY MAX(id) DESC LIMIT ?`,
      )
      .all(functionName, limit)
      .map((r) => ({ stream: r.stream, firstTimestamp: r.first, lastTimestamp: r.last, lastIngestionTime: r.ingested }));
  }

  async groups(): Promise<string[]> {
    return this.db
      .prepare<[], { function_name: string }>('SELECT DISTINCT function_name FROM log_lines ORDER BY function_name')
      .all()
      .map((r) => r.function_name);
  }
}
