/** A stream mapping's filters (the EventBridge pattern syntax of ./filter-pattern.ts), matched against each record's filter view. */
import { matchesPattern, parsePattern, type CompiledPattern } from './filter-pattern.js';
import type { StreamItem } from './sharded-stream.js';

export const compileStreamFilters = (patterns: readonly string[]): CompiledPattern[] => patterns.map(parsePattern);

/** True if the record matches any filter (or there are none). */
export function passesStreamFilters(filters: readonly CompiledPattern[], item: StreamItem): boolean {
  if (filters.length === 0) return true;
  const view = item.filterView();
  return filters.some((f) => matchesPattern(f, view));
}
