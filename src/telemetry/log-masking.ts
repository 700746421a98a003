/**
 * Secret values kept out of stored logs: a function whose environment resolves secrets (a Selfless
 * extension, `{{resolve:secretsmanager:…}}` and `{{resolve:ssm-secure:…}}`) has each occurrence of
 * those values in its log lines replaced before the lines are stored.
 */
import type { LogSink } from './log-sink.js';

export const MASK = '****';
/** Shorter values would mask ordinary text (a "1", a "yes"): they are left as they are. */
const MIN_MASKED_LENGTH = 4;

/** The values to mask for resolved secrets: each one, and the string members of one that is a JSON object. */
export function maskedValues(resolved: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of resolved) {
    out.add(value);
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object') for (const v of Object.values(parsed)) if (typeof v === 'string') out.add(v);
    } catch {
      // not JSON: the value alone
    }
  }
  // Longest first, so that a value containing another is masked whole.
  return [...out].filter((v) => v.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
}

export function maskLine(line: string, values: readonly string[]): string {
  let out = line;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(MASK);
  return out;
}

/** A sink that masks the values in every line before passing the record on. */
export function maskingSink(sink: LogSink, values: readonly string[]): LogSink {
  if (values.length === 0) return sink;
  return {
    // Object.assign, not `{ ...record, … }`: on Node.js 20 every object that a spread begins and more properties follow gets a hidden class of its own.
    append: (record) => sink.append(Object.assign({}, record, { lines: record.lines.map((l) => Object.assign({}, l, { message: maskLine(l.message, values) })) })),
  };
}
