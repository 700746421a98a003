/**
 * samtranslator names a REST API's Deployment after a hash of `str(swagger)`, the Python 2.7 text of
 * the definition: dict keys in Python 2.7's hash-table order, `u'...'` for strings that came from the
 * template (which it marks as "unicode") and `'...'` for those SAM wrote itself. To keep the same
 * Deployment ids as AWS (a new id means a redeployment), this module tracks which dicts and strings
 * of a swagger body SAM created, and renders the same text.
 */
import { isObject, type Json, type JsonObject } from '../intrinsics.js';

interface DictInfo {
  /** A plain Python 3 dict (insertion order) rather than samtranslator's Py27Dict. */
  py3: boolean;
  /** Keys SAM wrote (repr '...'); other keys came from the template (u'...'). */
  plainKeys: Set<string>;
  /** Keys whose string value SAM wrote. */
  plainValues: Set<string>;
  /**
   * Keys in the order they entered the current hash table: a Python 2.7 dict's order depends on it,
   * and every deepcopy (each SwaggerEditor makes two) rebuilds the table from the iteration order.
   */
  history: string[];
}

const DICTS = new WeakMap<object, DictInfo>();
const LISTS = new WeakMap<object, Set<number>>();

function info(dict: JsonObject): DictInfo {
  let i = DICTS.get(dict);
  // A dict SAM did not create came from the template, keys in their written order.
  if (!i) DICTS.set(dict, (i = { py3: false, plainKeys: new Set(), plainValues: new Set(), history: Object.keys(dict) }));
  return i;
}

/** A dict SAM creates; `py3` for the plain dicts of its intrinsic helpers (`{'Ref': ...}`). */
export function samDict(py3 = false): JsonObject {
  const d: JsonObject = {};
  DICTS.set(d, { py3, plainKeys: new Set(), plainValues: new Set(), history: [] });
  return d;
}

/**
 * Sets `dict[key] = value` as SAM does: `plainKey` when SAM wrote the key, `plainValue` when a string
 * value is SAM's own text.
 */
export function samSet(dict: JsonObject, key: string, value: Json, opts: { plainKey?: boolean; plainValue?: boolean } = {}): void {
  const i = info(dict);
  // Replacing a value keeps the key as it was written unless the caller says otherwise.
  if (opts.plainKey !== undefined || !(key in dict)) {
    if (opts.plainKey ?? true) i.plainKeys.add(key);
    else i.plainKeys.delete(key);
  }
  if (typeof value === 'string' && (opts.plainValue ?? true)) i.plainValues.add(key);
  else i.plainValues.delete(key);
  if (!(key in dict)) i.history.push(key);
  dict[key] = value;
}

/** Marks the string items of a list at these indices as SAM's own text. */
export function markPlain(items: Json[], indices: number[]): void {
  LISTS.set(items, new Set(indices));
}

/** The keys of a dict in the order samtranslator iterates them. */
export function iterationOrder(dict: JsonObject): string[] {
  const i = info(dict);
  // A deleted key leaves its slot behind (a "dummy") until the next copy: order the keys with it.
  return i.py3 ? Object.keys(dict) : py27KeyOrder(i.history).filter((k) => k in dict);
}

/** What Python's copy.deepcopy does to the key order of every Py27Dict in a tree. */
export function py27Deepcopy(value: Json): void {
  if (Array.isArray(value)) {
    for (const v of value) py27Deepcopy(v);
    return;
  }
  if (!isObject(value)) return;
  for (const v of Object.values(value)) py27Deepcopy(v);
  const i = info(value);
  if (!i.py3) i.history = py27KeyOrder(i.history).filter((k) => k in value);
}

/** Python 2.7's `str(dict)` of a swagger body as samtranslator holds it. */
export function py27Str(value: Json): string {
  return render(value, false);
}

function render(value: Json, plainString: boolean): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return (plainString ? '' : 'u') + pyRepr(value);
  if (Array.isArray(value)) {
    const marks = LISTS.get(value);
    return `[${value.map((v, i) => render(v, marks?.has(i) ?? false)).join(', ')}]`;
  }
  const keys = iterationOrder(value);
  const i = info(value);
  const parts = keys.map((k) => `${i.plainKeys.has(k) ? '' : 'u'}${pyRepr(k)}: ${render(value[k]!, i.plainValues.has(k))}`);
  return `{${parts.join(', ')}}`;
}

function pyFloat(n: number): string {
  const s = String(n);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Python's repr of a str: single quotes unless the text has a ' and no ". */
function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c > 0x7e && c <= 0xff) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c > 0xff && c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c > 0xffff) out += `\\U${c.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return out + quote;
}

const MASK64 = (1n << 64n) - 1n;

/** Python 2.7's string hash, as a signed 64-bit value. */
export function py27Hash(s: string): bigint {
  if (s.length === 0) return 0n;
  const codes = [...s].map((c) => BigInt(c.codePointAt(0)!));
  let x = (codes[0]! << 7n) & MASK64;
  for (const c of codes) x = ((1000003n * x) ^ c) & MASK64;
  x ^= BigInt(codes.length);
  x &= MASK64;
  return BigInt.asIntN(64, x === MASK64 ? MASK64 - 1n : x);
}

/** Iteration order of a Python 2.7 dict that received `keys` in this order (no deletions). */
export function py27KeyOrder(keys: string[]): string[] {
  let mask = 7n;
  let slots = new Map<bigint, string>();
  let fill = 0;
  const add = (key: string): void => {
    const h = BigInt.asUintN(64, py27Hash(key));
    let i = h & mask;
    if (slots.has(i) && slots.get(i) !== key) {
      let walker = i;
      let perturb = h;
      while (slots.has(i) && slots.get(i) !== key) {
        walker = ((walker << 2n) + walker + perturb + 1n) & MASK64;
        i = walker & mask;
        perturb >>= 5n;
      }
    }
    if (!slots.has(i)) fill += 1;
    slots.set(i, key);
  };
  const resize = (request: number): void => {
    let size = 8n;
    while (size <= BigInt(request)) size <<= 1n;
    const old = [...slots.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, k]) => k);
    mask = size - 1n;
    slots = new Map();
    fill = 0;
    for (const k of old) add(k);
  };
  for (const key of keys) {
    const before = slots.size;
    add(key);
    if (slots.size > before && BigInt(fill * 3) >= (mask + 1n) * 2n) resize(slots.size * (slots.size > 50000 ? 2 : 4));
  }
  return [...slots.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, k]) => k);
}
