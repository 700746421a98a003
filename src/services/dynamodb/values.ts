/**
 * DynamoDB's data model: an item is a map of attribute names to typed values. The type tags (S, N,
 * B, SS, NS, BS, M, L, NULL, BOOL) are DynamoDB's data types themselves, so the domain keeps them;
 * binary values are Buffers here and base64 only on the wire and in the store.
 */
import { DynamoDbErrors } from '../../wire/errors.js';
import { compareDecimal, formatDecimal, parseDecimal, type Decimal } from './decimal.js';

export type Value =
  | { S: string }
  | { N: string }
  | { B: Buffer }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Buffer[] }
  | { M: Item }
  | { L: Value[] }
  | { NULL: true }
  | { BOOL: boolean };

export type Item = Record<string, Value>;
export type TypeTag = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';
export const TYPE_TAGS: readonly TypeTag[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

export const typeOf = (v: Value): TypeTag => Object.keys(v)[0] as TypeTag;

/** DynamoDB's limit on an item: names and values together. */
export const MAX_ITEM_BYTES = 400 * 1024;

const invalid = DynamoDbErrors.invalidParameter;

// Numbers recur (sort keys, counters): each text is parsed and formatted once, within a bound.
const decimals = new Map<string, Decimal>();
const canonical = new Map<string, string>();
const REMEMBERED = 10_000;

function remember<T>(map: Map<string, T>, key: string, value: T): T {
  if (map.size >= REMEMBERED) map.clear();
  map.set(key, value);
  return value;
}

/** The number `text` names, or DynamoDB's ValidationException for it. */
export function decimalOf(text: string): Decimal {
  return decimals.get(text) ?? remember(decimals, text, parseChecked(text));
}

function parseChecked(text: string): Decimal {
  const d = parseDecimal(text);
  if (d === 'not-a-number') throw DynamoDbErrors.validation(`The parameter cannot be converted to a numeric value: ${text}`);
  if (d === 'overflow') throw DynamoDbErrors.validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (d === 'underflow') throw DynamoDbErrors.validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  if (d === 'precision') throw DynamoDbErrors.validation('Attempting to store more than 38 significant digits in a Number');
  return d;
}

const canonicalNumber = (text: string): string => canonical.get(text) ?? remember(canonical, text, formatDecimal(decimalOf(text)));

/**
 * Checks a value from a request (exactly one type, no empty or duplicate set, numbers in range) and
 * returns it with its numbers in canonical form, as DynamoDB stores them.
 */
export function checkValue(raw: unknown): Value {
  if (typeof raw !== 'object' || raw === null) throw DynamoDbErrors.validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  const v = raw as Record<string, unknown>;
  let tag: TypeTag | undefined;
  for (const k in v) {
    if (v[k] === undefined) continue;
    if (tag !== undefined) throw DynamoDbErrors.validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    tag = k as TypeTag;
  }
  if (tag === undefined) throw DynamoDbErrors.validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  switch (tag) {
    case 'S':
      return { S: String(v['S']) };
    case 'N':
      return { N: canonicalNumber(String(v['N'])) };
    case 'B':
      return { B: v['B'] as Buffer };
    case 'BOOL':
      return { BOOL: Boolean(v['BOOL']) };
    case 'NULL':
      if (v['NULL'] !== true) throw invalid('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'SS':
      return { SS: checkSet(v['SS'] as string[], 'string', (s) => s) };
    case 'NS':
      return { NS: checkSet((v['NS'] as string[]).map(canonicalNumber), 'number', (s) => s) };
    case 'BS':
      return { BS: checkSet(v['BS'] as Buffer[], 'binary', (b) => b.toString('base64')) };
    case 'L':
      return { L: (v['L'] as unknown[]).map(checkValue) };
    case 'M':
      return { M: checkItem(v['M'] as Record<string, unknown>) };
    default:
      throw DynamoDbErrors.validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
}

function checkSet<T>(members: T[], kind: string, id: (t: T) => string): T[] {
  if (members.length === 0) throw invalid(`An ${kind} set  may not be empty`);
  const seen = new Set(members.map(id));
  if (seen.size !== members.length) throw invalid(`Input collection [${members.map(id).join(', ')}] contains duplicates.`);
  return members;
}

export function checkItem(raw: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [name, v] of Object.entries(raw)) out[name] = checkValue(v);
  return out;
}

/** The size DynamoDB counts for a value (the developer guide's "Item sizes and formats"). */
export function valueSize(v: Value): number {
  if ('S' in v) return Buffer.byteLength(v.S);
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return v.B.length;
  if ('SS' in v) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if ('NS' in v) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in v) return v.BS.reduce((n, b) => n + b.length, 0);
  if ('M' in v) return 3 + itemSize(v.M) + Object.keys(v.M).length;
  if ('L' in v) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  return 1;
}

/** Two digits to a byte, plus one: the significant digits, without sign, point or leading zeros. */
function numberSize(n: string): number {
  let digits = 0;
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c === 0x2d || c === 0x2e || (digits === 0 && c === 0x30)) continue; // '-', '.', a leading '0'
    digits++;
  }
  return Math.ceil(digits / 2) + 1;
}

