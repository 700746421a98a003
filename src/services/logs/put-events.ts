/**
 * PutLogEvents' rules, as CloudWatch Logs applies them to a batch: refused whole when it is too large,
 * out of chronological order or spans more than 24 hours; otherwise events older than 14 days (or
 * than the group's retention) or more than 2 hours ahead are set aside and reported by index, and
 * the rest are kept.
 */
import { LogsErrors } from '../../wire/errors.js';

export const MAX_BATCH_BYTES = 1_048_576;
/** CloudWatch counts each event's UTF-8 message plus 26 bytes. */
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_EVENT_BYTES = 1_048_576;
const DAY_MS = 86_400_000;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 3_600_000;

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface SortedBatch {
  accepted: InputLogEvent[];
  rejected: RejectedLogEventsInfo | undefined;
}

/** Checks a batch at `now`; `retentionDays` is the group's, if it has one. Throws the error AWS answers for a batch refused whole. */
export function sortBatch(events: readonly InputLogEvent[], now: number, retentionDays: number | undefined): SortedBatch {
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES) throw LogsErrors.invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    bytes += size;
  }
  if (bytes > MAX_BATCH_BYTES) throw LogsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) throw LogsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }
  if (events.length > 0 && events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY_MS) {
    throw LogsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }

  // In chronological order, the too old come first and the too new last: two indexes say it all.
  const rejected: RejectedLogEventsInfo = {};
  let from = 0;
  let to = events.length;
  const expiredBefore = retentionDays === undefined ? -Infinity : now - retentionDays * DAY_MS;
  while (from < to && events[from]!.timestamp < Math.max(now - TOO_OLD_MS, expiredBefore)) {
    if (events[from]!.timestamp < expiredBefore) rejected.expiredLogEventEndIndex = from;
    else rejected.tooOldLogEventEndIndex = from;
    from++;
  }
  while (to > from && events[to - 1]!.timestamp > now + TOO_NEW_MS) to--;
  if (to < events.length) rejected.tooNewLogEventStartIndex = to;
  return { accepted: events.slice(from, to), rejected: Object.keys(rejected).length > 0 ? rejected : undefined };
}
