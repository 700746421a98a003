/**
 * Applies an UpdateExpression's actions to an item. Every operand is read from the item as it was
 * before the update, as DynamoDB does; the actions then apply in order to a copy.
 */
import { DynamoDbErrors } from '../../../wire/errors.js';
import { addDecimal, formatDecimal } from '../decimal.js';
import { decimalOf, valuesEqual, type Item, type Value } from '../values.js';
import { pathText, type Operand, type Path, type UpdateAction } from './ast.js';
import { operandValue, resolvePath } from './evaluate.js';

const invalid = (message: string) => DynamoDbErrors.validation(`Invalid UpdateExpression: ${message}`);
const badPath = () => DynamoDbErrors.validation('The document path provided in the update expression is invalid for update');
const badOperand = () => DynamoDbErrors.validation('An operand in the update expression has an incorrect data type');

/** DynamoDB refuses two actions on one path, or on a path and a path inside it. */
export function checkOverlaps(actions: readonly UpdateAction[]): void {
  for (let i = 0; i < actions.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = actions[j]!.path;
      const b = actions[i]!.path;
      const n = Math.min(a.length, b.length);
      if (a.slice(0, n).every((e, k) => JSON.stringify(e) === JSON.stringify(b[k]))) {
        const show = (p: Path) => `[${p.map((e) => ('name' in e ? e.name : `[${e.index}]`)).join(', ')}]`;
        throw invalid(`Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${show(a)}, path two: ${show(b)}`);
      }
    }
  }
}

function setValue(o: Operand, before: Item): Value {
  switch (o.kind) {
    case 'if_not_exists':
      return resolvePath(before, o.path) ?? setValue(o.fallback, before);
    case 'list_append': {
      const a = setValue(o.left, before);
      const b = setValue(o.right, before);
      if (!('L' in a) || !('L' in b)) throw invalid('Incorrect operand type for operator or function; operator or function: list_append, operand type: ' + Object.keys('L' in a ? b : a)[0]);
      return { L: [...a.L, ...b.L] };
    }
    case 'arithmetic': {
      const a = setValue(o.left, before);
      const b = setValue(o.right, before);
      if (!('N' in a) || !('N' in b)) throw badOperand();
      return { N: numberResult(addDecimal(decimalOf(a.N), decimalOf(b.N), o.op === '-')) };
    }
    default: {
      const v = operandValue(before, o);
      if (v === undefined) throw DynamoDbErrors.validation('The provided expression refers to an attribute that does not exist in the item');
      return v;
    }
  }
}

function numberResult(r: ReturnType<typeof addDecimal>): string {
  if (typeof r === 'string') throw DynamoDbErrors.validation(r === 'precision' ? 'Number overflow. Attempting to store a number with more than 38 significant digits' : `Number ${r}. Attempting to store a number with magnitude ${r === 'overflow' ? 'larger' : 'smaller'} than supported range`);
  return formatDecimal(r);
}

/** The container a path's last element lives in, created for neither missing maps nor lists. */
function parentOf(item: Item, path: Path): Value | undefined {
  return path.length === 1 ? { M: item } : resolvePath(item, path.slice(0, -1));
}

function put(item: Item, path: Path, value: Value): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (parent && 'name' in last && 'M' in parent) parent.M[last.name] = value;
  else if (parent && 'index' in last && 'L' in parent) {
    // Past the end appends, as DynamoDB does.
    if (last.index >= parent.L.length) parent.L.push(value);
    else parent.L[last.index] = value;
  } else throw badPath();
}

function remove(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (parent && 'name' in last && 'M' in parent) delete parent.M[last.name];
  else if (parent && 'index' in last && 'L' in parent) parent.L.splice(last.index, 1);
  else if (parent === undefined || 'name' in last !== 'M' in parent) throw badPath();
}

const clone = (item: Item): Item => structuredClone(item);

export function applyUpdate(before: Item, actions: readonly UpdateAction[]): Item {
  // Values first, all from the old item; then the writes.
  const values = actions.map((a) => (a.kind === 'SET' ? setValue(a.value, before) : undefined));
  const after = clone(before);
  // List indexes in REMOVE name the list as it was: remove the higher ones first.
  const order = actions.map((_, i) => i).sort((i, j) => removalOrder(actions[i]!, actions[j]!));
  order.forEach((i) => {
    const a = actions[i]!;
    switch (a.kind) {
      case 'SET':
        return put(after, a.path, values[i]!);
      case 'REMOVE':
        return remove(after, a.path);
      case 'ADD':
        return put(after, a.path, add(resolvePath(after, a.path), a.value));
      case 'DELETE': {
        const rest = subtract(resolvePath(after, a.path), a.value);
        return rest === undefined ? remove(after, a.path) : put(after, a.path, rest);
      }
    }
  });
  return after;
}

function removalOrder(a: UpdateAction, b: UpdateAction): number {
  if (a.kind !== 'REMOVE' || b.kind !== 'REMOVE') return 0;
  const la = a.path[a.path.length - 1]!;
  const lb = b.path[b.path.length - 1]!;
  if (!('index' in la) || !('index' in lb) || pathText(a.path.slice(0, -1)) !== pathText(b.path.slice(0, -1))) return 0;
  return lb.index - la.index;
}

const typeName = (v: Value) => ({ S: 'STRING', N: 'NUMBER', B: 'BINARY', SS: 'SS', NS: 'NS', BS: 'BS', M: 'MAP', L: 'LIST', NULL: 'NULL', BOOL: 'BOOLEAN' })[Object.keys(v)[0]!];

function add(current: Value | undefined, v: Value): Value {
  if (!('N' in v || 'SS' in v || 'NS' in v || 'BS' in v)) throw invalid(`Incorrect operand type for operator or function; operator: ADD, operand type: ${typeName(v)}`);
  if (current === undefined) return v;
  if ('N' in v && 'N' in current) return { N: numberResult(addDecimal(decimalOf(current.N), decimalOf(v.N))) };
  if ('SS' in v && 'SS' in current) return { SS: [...current.SS, ...v.SS.filter((s) => !current.SS.includes(s))] };
  if ('NS' in v && 'NS' in current) return { NS: [...current.NS, ...v.NS.filter((n) => !current.NS.some((c) => valuesEqual({ N: c }, { N: n })))] };
  if ('BS' in v && 'BS' in current) return { BS: [...current.BS, ...v.BS.filter((b) => !current.BS.some((c) => c.equals(b)))] };
  throw badOperand();
}

function subtract(current: Value | undefined, v: Value): Value | undefined {
  if (!('SS' in v || 'NS' in v || 'BS' in v)) throw invalid(`Incorrect operand type for operator or function; operator: DELETE, operand type: ${typeName(v)}`);
  if (current === undefined) return undefined;
  let rest: Value;
  if ('SS' in v && 'SS' in current) rest = { SS: current.SS.filter((s) => !v.SS.includes(s)) };
  else if ('NS' in v && 'NS' in current) rest = { NS: current.NS.filter((n) => !v.NS.some((x) => valuesEqual({ N: x }, { N: n }))) };
  else if ('BS' in v && 'BS' in current) rest = { BS: current.BS.filter((b) => !v.BS.some((x) => x.equals(b))) };
  else throw badOperand();
  return Object.values(rest)[0].length === 0 ? undefined : rest;
}

/** The top-level attributes an update writes, for ReturnValues UPDATED_OLD and UPDATED_NEW. */
export const updatedPaths = (actions: readonly UpdateAction[]): Path[] => actions.map((a) => a.path);

export { pathText };
