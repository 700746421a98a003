/**
 * SNS subscription filter policies: parsed and checked once (when a subscription sets one), then
 * matched against each message's attributes (scope MessageAttributes) or its JSON body (MessageBody).
 * Keys are ANDed, the conditions of one key ORed, `$or` ORs whole sub-policies; a value that is an
 * array matches when any of its elements does.
 */
import { BlockList, isIP } from 'node:net';
import type { SnsMessageAttributes } from './model.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

type Scalar = string | number | boolean | null;
/** The values found under a key: undefined when the key is absent; empty when present with nothing matchable (Binary). */
type Found = readonly Scalar[] | undefined;
type Condition = (found: Found) => boolean;

interface PolicyNode {
  /** Each key's conditions (ORed), or a nested policy (body scope). */
  keys: readonly { key: string; match: Condition[] | PolicyNode }[];
  /** Sub-policies, any of which must match, besides the keys. */
  or: readonly PolicyNode[];
}

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
  readonly root: PolicyNode;
}

/** A policy SNS refuses; the message is what follows `FilterPolicy: ` in its InvalidParameter error. */
export class FilterPolicyError extends Error {}

const fail = (message: string): never => {
  throw new FilterPolicyError(message);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
// SNS counts the combinations of values a policy can match; more than this is refused.
const MAX_COMBINATIONS = 150;
/** SNS's documented limits: five attribute names per policy, numeric operands within ±10^9. */
const MAX_KEYS = 5;
const NUMERIC_LIMIT = 1e9;

export function parseFilterPolicy(json: string, scope: FilterPolicyScope): FilterPolicy {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail('failed to parse JSON.');
  }
  if (!isObject(value)) return fail('Filter policy must be a JSON object');
  const root = parseNode(value, scope, 0);
  if (combinations(root) > MAX_COMBINATIONS) fail(`Filter policy is too complex: more than ${MAX_COMBINATIONS} combinations`);
  if (keyPaths(root).size > MAX_KEYS) fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
  return { scope, root };
}

/** The attribute names (body paths) a policy matches on, across its `$or` alternatives. */
function keyPaths(node: PolicyNode, prefix = '', into = new Set<string>()): Set<string> {
  for (const { key, match } of node.keys) {
    if (Array.isArray(match)) into.add(prefix + key);
    else keyPaths(match, `${prefix}${key}.`, into);
  }
  for (const sub of node.or) keyPaths(sub, prefix, into);
  return into;
}

function parseNode(value: Record<string, unknown>, scope: FilterPolicyScope, depth: number): PolicyNode {
  const keys: PolicyNode['keys'][number][] = [];
  const or: PolicyNode[] = [];
  if (Object.keys(value).length === 0) fail('Filter policy must not be empty');
  for (const [key, v] of Object.entries(value)) {
    if (key === '$or') {
      if (!Array.isArray(v) || v.length < 2 || !v.every(isObject)) fail('$or must be an array of at least two policies');
      for (const sub of v as Record<string, unknown>[]) or.push(parseNode(sub, scope, depth));
    } else if (Array.isArray(v)) {
      if (v.length === 0) fail(`Empty arrays are not allowed (key ${key})`);
      keys.push({ key, match: v.map((c) => parseCondition(key, c)) });
    } else if (isObject(v)) {
      if (scope === 'MessageAttributes') fail(`Unrecognized match type ${key}: nested keys apply only to the MessageBody scope`);
      keys.push({ key, match: parseNode(v, scope, depth + 1) });
    } else {
      fail(`Match value must be String, number, true, false, or null (key ${key})`);
    }
  }
  return { keys, or };
}

function combinations(node: PolicyNode): number {
  let n = 1;
  for (const k of node.keys) n *= Array.isArray(k.match) ? k.match.length : combinations(k.match);
  if (node.or.length > 0) n *= node.or.reduce((sum, sub) => sum + combinations(sub), 0);
  return n;
}

const strings = (found: Found): string[] => (found ?? []).filter((v): v is string => typeof v === 'string');
const numbers = (found: Found): number[] => (found ?? []).filter((v): v is number => typeof v === 'number');

