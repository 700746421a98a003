/** Evaluates parsed conditions and operands against an item, with DynamoDB's semantics. */
import { DynamoDbErrors } from '../../../wire/errors.js';
import { compareScalars, TYPE_TAGS, typeOf, valuesEqual, type Item, type Value } from '../values.js';
import type { Condition, Operand, Path } from './ast.js';

export function resolvePath(item: Item, path: Path): Value | undefined {
  let current: Value | undefined = { M: item };
  for (const e of path) {
    if (current === undefined) return undefined;
    if ('name' in e) current = 'M' in current ? current.M[e.name] : undefined;
    else current = 'L' in current ? current.L[e.index] : undefined;
  }
  return current;
}

/** An operand's value; undefined when it names an attribute the item lacks. */
export function operandValue(item: Item, o: Operand): Value | undefined {
  switch (o.kind) {
    case 'value':
      return o.value;
    case 'path':
      return resolvePath(item, o.path);
    case 'size': {
      const v = resolvePath(item, o.path);
      const n = v === undefined ? undefined : sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    default:
      throw new Error(`${o.kind} is an update operand`);
  }
}

function sizeOf(v: Value): number | undefined {
  if ('S' in v) return [...v.S].length;
  if ('B' in v) return v.B.length;
  if ('SS' in v) return v.SS.length;
  if ('NS' in v) return v.NS.length;
  if ('BS' in v) return v.BS.length;
  if ('L' in v) return v.L.length;
  if ('M' in v) return Object.keys(v.M).length;
  return undefined;
}

export function evaluate(c: Condition, item: Item): boolean {
  switch (c.kind) {
    case 'and':
      return evaluate(c.left, item) && evaluate(c.right, item);
    case 'or':
      return evaluate(c.left, item) || evaluate(c.right, item);
    case 'not':
      return !evaluate(c.condition, item);
    case 'compare': {
      const a = operandValue(item, c.left);
      const b = operandValue(item, c.right);
      if (c.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      if (c.op === '<>') return !(a !== undefined && b !== undefined && valuesEqual(a, b));
      if (a === undefined || b === undefined) return false;
      const order = compareScalars(a, b);
      if (order === undefined) return false;
      return c.op === '<' ? order < 0 : c.op === '<=' ? order <= 0 : c.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const v = operandValue(item, c.operand);
      const low = operandValue(item, c.low);
      const high = operandValue(item, c.high);
      if (v === undefined || low === undefined || high === undefined) return false;
      const lo = compareScalars(v, low);
      const hi = compareScalars(v, high);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const v = operandValue(item, c.operand);
      return v !== undefined && c.list.some((o) => {
        const x = operandValue(item, o);
        return x !== undefined && valuesEqual(v, x);
      });
    }
    case 'function':
      return callFunction(c.name, c.args, item);
  }
}

function callFunction(name: string, args: Operand[], item: Item): boolean {
  const first = operandValue(item, args[0]!);
  switch (name) {
    case 'attribute_exists':
      return first !== undefined;
    case 'attribute_not_exists':
      return first === undefined;
    case 'attribute_type': {
      const t = operandValue(item, args[1]!);
      if (!t || !('S' in t) || !(TYPE_TAGS as readonly string[]).includes(t.S)) {
        const shown = t && 'S' in t ? t.S : JSON.stringify(t);
        throw DynamoDbErrors.validation(`Invalid ConditionExpression: Invalid attribute type name found; type: ${shown}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      return first !== undefined && typeOf(first) === t.S;
    }
    case 'begins_with': {
      const prefix = operandValue(item, args[1]!);
      if (first === undefined || prefix === undefined) return false;
      if ('S' in first && 'S' in prefix) return first.S.startsWith(prefix.S);
      if ('B' in first && 'B' in prefix) return first.B.subarray(0, prefix.B.length).equals(prefix.B);
      return false;
    }
    case 'contains': {
      const needle = operandValue(item, args[1]!);
      if (first === undefined || needle === undefined) return false;
      if ('S' in first) return 'S' in needle && first.S.includes(needle.S);
      if ('SS' in first) return 'S' in needle && first.SS.includes(needle.S);
      if ('NS' in first) return 'N' in needle && first.NS.some((n) => valuesEqual({ N: n }, needle));
      if ('BS' in first) return 'B' in needle && first.BS.some((b) => b.equals(needle.B));
      if ('L' in first) return first.L.some((v) => valuesEqual(v, needle));
      return false;
    }
    default:
      throw new Error(`unknown function ${name}`);
  }
}
