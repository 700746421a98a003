/**
 * How logs are kept, for every adapter: a row per log stream per batch written (the sink writes one
 * every 50 ms: telemetry/log-sink.ts), its lines one JSON array, rather than a row per line or per
 * invocation. A warm invoke then costs a share of one insert and of its index entries instead of a
 * row and three index entries of its own, about half of the store's CPU for its logs (measured 6.2
 * against 3.3 µs a record in SQLite, 16 streams).
 *
 * A line's request is the row's `request_id` when the row holds one request's lines only (rows
 * written before grouping all do); else a line that starts another request's lines carries its id
 * as a third element (`[ts, message, "id"]`, or `null` for lines outside any invocation) and the
 * lines after it belong to it too.
 */
import type { LogQuery, LogRecord, LogStreamInfo, StoredLogLine } from '../store.js';
import { z } from 'zod';

/** A log group's tags as stored (JSON), checked when read back. */
export const TagsSchema = z.record(z.string(), z.string());

/** A line's id is its record's id times this, plus its index in the record. */
export const LINES_PER_RECORD = 65_536;
/** Records read per step of a query; a query stops as soon as it has `limit` lines. */
export const RECORDS_PER_STEP = 256;

export interface LogRecordRow {
  id: number;
  stream: string;
  request_id: string | null;
  ingested: number;
  lines: string;
}

/** A row to insert. */
export interface LogRowInput {
  functionName: string;
  stream: string;
  /** The one request whose lines the row holds, else null (the lines say). */
  requestId: string | null;
  firstTs: number;
  lastTs: number;
  lines: string;
}

/**
 * A batch of records as rows: one per log stream, in the order each stream first appears (a
 * stream's lines keep their order), split past LINES_PER_RECORD lines so line ids stay unique.
 */
export function toRows(records: readonly LogRecord[]): LogRowInput[] {
  const byStream = new Map<string, LogRecord[]>();
  for (const r of records) {
    if (r.lines.length === 0) continue;
    const key = `${r.functionName}\n${r.stream}`;
    const group = byStream.get(key);
    if (group) group.push(r);
    else byStream.set(key, [r]);
  }
  const rows: LogRowInput[] = [];
  for (const group of byStream.values()) rowsOfStream(group, rows);
  return rows;
}

function rowsOfStream(records: readonly LogRecord[], rows: LogRowInput[]): void {
  const { functionName, stream } = records[0]!;
  let parts: string[] = [];
  /** The row's first line as a pair, for a row that turns out to hold one request's lines only. */
  let firstPair = '';
  let requests: (string | null)[] = [];
  let firstTs = Infinity;
  let lastTs = -Infinity;
  const flush = () => {
    const single = requests.length === 1 ? requests[0]! : null;
    if (single !== null) parts[0] = firstPair;
    rows.push({ functionName, stream, requestId: single, firstTs, lastTs, lines: `[${parts.join(',')}]` });
    parts = [];
    requests = [];
    firstTs = Infinity;
    lastTs = -Infinity;
  };
  for (const r of records) {
    for (let i = 0; i < r.lines.length; i++) {
      const { timestamp, message } = r.lines[i]!;
      const pair = `[${timestamp},${JSON.stringify(message)}`;
      // The first line of each record in the row, and of each row, says whose lines follow.
      if (i === 0 || parts.length === 0) {
        if (parts.length === 0) firstPair = `${pair}]`;
        parts.push(`${pair},${JSON.stringify(r.requestId)}]`);
        requests.push(r.requestId);
      } else {
        parts.push(`${pair}]`);
      }
      if (timestamp < firstTs) firstTs = timestamp;
      if (timestamp > lastTs) lastTs = timestamp;
      if (parts.length === LINES_PER_RECORD) flush();
    }
  }
  if (parts.length > 0) flush();
}

/** Text that every row holding a request's lines contains, and few others: its id as stored. */
export const requestNeedle = (requestId: string): string => JSON.stringify(requestId);

/**
 * The text to look for in the stored JSON before parsing it: the JSON text holds the message as
 * written unless it needed escaping, and only then is the text a safe pre-filter.
 */
export const prefilterNeedle = (q: LogQuery): string | undefined =>
  q.contains !== undefined && JSON.stringify(q.contains) === `"${q.contains}"` ? q.contains : undefined;

/** The highest line id that a record id (the greatest stored, or none) can hold. */
export const lastLineOf = (maxRecordId: number | null): number => ((maxRecordId ?? 0) + 1) * LINES_PER_RECORD - 1;

/** The first record id a query must read. */
export const firstRecordOf = (q: LogQuery): number => (q.afterId === undefined ? 0 : Math.floor(q.afterId / LINES_PER_RECORD));

/** Appends the lines of `rows` that match `q` to `out`; true once `out` holds `q.limit` lines. */
export function collectLines(rows: readonly LogRecordRow[], q: LogQuery, out: StoredLogLine[]): boolean {
  for (const row of rows) {
    const lines = parseLines(row.lines);
    let requestId = row.request_id;
    for (let i = 0; i < lines.length; i++) {
      const id = row.id * LINES_PER_RECORD + i;
      const line = lines[i]!;
      const [timestamp, message] = line;
      if (line.length === 3) requestId = line[2];
      if (q.requestId !== undefined && requestId !== q.requestId) continue;
      if (q.afterId !== undefined && id <= q.afterId) continue;
      if (q.startTime !== undefined && timestamp < q.startTime) continue;
      if (q.endTime !== undefined && timestamp > q.endTime) continue;
      if (q.contains !== undefined && !message.includes(q.contains)) continue;
      out.push({ id, functionName: q.functionName, stream: row.stream, requestId, timestamp, ingestionTime: row.ingested, message });
      if (out.length >= q.limit) return true;
    }
  }
  return false;
}

/** A row's lines as stored: `[[timestamp, message], [timestamp, message, requestId], ...]`. */
type StoredLine = [number, string] | [number, string, string | null];

function parseLines(json: string): StoredLine[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every(isStoredLine)) throw new Error('a stored log record is malformed');
  return parsed as StoredLine[];
}

const isStoredLine = (l: unknown): boolean =>
  Array.isArray(l) &&
  typeof l[0] === 'number' &&
  typeof l[1] === 'string' &&
  (l.length === 2 || (l.length === 3 && (l[2] === null || typeof l[2] === 'string')));

/** A stream as the adapters' stream listing reads it: NULLs where the stream has no event or no CreateLogStream record. */
export interface StreamRow {
  stream: string;
  created: number | string | null;
  first: number | string | null;
  last: number | string | null;
  ingested: number | string | null;
}

export function streamInfo(r: StreamRow): LogStreamInfo {
  const n = (v: number | string | null) => (v === null ? undefined : Number(v));
  const first = n(r.first);
  const info: LogStreamInfo = { stream: r.stream, creationTime: n(r.created) ?? first ?? 0 };
  if (first !== undefined) info.firstTimestamp = first;
  const last = n(r.last);
  if (last !== undefined) info.lastTimestamp = last;
  const ingested = n(r.ingested);
  if (ingested !== undefined) info.lastIngestionTime = ingested;
  return info;
}
