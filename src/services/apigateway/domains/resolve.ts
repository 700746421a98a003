/**
 * Which mapping of a custom domain a request path goes to: the longest mapping key that is the path's
 * leading segments (`/v1/orders/7` → `v1/orders` before `v1`), else the empty key, else none (API
 * Gateway's 403). The path the API sees is what follows the key.
 */
import type { DomainMapping } from './records.js';

export interface MappedRequest {
  mapping: DomainMapping;
  /** The path after the mapping key, from its `/` (`/` when nothing follows). */
  rest: string;
}

export function resolveMapping(mappings: readonly DomainMapping[], path: string): MappedRequest | undefined {
  let best: MappedRequest | undefined;
  for (const mapping of mappings) {
    const rest = restAfter(mapping.key, path);
    if (rest !== undefined && (!best || mapping.key.length > best.mapping.key.length)) best = { mapping, rest };
  }
  return best;
}

function restAfter(key: string, path: string): string | undefined {
  if (key === '') return path === '' ? '/' : path;
  const prefix = `/${key}`;
  if (path === prefix) return '/';
  if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
  return undefined;
}
