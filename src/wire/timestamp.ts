/**
 * A timestamp member as the protocols hand it to a handler: epoch seconds (JSON bodies), ISO 8601 or
 * epoch-seconds text (query strings, headers, query-protocol forms), or a Date (a call from inside the
 * server). In milliseconds; NaN for anything else.
 */
export function timestampMs(value: number | string | Date): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value * 1000;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}
