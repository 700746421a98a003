/** ProjectionExpression: the parts of an item that the listed document paths name. */
import type { Item, Value } from '../values.js';
import type { Path } from './ast.js';

export function project(item: Item, paths: readonly Path[]): Item {
  const out: Value = { M: {} };
  for (const path of paths) copyPath({ M: item }, out, path);
  return (out as { M: Item }).M;
}

function copyPath(from: Value, to: Value, path: Path): void {
  const [head, ...rest] = path;
  if (!head) return;
  let child: Value | undefined;
  if ('name' in head && 'M' in from) child = from.M[head.name];
  else if ('index' in head && 'L' in from) child = from.L[head.index];
  if (child === undefined) return;
  if (rest.length === 0) {
    if ('name' in head && 'M' in to) to.M[head.name] = structuredClone(child);
    else if ('L' in to) to.L.push(structuredClone(child));
    return;
  }
  const shell: Value = 'M' in child ? { M: {} } : 'L' in child ? { L: [] } : child;
  let target: Value | undefined;
  if ('name' in head && 'M' in to) target = to.M[head.name] ??= shell;
  else if ('L' in to) {
    // List elements keep their order but are compacted, as DynamoDB returns them.
    target = shell;
    to.L.push(target);
  }
  if (target) copyPath(child, target, rest);
}