function parseCondition(key: string, c: unknown): Condition {
  if (isScalar(c)) return (found) => (found ?? []).some((v) => v === c);
  if (!isObject(c)) return fail(`Match value must be String, number, true, false, or null (key ${key})`);
  const entries = Object.entries(c);
  if (entries.length !== 1) return fail(`Only one operator is allowed per condition (key ${key})`);
  const [op, arg] = entries[0]!;
  switch (op) {
    case 'prefix':
      return stringOp(key, op, arg, (v, s) => v.startsWith(s));
    case 'suffix':
      return stringOp(key, op, arg, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return stringOp(key, op, arg, (v, s) => v.toLowerCase() === s.toLowerCase());
    case 'exists':
      if (typeof arg !== 'boolean') return fail(`exists match pattern must be either true or false (key ${key})`);
      return (found) => (found !== undefined) === arg;
    case 'numeric':
      return numericCondition(key, arg);
    case 'cidr':
      return cidrCondition(key, arg);
    case 'anything-but':
      return anythingBut(key, arg);
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function stringOp(key: string, op: string, arg: unknown, test: (value: string, operand: string) => boolean): Condition {
  if (typeof arg !== 'string') return fail(`${op} match pattern must be a string (key ${key})`);
  return (found) => strings(found).some((v) => test(v, arg));
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericCondition(key: string, arg: unknown): Condition {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) return fail(`Value of numeric must be an array of operator, value pairs (key ${key})`);
  const tests: ((v: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const operand = arg[i + 1];
    const compare = typeof op === 'string' ? COMPARE[op] : undefined;
    if (!compare || typeof operand !== 'number') return fail(`Unrecognized numeric range operator: ${String(op)} (key ${key})`);
    if (Math.abs(operand) > NUMERIC_LIMIT) return fail(`Numeric value must be between -1.0E9 and 1.0E9 inclusive (key ${key})`);
    if (op === '=' && arg.length > 2) return fail(`= cannot be combined with a range (key ${key})`);
    tests.push((v) => compare(v, operand));
  }
  if (tests.length === 2 && !['>', '>='].includes(arg[0] as string)) return fail(`Bottom must be > or >= in a numeric range (key ${key})`);
  return (found) => numbers(found).some((v) => tests.every((t) => t(v)));
}

function cidrCondition(key: string, arg: unknown): Condition {
  const m = typeof arg === 'string' ? /^(.+)\/(\d{1,3})$/.exec(arg) : null;
  const family = m ? isIP(m[1]!) : 0;
  const bits = m ? Number(m[2]) : -1;
  if (!m || family === 0 || bits > (family === 4 ? 32 : 128)) return fail(`Malformed CIDR, one '/' required (key ${key})`);
  const block = new BlockList();
  block.addSubnet(m[1]!, bits, family === 4 ? 'ipv4' : 'ipv6');
  return (found) =>
    strings(found).some((v) => {
      const f = isIP(v);
      return f !== 0 && block.check(v, f === 4 ? 'ipv4' : 'ipv6');
    });
}

function anythingBut(key: string, arg: unknown): Condition {
  if (isObject(arg)) {
    const [[op, operand] = []] = Object.entries(arg);
    if (Object.keys(arg).length !== 1 || typeof operand !== 'string' || !['prefix', 'suffix'].includes(op!)) {
      return fail(`Unsupported anything-but pattern (key ${key})`);
    }
    const hit = op === 'prefix' ? (v: string) => v.startsWith(operand) : (v: string) => v.endsWith(operand);
    return (found) => strings(found).some((v) => !hit(v));
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  if (excluded.length === 0 || !excluded.every((x) => typeof x === 'string' || typeof x === 'number')) {
    return fail(`anything-but list must contain strings or numbers (key ${key})`);
  }
  // Present and holding at least one value outside the list (a missing key does not match).
  return (found) => (found ?? []).some((v) => !excluded.includes(v as string | number));
}

/** What a message offers a policy: its attributes, or its body parsed as JSON. */
export interface FilterSubject {
  attributes: SnsMessageAttributes;
  body: string;
}

export function matches(policy: FilterPolicy, subject: FilterSubject): boolean {
  if (policy.scope === 'MessageAttributes') return matchNode(policy.root, (key) => attributeValues(subject.attributes, key));
  let body: unknown;
  try {
    body = JSON.parse(subject.body);
  } catch {
    return false; // a body that is not JSON matches no body policy
  }
  return isObject(body) && matchObject(policy.root, body);
}

function matchNode(node: PolicyNode, lookup: (key: string) => Found): boolean {
  for (const { key, match } of node.keys) {
    if (!Array.isArray(match)) return false; // nested policies exist only in body scope
    const found = lookup(key);
    if (!match.some((c) => c(found))) return false;
  }
  return node.or.length === 0 || node.or.some((sub) => matchNode(sub, lookup));
}

function matchObject(node: PolicyNode, obj: Record<string, unknown>): boolean {
  for (const { key, match } of node.keys) {
    const v = obj[key];
    if (Array.isArray(match)) {
      if (!match.some((c) => c(bodyValues(v)))) return false;
    } else {
      // A nested key: the object under it, or any object of an array under it, must match.
      const candidates = (Array.isArray(v) ? v : [v]).filter(isObject);
      if (!candidates.some((o) => matchObject(match, o))) return false;
    }
  }
  return node.or.length === 0 || node.or.some((sub) => matchObject(sub, obj));
}

function bodyValues(v: unknown): Found {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter(isScalar);
}

function attributeValues(attributes: SnsMessageAttributes, key: string): Found {
  const a = attributes[key];
  if (!a) return undefined;
  const type = a.dataType.split('.')[0];
  const value = a.stringValue;
  if (value === undefined || type === 'Binary') return [];
  if (a.dataType.startsWith('String.Array') || a.dataType.startsWith('Number.Array')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed.filter(isScalar) : [];
    } catch {
      return [];
    }
  }
  if (type === 'Number') {
    const n = Number(value);
    return Number.isFinite(n) ? [n] : [];
  }
  return [value];
}
