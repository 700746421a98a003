/**
 * Lambda's event filtering patterns (the EventBridge pattern syntax): a pattern is a JSON object
 * whose leaves are arrays of matchers; fields are ANDed, the matchers of a leaf ORed. Pure: parse
 * once with `parsePattern`, then `matchesPattern` each record. Events parsed with
 * `parseJsonKeepingNumbers` keep their numbers' text, which exact number matches compare.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { JsonNumber, parseJsonKeepingNumbers } from './json-numbers.js';

export class PatternError extends Error {}

type Scalar = string | number | boolean | null;
type NumericOp = '=' | '<' | '<=' | '>' | '>=';

type Matcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'number'; text: string }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; re: RegExp }
  | { kind: 'anything-but'; values: Scalar[] }
  | { kind: 'anything-but-match'; inner: Matcher[] }
  | { kind: 'numeric'; conditions: [NumericOp, number][] }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; list: BlockList };

export type PatternNode = { kind: 'object'; fields: [string, PatternNode][]; or: PatternNode[] } | { kind: 'leaf'; matchers: Matcher[] };

/** A parsed pattern: the root is always an object node. */
export type CompiledPattern = Extract<PatternNode, { kind: 'object' }>;

export function parsePattern(text: string): CompiledPattern {
  let json: unknown;
  try {
    json = parseJsonKeepingNumbers(text);
  } catch {
    throw new PatternError('the pattern is not valid JSON');
  }
  if (!isPlainObject(json)) throw new PatternError('the pattern must be a JSON object');
  return compileObject(json, '');
}

function compileObject(obj: Record<string, unknown>, path: string): CompiledPattern {
  const fields: [string, PatternNode][] = [];
  const or: PatternNode[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) throw new PatternError(`${at} must be a list of at least two patterns`);
      or.push(...value.map((v, i) => compileObject(v as Record<string, unknown>, `${at}[${i}]`)));
    } else if (isPlainObject(value)) {
      fields.push([key, compileObject(value, at)]);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternError(`${at} must list at least one value`);
      fields.push([key, { kind: 'leaf', matchers: value.map((v) => compileMatcher(v, at)) }]);
    } else {
      throw new PatternError(`${at} must be an object or a list of values`);
    }
  }
  if (fields.length === 0 && or.length === 0) throw new PatternError(`${path || 'the pattern'} is empty`);
  return { kind: 'object', fields, or };
}

function compileMatcher(v: unknown, at: string): Matcher {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { kind: 'exact', value: v };
  if (v instanceof JsonNumber) {
    if (!Number.isFinite(v.value)) throw new PatternError(`${at}: numbers must be finite`);
    return { kind: 'number', text: v.text };
  }
  if (!isPlainObject(v)) throw new PatternError(`${at}: unsupported value ${JSON.stringify(plain(v))}`);
  const keys = Object.keys(v);
  if (keys.length !== 1) throw new PatternError(`${at}: a matcher object has exactly one operator`);
  const op = keys[0]!;
  // Operators other than an exact number compare numbers by value.
  const arg = plain(v[op]);
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (typeof arg === 'string') return { kind: op, value: arg, ignoreCase: false };
      if (isPlainObject(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string') {
        return { kind: op, value: (arg['equals-ignore-case'] as string).toLowerCase(), ignoreCase: true };
      }
      throw new PatternError(`${at}: ${op} takes a string`);
    }
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new PatternError(`${at}: equals-ignore-case takes a string`);
      return { kind: op, value: arg.toLowerCase() };
    case 'wildcard':
      if (typeof arg !== 'string') throw new PatternError(`${at}: wildcard takes a string`);
      return { kind: op, re: compileWildcard(arg, at) };
    case 'anything-but': {
      // Strings or numbers, and a list holds only one of the two.
      const values = Array.isArray(arg) ? arg : [arg];
      if (values.length > 0 && (values.every((x) => typeof x === 'string') || values.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
        return { kind: op, values: values as Scalar[] };
      }
      if (isPlainObject(arg) && Object.keys(arg).length === 1) {
        // EventBridge takes one string or a list of strings for each of these inside anything-but.
        const [innerOp, innerArg] = Object.entries(arg)[0]!;
        const values = Array.isArray(innerArg) && innerArg.length > 0 && innerArg.every((v) => typeof v === 'string') ? innerArg : [innerArg];
        const inner = values.map((v) => compileMatcher({ [innerOp]: v }, at));
        if (inner.every((m) => m.kind === 'prefix' || m.kind === 'suffix' || m.kind === 'equals-ignore-case' || m.kind === 'wildcard')) {
          return { kind: 'anything-but-match', inner };
        }
      }
      throw new PatternError(`${at}: anything-but takes a string, a number, a list of only strings or only numbers, or a prefix, suffix, equals-ignore-case or wildcard`);
    }
    case 'numeric':
      return { kind: op, conditions: compileNumeric(arg, at) };
    case 'exists':
      if (typeof arg !== 'boolean') throw new PatternError(`${at}: exists takes true or false`);
      return { kind: op, value: arg };
    case 'cidr':
      return { kind: op, list: compileCidr(arg, at) };
    default:
      throw new PatternError(`${at}: unknown operator ${op}`);
  }
}

