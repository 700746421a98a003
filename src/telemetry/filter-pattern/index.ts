/**
 * CloudWatch Logs filter patterns, one parser for FilterLogEvents (and later metric and subscription
 * filters): `{ … }` is a JSON pattern, `[ … ]` a space-delimited one, anything else terms. A pattern
 * CloudWatch Logs would refuse throws FilterPatternError; it is never taken to match nothing.
 */
import { compileDelimitedCapture, compileDelimitedPattern } from './delimited.js';
import { compileJsonCapture, compileJsonPattern, selectJson } from './json.js';
import { compileTermPattern, requiredTerm as termOfPattern } from './terms.js';

import { FilterPatternError } from './errors.js';

export { FilterPatternError };

export type FilterMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): FilterMatcher {
  const p = (pattern ?? '').trim();
  if (p === '') return () => true;
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw new FilterPatternError('a JSON pattern must end with }');
    return compileJsonPattern(p.slice(1, -1));
  }
  if (p.startsWith('[')) {
    if (!p.endsWith(']')) throw new FilterPatternError('a space-delimited pattern must end with ]');
    return compileDelimitedPattern(p.slice(1, -1));
  }
  return compileTermPattern(p);
}

/** A plain term every match of a term pattern contains (none for JSON and space-delimited patterns). */
export function requiredTerm(pattern: string): string | undefined {
  const p = pattern.trim();
  return p.startsWith('{') || p.startsWith('[') ? undefined : termOfPattern(p);
}

/**
 * A matched event's fields by the names metric filters use: `$.a.b` in a JSON pattern's event,
 * `$name` for a space-delimited pattern's named field. Undefined for a field that is not there.
 */
export interface CapturedFields {
  get(ref: string): unknown;
  /** The named fields of a space-delimited pattern, as TestMetricFilter reports them (`$name`). */
  named(): Record<string, string>;
}

/** Like compileFilterPattern, keeping what a match found; undefined when the event does not match. */
export function compileFilterCapture(pattern: string | undefined): (message: string) => CapturedFields | undefined {
  const p = (pattern ?? '').trim();
  const none: CapturedFields = { get: () => undefined, named: () => ({}) };
  if (p.startsWith('{') && p.endsWith('}')) {
    const capture = compileJsonCapture(p.slice(1, -1));
    return (message) => {
      const m = capture(message);
      if (!m) return undefined;
      return { get: (ref) => (ref.startsWith('$.') || ref.startsWith('$[') ? selectJson(m.doc, ref) : undefined), named: () => ({}) };
    };
  }
  if (p.startsWith('[') && p.endsWith(']')) {
    const capture = compileDelimitedCapture(p.slice(1, -1));
    return (message) => {
      const m = capture(message);
      if (!m) return undefined;
      return { get: (ref) => (ref.startsWith('$') ? m.get(ref.slice(1)) : undefined), named: () => Object.fromEntries([...m].map(([k, v]) => [`$${k}`, v])) };
    };
  }
  const match = compileFilterPattern(p);
  return (message) => (match(message) ? none : undefined);
}
