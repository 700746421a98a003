/**
 * JSON filter patterns, `{ $.level = "ERROR" && $.latency > 500 }`: selectors into the event's JSON
 * (`$.a.b`, `$.list[0]`), compared with strings (wildcards `*`), numbers or `%regex%`, or tested
 * with `IS NULL`, `IS TRUE`, `IS FALSE`, `EXISTS`, `NOT EXISTS`. An event that is not JSON never matches.
 */
import { evaluate, parseConditions, type Condition } from './conditions.js';
import { FilterPatternError } from './errors.js';
import { lex, Tokens } from './lexer.js';
import { compare, parseValue, type Comparator, type PatternValue } from './values.js';

type Step = { key: string } | { index: number };
type Test = { kind: 'compare'; op: Comparator; value: PatternValue } | { kind: 'null' } | { kind: 'true' } | { kind: 'false' } | { kind: 'exists'; exists: boolean };
interface Leaf {
  path: Step[];
  test: Test;
}

const COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);

export function parseSelector(text: string): Step[] {
  if (!text.startsWith('$')) throw new FilterPatternError(`${text} is not a selector: selectors begin with $`);
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) steps.push(m[1] !== undefined ? { key: m[1] } : { index: Number(m[2]) });
  if (re.lastIndex !== text.length || steps.length === 0) throw new FilterPatternError(`${text} is not a valid selector`);
  return steps;
}

function parseLeaf(tokens: Tokens): Leaf {
  const sel = tokens.next();
  if (sel.t !== 'word') throw new FilterPatternError('a condition must begin with a selector such as $.field');
  const path = parseSelector(sel.v);
  if (tokens.isWord('IS')) {
    tokens.next();
    const what = tokens.next();
    if (what.t === 'word' && what.v === 'NULL') return { path, test: { kind: 'null' } };
    if (what.t === 'word' && what.v === 'TRUE') return { path, test: { kind: 'true' } };
    if (what.t === 'word' && what.v === 'FALSE') return { path, test: { kind: 'false' } };
    throw new FilterPatternError('IS must be followed by NULL, TRUE or FALSE');
  }
  if (tokens.isWord('NOT')) {
    tokens.next();
    if (!tokens.isWord('EXISTS')) throw new FilterPatternError('NOT must be followed by EXISTS');
    tokens.next();
    return { path, test: { kind: 'exists', exists: false } };
  }
  if (tokens.isWord('EXISTS')) {
    tokens.next();
    return { path, test: { kind: 'exists', exists: true } };
  }
  const op = tokens.next();
  if (op.t !== 'op' || !COMPARATORS.has(op.v)) throw new FilterPatternError(`expected a comparison after ${sel.v}`);
  const value = tokens.next();
  if (value.t === 'op') throw new FilterPatternError(`expected a value after ${op.v}`);
  return { path, test: { kind: 'compare', op: op.v as Comparator, value: parseValue(value.v, value.t === 'quoted') } };
}

const MISSING = Symbol('missing');

function resolve(doc: unknown, path: readonly Step[]): unknown {
  let cur: unknown = doc;
  for (const step of path) {
    if ('key' in step) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !(step.key in cur)) return MISSING;
      cur = (cur as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(cur) || step.index >= cur.length) return MISSING;
      cur = cur[step.index];
    }
  }
  return cur;
}

function test(doc: unknown, leaf: Leaf): boolean {
  const v = resolve(doc, leaf.path);
  switch (leaf.test.kind) {
    case 'null':
      return v === null;
    case 'true':
      return v === true;
    case 'false':
      return v === false;
    case 'exists':
      return (v !== MISSING) === leaf.test.exists;
    case 'compare':
      if (v === MISSING) return false;
      // `= *` asks only that the field be there.
      if (leaf.test.value.kind === 'string' && leaf.test.value.text === '*' && leaf.test.op === '=') return true;
      return compare(v, leaf.test.op, leaf.test.value);
  }
}

/** The event's JSON document when it matches, so that metric filters can read its fields; undefined when it does not. */
export function compileJsonCapture(body: string): (message: string) => { doc: unknown } | undefined {
  const tokens = new Tokens(lex(body));
  const condition: Condition<Leaf> = parseConditions(tokens, parseLeaf);
  if (!tokens.done()) throw new FilterPatternError('unexpected text after the conditions');
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message.slice(message.indexOf('{')));
    } catch {
      return undefined;
    }
    return evaluate(condition, (leaf) => test(doc, leaf)) ? { doc } : undefined;
  };
}

export function compileJsonPattern(body: string): (message: string) => boolean {
  const capture = compileJsonCapture(body);
  return (message) => capture(message) !== undefined;
}

/** The value at `$.a.b` in a document; undefined when it is not there. */
export function selectJson(doc: unknown, selector: string): unknown {
  const v = resolve(doc, parseSelector(selector));
  return v === MISSING ? undefined : v;
}
