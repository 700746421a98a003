/** ProjectionExpression: the parts of an item that the listed document paths name. */
import type { Item, Value } from '../values.js';
import type { Path } from './ast.js';

export function project(item: Item, paths: readonly Path[]): Item {
  const out: Value = { M: {} };
  for (const path of paths) merge(out, pick({ M: item }, path));
  return (out as { M: Item }).M;
}

/**
 * The part of `from` that `path` names, in the shape of `from` (a map keeps its key; list elements
 * keep their order but are compacted, as DynamoDB returns them); undefined when the path is missing.
 */
function pick(from: Value, path: Path): Value | undefined {
  const [head, ...rest] = path;
  if (!head) return structuredClone(from);
  if ('name' in head) {
    const child = 'M' in from ? from.M[head.name] : undefined;
    const part = child && pick(child, rest);
    return part && { M: { [head.name]: part } };
  }
  const child = 'L' in from ? from.L[head.index] : undefined;
  const part = child && pick(child, rest);
  return part && { L: [part] };
}

function merge(into: Value, part: Value | undefined): void {
  if (!part) return;
  if ('M' in into && 'M' in part) {
    for (const [k, v] of Object.entries(part.M)) {
      const existing = into.M[k];
      if (existing && ('M' in existing || 'L' in existing) && typeof v === 'object' && ('M' in v || 'L' in v)) merge(existing, v);
      else into.M[k] = v;
    }
  } else if ('L' in into && 'L' in part) into.L.push(...part.L);
}
