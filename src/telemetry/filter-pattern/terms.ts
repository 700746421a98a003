/**
 * Term patterns over unstructured events: every plain term must appear, at least one `?term` must
 * when there are any, no `-term` may; "quoted phrases" are one term; `%regex%` matches by regex.
 * Terms are case sensitive, as in CloudWatch Logs.
 */
import { FilterPatternError } from './errors.js';
import { parseRegex } from './values.js';

type Term = { mode: 'all' | 'any' | 'none'; match: (message: string) => boolean; text: string };

export function parseTerms(pattern: string): Term[] {
  const terms: Term[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|%([^%]*)%|(\S+))/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(pattern))) {
    if (pattern.slice(consumed, m.index).trim() !== '') throw new FilterPatternError(`unexpected text in ${pattern}`);
    consumed = re.lastIndex;
    const mode = m[1] === '?' ? 'any' : m[1] === '-' ? 'none' : 'all';
    if (m[3] !== undefined) {
      const regex = parseRegex(m[3]);
      terms.push({ mode, match: (s) => regex.test(s), text: `%${m[3]}%` });
      continue;
    }
    const text = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[4]!;
    if (m[2] === undefined && /["%]/.test(text)) throw new FilterPatternError(`invalid character(s) in term '${text}'`);
    terms.push({ mode, match: (s) => s.includes(text), text });
  }
  if (pattern.slice(consumed).trim() !== '') throw new FilterPatternError(`unexpected text in ${pattern}`);
  return terms;
}

export function compileTermPattern(pattern: string): (message: string) => boolean {
  const terms = parseTerms(pattern);
  const all = terms.filter((t) => t.mode === 'all');
  const any = terms.filter((t) => t.mode === 'any');
  const none = terms.filter((t) => t.mode === 'none');
  return (message) => all.every((t) => t.match(message)) && (any.length === 0 || any.some((t) => t.match(message))) && !none.some((t) => t.match(message));
}

/** A plain term every match must contain, if the pattern has one: lets the store narrow its search. */
export function requiredTerm(pattern: string): string | undefined {
  try {
    return parseTerms(pattern).find((t) => t.mode === 'all' && !t.text.startsWith('%'))?.text;
  } catch {
    return undefined;
  }
}
