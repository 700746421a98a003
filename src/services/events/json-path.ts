/**
 * The JSON paths EventBridge evaluates in InputPath and InputPathsMap: `$`, then dotted names (letters,
 * digits, `_`, `-`, `/`) and array indices, e.g. `$.detail.items[0].sku`.
 */
export type PathStep = string | number;

const STEP = /\.([A-Za-z0-9_\-/:@$]+)|\[(\d+)\]/y;

/** The steps of a path, or undefined if EventBridge would refuse it. */
export function parseJsonPath(path: string): PathStep[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m || m.index !== at) return undefined;
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return steps;
}

/** The value at `steps` in `value`, or undefined where the event has none. */
export function valueAt(value: unknown, steps: readonly PathStep[]): unknown {
  let v = value;
  for (const step of steps) {
    if (typeof step === 'number') v = Array.isArray(v) ? v[step] : undefined;
    else v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[step] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}
