/**
 * Stable logical-id suffixes, bit for bit those of samtranslator: the first 10 hex digits of the SHA-1
 * of the data as Python's `json.dumps(data, separators=(",", ":"), sort_keys=True)` writes it (a string
 * is hashed as is). The same template must give the same ids here and under AWS, or a stack deployed
 * by one would be replaced by the other.
 */
import { createHash } from 'node:crypto';
import type { Json } from './intrinsics.js';

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** The hash suffix of a logical id; empty when the data is empty, as in samtranslator. */
export function logicalIdHash(data: Json | undefined, length = 10): string {
  if (data === undefined || data === null || data === '' || data === false || data === 0) return '';
  if (typeof data === 'object' && Object.keys(data).length === 0) return '';
  const text = typeof data === 'string' ? data : pythonJson(data);
  return sha1Hex(text).slice(0, length);
}

/** Python's compact, key-sorted, ASCII-only JSON. */
export function pythonJson(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pythonFloat(v);
  if (typeof v === 'string') return pythonString(v);
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(',')}]`;
  const keys = Object.keys(v).sort(byCodePoint);
  return `{${keys.map((k) => `${pythonString(k)}:${pythonJson(v[k]!)}`).join(',')}}`;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  // Python's repr uses exponent notation from 1e16 and below 1e-4, with a two-digit exponent.
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python's `json.dumps(v)` with its defaults: `, ` and `: ` separators, keys in insertion order, ASCII only. */
export function pythonJsonDumps(v: Json): string {
  if (v === null || typeof v !== 'object') return pythonJson(v);
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.keys(v).map((k) => `${pythonString(k)}: ${pythonJsonDumps(v[k]!)}`).join(', ')}}`;
}
