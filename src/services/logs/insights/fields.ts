/**
 * The fields Logs Insights discovers in an event: `@timestamp`, `@message`, `@logStream`, `@log`,
 * `@ingestionTime`; in Lambda's platform lines `@type` and `@requestId`, and in REPORT lines
 * `@duration`, `@billedDuration`, `@initDuration` (ms) and `@memorySize`, `@maxMemoryUsed` (bytes, 1 MB
 * = 1,000,000 as Insights counts); the members of a JSON message (after Lambda's text prefix, if any),
 * nested members by dotted name.
 */
export type Row = Map<string, unknown>;

export interface StoredEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  stream: string;
  requestId: string | null;
}

const PLATFORM = /^(START|END|REPORT|INIT_START|INIT_REPORT) RequestId: ([0-9a-f-]+)/;
const REPORT_FIELDS: [RegExp, string, number][] = [
  [/\tDuration: ([\d.]+) ms/, '@duration', 1],
  [/\tBilled Duration: ([\d.]+) ms/, '@billedDuration', 1],
  [/\tInit Duration: ([\d.]+) ms/, '@initDuration', 1],
  [/\tMemory Size: (\d+) MB/, '@memorySize', 1_000_000],
  [/\tMax Memory Used: (\d+) MB/, '@maxMemoryUsed', 1_000_000],
];
/** Lambda's runtimes print `timestamp\trequestId\tLEVEL\t` before what the function wrote. */
const RUNTIME_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\t[A-Z]+\t/;

function flatten(value: unknown, prefix: string, row: Row): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, row);
  } else if (prefix) row.set(prefix, Array.isArray(value) ? JSON.stringify(value) : value);
}

export function discover(e: StoredEvent, logGroup: string, accountId: string): Row {
  const row: Row = new Map<string, unknown>([
    ['@timestamp', e.timestamp],
    ['@message', e.message],
    ['@logStream', e.stream],
    ['@log', `${accountId}:${logGroup}`],
    ['@ingestionTime', e.ingestionTime],
  ]);
  const platform = PLATFORM.exec(e.message);
  if (platform) {
    row.set('@type', platform[1]);
    row.set('@requestId', platform[2]);
    if (platform[1] === 'REPORT') {
      for (const [re, name, scale] of REPORT_FIELDS) {
        const m = re.exec(e.message);
        if (m) row.set(name, Number(m[1]) * scale);
      }
    }
    return row;
  }
  const prefix = RUNTIME_PREFIX.exec(e.message);
  if (prefix) row.set('@requestId', prefix[1]);
  const body = prefix ? e.message.slice(prefix[0].length) : e.message;
  if (body.trimStart().startsWith('{')) {
    try {
      flatten(JSON.parse(body), '', row);
    } catch {
      // Not JSON after all: the message alone.
    }
  }
  return row;
}
