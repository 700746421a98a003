/** The values filter patterns compare with: strings with `*` wildcards, numbers, and `%regex%`. */
import { FilterPatternError } from './errors.js';

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type PatternValue = { kind: 'string'; text: string; wildcard: boolean } | { kind: 'number'; value: number; text: string } | { kind: 'regex'; regex: RegExp };

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
/** What CloudWatch Logs allows inside `%…%`: no groups, no multi-byte characters. */
const REGEX_ALLOWED = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+. ]*$/;

export function parseRegex(body: string): RegExp {
  if (!REGEX_ALLOWED.test(body)) throw new FilterPatternError(`the regular expression %${body}% uses characters or groups CloudWatch Logs does not support`);
  try {
    return new RegExp(body);
  } catch {
    throw new FilterPatternError(`%${body}% is not a valid regular expression`);
  }
}

/** A value as written after a comparator: quoted, `%regex%`, a number, or a bare word. */
export function parseValue(raw: string, quoted: boolean): PatternValue {
  if (!quoted && raw.length >= 2 && raw.startsWith('%') && raw.endsWith('%')) return { kind: 'regex', regex: parseRegex(raw.slice(1, -1)) };
  if (!quoted && NUMBER.test(raw)) return { kind: 'number', value: Number(raw), text: raw };
  return { kind: 'string', text: raw, wildcard: raw.includes('*') };
}

const wildcardRegex = (text: string) => new RegExp(`^${text.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');

/** Whether a field's value (as found in the event) satisfies `op value`. */
export function compare(actual: unknown, op: Comparator, value: PatternValue): boolean {
  if (actual === undefined) return false;
  if (value.kind === 'number') {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && NUMBER.test(actual) ? Number(actual) : undefined;
    if (n === undefined) return op === '!=';
    switch (op) {
      case '=':
        return n === value.value;
      case '!=':
        return n !== value.value;
      case '<':
        return n < value.value;
      case '<=':
        return n <= value.value;
      case '>':
        return n > value.value;
      case '>=':
        return n >= value.value;
    }
  }
  if (op !== '=' && op !== '!=') throw new FilterPatternError(`${op} compares numbers only`);
  if (actual === null || typeof actual === 'object') return op === '!=';
  const text = String(actual);
  const equal = value.kind === 'regex' ? value.regex.test(text) : value.wildcard ? wildcardRegex(value.text).test(text) : text === value.text;
  return op === '=' ? equal : !equal;
}
