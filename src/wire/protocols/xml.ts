/** Writing XML text: escaping, and the timestamp form XML protocols use (ISO 8601, UTC, seconds). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' };

/**
 * Escapes text for an element or attribute. A carriage return is escaped too: a parser would turn a
 * literal one into a line feed, and an SQS body would no longer match its MD5.
 */
export const escapeXml = (text: string): string => text.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!);

/** Epoch seconds (how handlers give timestamps), a Date or a string already formatted. */
export function xmlTimestamp(value: unknown): string {
  if (typeof value === 'string') return value;
  const date = value instanceof Date ? value : new Date(Number(value) * 1000);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
