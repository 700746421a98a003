/**
 * How logs are kept, for every adapter: one row per invocation (its START to REPORT lines as one
 * JSON array) rather than one per line, so a warm invoke costs one insert.
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

/** A record as rows to insert: records longer than LINES_PER_RECORD are split, so line ids stay unique. */
export function toRows(r: LogRecord): { firstTs: number; lastTs: number; lines: string }[] {
  const rows: { firstTs: number; lastTs: number; lines: string }[] = [];
  for (let start = 0; start < r.lines.length; start += LINES_PER_RECORD) {
    const lines = r.lines.slice(start, start + LINES_PER_RECORD);
    const json = '[' + lines.map((l) => `[${l.timestamp},${JSON.stringify(l.message)}]`).join(',') + ']';
    rows.push({ firstTs: lines[0]!.timestamp, lastTs: lines[lines.length - 1]!.timestamp, lines: json });
  }
  return rows;
}

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
    for (let i = 0; i < lines.length; i++) {
      const id = row.id * LINES_PER_RECORD + i;
      const [timestamp, message] = lines[i]!;
      if (q.afterId !== undefined && id <= q.afterId) continue;
      if (q.startTime !== undefined && timestamp < q.startTime) continue;
      if (q.endTime !== undefined && timestamp > q.endTime) continue;
      if (q.contains !== undefined && !message.includes(q.contains)) continue;
      out.push({ id, functionName: q.functionName, stream: row.stream, requestId: row.request_id, timestamp, ingestionTime: row.ingested, message });
      if (out.length >= q.limit) return true;
    }
  }
  return false;
}

/** A record's lines as stored: `[[timestamp, message], ...]`. */
function parseLines(json: string): [number, string][] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((l) => Array.isArray(l) && typeof l[0] === 'number' && typeof l[1] === 'string')) {
    throw new Error('a stored log record is malformed');
  }
  return parsed as [number, string][];
}

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