/** `*` matches any run of characters, `\\*` a literal star; EventBridge refuses `**` as needless. */
function compileWildcard(pattern: string, at: string): RegExp {
  if (/(?<!\\)\*\*/.test(pattern)) throw new PatternError(`${at}: wildcard must not contain consecutive stars`);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) re += escapeRegExp(pattern[++i]!);
    else re += c === '*' ? '.*' : escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 's');
}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);
/** EventBridge's numeric matching covers -5e9..5e9. */
const NUMERIC_LIMIT = 5e9;

function compileNumeric(arg: unknown, at: string): [NumericOp, number][] {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) throw new PatternError(`${at}: numeric takes operator/value pairs`);
  const out: [NumericOp, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op) || typeof n !== 'number' || !Number.isFinite(n)) {
      throw new PatternError(`${at}: numeric takes operator/value pairs`);
    }
    if (Math.abs(n) > NUMERIC_LIMIT) throw new PatternError(`${at}: numeric values must lie between -5.0e9 and 5.0e9`);
    out.push([op as NumericOp, n]);
  }
  if (out.length === 2 && out.some(([op]) => op === '=')) throw new PatternError(`${at}: numeric = stands alone`);
  return out;
}

function compileCidr(arg: unknown, at: string): BlockList {
  const m = typeof arg === 'string' ? /^(.+)\/(\d{1,3})$/.exec(arg) : null;
  const ip = m?.[1];
  const bits = Number(m?.[2]);
  const type = ip && isIPv4(ip) ? 'ipv4' : ip && isIPv6(ip) ? 'ipv6' : undefined;
  if (!ip || !type || bits > (type === 'ipv4' ? 32 : 128)) throw new PatternError(`${at}: cidr takes a block such as 10.0.0.0/24`);
  const list = new BlockList();
  list.addSubnet(ip, bits, type);
  return list;
}

/**
 * Whether the pattern compares some number by its written text (an exact number; anything-but and
 * numeric compare values): only then must the event be parsed keeping its numbers' text.
 */
export function comparesNumberText(pattern: CompiledPattern): boolean {
  let known = numberTextUse.get(pattern);
  if (known === undefined) numberTextUse.set(pattern, (known = nodeUsesNumberText(pattern)));
  return known;
}

const numberTextUse = new WeakMap<CompiledPattern, boolean>();

function nodeUsesNumberText(node: PatternNode): boolean {
  if (node.kind === 'leaf') return node.matchers.some((m) => m.kind === 'number');
  return node.fields.some(([, child]) => nodeUsesNumberText(child)) || node.or.some(nodeUsesNumberText);
}

export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(node: CompiledPattern, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => matchObject(node, v));
  const obj = isPlainObject(value) ? value : undefined;
  for (const [key, child] of node.fields) {
    if (!matchField(child, obj?.[key])) return false;
  }
  return node.or.length === 0 || node.or.some((alt) => matchObject(alt as CompiledPattern, value));
}

function matchField(node: PatternNode, value: unknown): boolean {
  if (node.kind === 'object') return value !== undefined && (isPlainObject(value) || Array.isArray(value)) && matchObject(node, value);
  return node.matchers.some((m) => {
    if (m.kind === 'exists') return m.value === (value !== undefined && !isPlainObject(value));
    if (value === undefined) return false;
    if (Array.isArray(value)) return value.some((v) => matchValue(m, v));
    return matchValue(m, value);
  });
}

function matchValue(m: Matcher, v: unknown): boolean {
  switch (m.kind) {
    case 'exact':
      return v === m.value;
    case 'number':
      return v instanceof JsonNumber ? v.text === m.text : typeof v === 'number' && JSON.stringify(v) === m.text;
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase() : v).startsWith(m.value);
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase() : v).endsWith(m.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value;
    case 'wildcard':
      return typeof v === 'string' && m.re.test(v);
    case 'anything-but': {
      const x = v instanceof JsonNumber ? v.value : v;
      return isScalar(x) && !m.values.includes(x);
    }
    case 'anything-but-match':
      return typeof v === 'string' && !m.inner.some((inner) => matchValue(inner, v));
    case 'numeric': {
      const x = v instanceof JsonNumber ? v.value : v;
      return typeof x === 'number' && m.conditions.every(([op, n]) => compare(op, x, n));
    }
    case 'cidr':
      return typeof v === 'string' && (isIPv4(v) ? m.list.check(v, 'ipv4') : isIPv6(v) ? m.list.check(v, 'ipv6') : false);
    case 'exists':
      return m.value;
  }
}

function compare(op: NumericOp, v: number, n: number): boolean {
  switch (op) {
    case '=':
      return v === n;
    case '<':
      return v < n;
    case '<=':
      return v <= n;
    case '>':
      return v > n;
    case '>=':
      return v >= n;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
/** A parsed pattern value with its numbers as plain numbers. */
const plain = (v: unknown): unknown =>
  v instanceof JsonNumber ? v.value : Array.isArray(v) ? v.map(plain) : isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
