/**
 * Schedule expressions as EventBridge and Scheduler write them: `at(yyyy-mm-ddThh:mm:ss)` (Scheduler
 * only), `rate(n unit)` and `cron(min hour day-of-month month day-of-week year)`, in an IANA time zone.
 * The calendar is croner's; on top of it, Scheduler's daylight-saving rules: a time that does not exist
 * at spring-forward is skipped (croner would run it after the gap), and a time of a repeated hour
 * fires once, on its first pass. `rate()` counts fixed periods (a day is 24 hours) from its anchor.
 */
import { Cron } from 'croner';

export type ScheduleExpression =
  | { kind: 'at'; localTime: string }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; fields: string };

export class ExpressionError extends Error {}

const UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

export function parseExpression(text: string, opts: { allowAt: boolean }): ScheduleExpression {
  const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(text);
  if (at && opts.allowAt) {
    const ms = Date.parse(`${at[1]!}Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== at[1]) throw new ExpressionError(`${text}: not a valid date and time.`);
    return { kind: 'at', localTime: at[1]! };
  }
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    // EventBridge wants the singular for 1 and the plural otherwise.
    if (n < 1 || (n === 1) !== !unit.endsWith('s')) throw new ExpressionError(`${text}: use rate(1 minute) or rate(n minutes) with n > 1.`);
    return { kind: 'rate', periodMs: n * UNITS[unit]! };
  }
  const cron = /^cron\((.+)\)$/.exec(text);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) throw new ExpressionError(`${text}: cron() takes six fields (minutes hours day-of-month month day-of-week year).`);
    if ((fields[2] === '?') === (fields[4] === '?')) throw new ExpressionError(`${text}: exactly one of day-of-month and day-of-week must be ?.`);
    const expr: ScheduleExpression = { kind: 'cron', fields: fields.join(' ') };
    try {
      toCron(expr, 'UTC');
    } catch (err) {
      throw new ExpressionError(`${text}: ${(err as Error).message}`);
    }
    return expr;
  }
  throw new ExpressionError(`${text} is not a valid schedule expression.`);
}

export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ExpressionError(`${zone} is not a valid time zone.`);
  }
}

/**
 * The first occurrence strictly after `after` (epoch ms), or undefined if there is none. `anchor` is
 * where `rate()` periods count from.
 */
export function nextOccurrence(expr: ScheduleExpression, zone: string, after: number, anchor: number): number | undefined {
  switch (expr.kind) {
    case 'at': {
      const t = zonedToEpoch(expr.localTime, zone);
      return t > after ? t : undefined;
    }
    case 'rate': {
      const k = Math.max(1, Math.floor((after - anchor) / expr.periodMs) + 1);
      return anchor + k * expr.periodMs;
    }
    case 'cron': {
      const cron = toCron(expr, zone);
      let from = new Date(after);
      for (let i = 0; i < 1000; i++) {
        const next = cron.nextRun(from);
        if (!next) return undefined;
        const t = next.getTime();
        if (cron.match(next) && !repeatedPass(t, zone)) return t;
        from = next;
      }
      return undefined;
    }
  }
}

/** Quartz-style fields with seconds and year, AWS's day numbering (1 = Sunday). */
function toCron(expr: Extract<ScheduleExpression, { kind: 'cron' }>, zone: string): Cron {
  const fields = expr.fields.split(' ').map((f, i) => f.replace(/(^|,)(\d+)\/(\d+)/g, (_m, sep: string, from: string, step: string) => `${sep}${from}-${FIELD_MAX[i]}/${step}`));
  return new Cron(`0 ${fields.join(' ')}`, { timezone: zone, mode: '7-part', alternativeWeekdays: true, paused: true });
}

/** AWS writes `5/15` for "from 5, every 15"; croner wants the range spelled out. */
const FIELD_MAX = [59, 23, 31, 12, 7, 2199];

/** Whether `t` repeats a local time the zone already showed an hour or so earlier (after fall-back). */
function repeatedPass(t: number, zone: string): boolean {
  const d = offsetMs(t - 2 * 3_600_000, zone) - offsetMs(t, zone);
  return d > 0 && offsetMs(t - d, zone) === offsetMs(t, zone) + d;
}

/** One formatter per zone: making one costs far more than formatting with it (10,000 schedules firing at once). */
const formatters = new Map<string, Intl.DateTimeFormat>();
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `t`, in ms. */
export function offsetMs(t: number, zone: string): number {
  if (UTC_ZONES.has(zone)) return 0;
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return local - Math.floor(t / 1000) * 1000;
}

/** A wall-clock time in a zone as an instant (the earlier one if the time repeats). */
export function zonedToEpoch(localTime: string, zone: string): number {
  const asUtc = Date.parse(`${localTime}Z`);
  const guess = asUtc - offsetMs(asUtc, zone);
  const exact = asUtc - offsetMs(guess, zone);
  return Math.min(guess, exact);
}