// Every write sizes its item, and every Query or Scan each item it reads.
export function itemSize(item: Item): number {
  let n = 0;
  for (const k in item) n += Buffer.byteLength(k) + valueSize(item[k]!);
  return n;
}

export function checkItemSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw DynamoDbErrors.validation('Item size has exceeded the maximum allowed size');
}

export function valuesEqual(a: Value, b: Value): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  switch (ta) {
    case 'N':
      return compareDecimal(decimalOf((a as { N: string }).N), decimalOf((b as { N: string }).N)) === 0;
    case 'B':
      return (a as { B: Buffer }).B.equals((b as { B: Buffer }).B);
    case 'SS':
    case 'NS':
      return sameMembers((a as { SS: string[] }).SS ?? (a as { NS: string[] }).NS, (b as { SS: string[] }).SS ?? (b as { NS: string[] }).NS);
    case 'BS':
      return sameMembers((a as { BS: Buffer[] }).BS.map((x) => x.toString('base64')), (b as { BS: Buffer[] }).BS.map((x) => x.toString('base64')));
    case 'L': {
      const x = (a as { L: Value[] }).L;
      const y = (b as { L: Value[] }).L;
      return x.length === y.length && x.every((v, i) => valuesEqual(v, y[i]!));
    }
    case 'M': {
      const x = (a as { M: Item }).M;
      const y = (b as { M: Item }).M;
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => y[k] !== undefined && valuesEqual(x[k]!, y[k]!));
    }
    default:
      return JSON.stringify(a) === JSON.stringify(b);
  }
}

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Orders two scalars of one type (S, N, B) as DynamoDB does: strings and binaries by bytes, numbers by value. */
export function compareScalars(a: Value, b: Value): number | undefined {
  if ('N' in a && 'N' in b) return compareDecimal(decimalOf(a.N), decimalOf(b.N));
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if ('B' in a && 'B' in b) return Buffer.compare(a.B, b.B);
  return undefined;
}

// ---- the stored form: JSON with binaries in base64, checked when read back ----
// Checked by hand rather than with zod: every read of every item passes here (a Query of 100 items,
// 100 times), and a recursive zod schema cost more than the rest of the read.

class StoredItemError extends Error {
  constructor(why: string) {
    super(`stored item is malformed: ${why}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringsOf(v: unknown, tag: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new StoredItemError(`${tag} is not a list of strings`);
  return v as string[];
}

function toJson(v: Value): unknown {
  if ('B' in v) return { B: v.B.toString('base64') };
  if ('BS' in v) return { BS: v.BS.map((b) => b.toString('base64')) };
  if ('M' in v) return { M: itemToJson(v.M) };
  if ('L' in v) return { L: v.L.map(toJson) };
  return v;
}

/** A stored value, checked (exactly one known type, of the right form), binaries decoded. */
function fromJson(v: unknown): Value {
  if (!isRecord(v)) throw new StoredItemError('a value is not an object');
  let tag: string | undefined;
  for (const k in v) {
    if (tag !== undefined) throw new StoredItemError('a value has more than one type');
    tag = k;
  }
  const x = tag === undefined ? undefined : v[tag];
  switch (tag) {
    case 'S':
    case 'N':
      if (typeof x !== 'string') throw new StoredItemError(`${tag} is not a string`);
      return v as Value;
    case 'B':
      if (typeof x !== 'string') throw new StoredItemError('B is not a string');
      return { B: Buffer.from(x, 'base64') };
    case 'SS':
    case 'NS':
      stringsOf(x, tag);
      return v as Value;
    case 'BS':
      return { BS: stringsOf(x, tag).map((b) => Buffer.from(b, 'base64')) };
    case 'M':
      if (!isRecord(x)) throw new StoredItemError('M is not an object');
      return { M: itemFromJson(x) };
    case 'L':
      if (!Array.isArray(x)) throw new StoredItemError('L is not a list');
      return { L: x.map(fromJson) };
    case 'NULL':
      if (x !== true) throw new StoredItemError('NULL is not true');
      return v as Value;
    case 'BOOL':
      if (typeof x !== 'boolean') throw new StoredItemError('BOOL is not a boolean');
      return v as Value;
    default:
      throw new StoredItemError(tag === undefined ? 'a value has no type' : `unknown type ${tag}`);
  }
}

/** An item as JSON (binaries in base64): how the store keeps it and how the wire carries it. */
export function itemToJson(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = toJson(v);
  return out;
}

function itemFromJson(json: Record<string, unknown>): Item {
  const out: Item = {};
  for (const k in json) out[k] = fromJson(json[k]);
  return out;
}

/** Reads an item back from the store's JSON text, checked. */
export function parseStoredItem(text: string): Item {
  const json: unknown = JSON.parse(text);
  if (!isRecord(json)) throw new StoredItemError('not an object');
  return itemFromJson(json);
}
export const serializeItem = (item: Item): string => JSON.stringify(itemToJson(item));
