/**
 * CloudWatch Logs filter patterns, one parser for FilterLogEvents (and later metric and subscription
 * filters): `{ … }` is a JSON pattern, `[ … ]` a space-delimited one, anything else terms. A pattern
 * CloudWatch Logs would refuse throws FilterPatternError; it is never taken to match nothing.
 */
import { compileDelimitedPattern } from './delimited.js';
import { compileJsonPattern } from './json.js';
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
