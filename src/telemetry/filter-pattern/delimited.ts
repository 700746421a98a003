/**
 * Space-delimited filter patterns, `[ip, user, ..., status = 4*, size > 1000]`: the event is split on
 * spaces (a "quoted" or [bracketed] run is one field), each named field lines up with one of the
 * event's, `...` stands for any number of them, and a field may carry conditions joined by && and ||.
 */
import { evaluate, parseConditions, type Condition } from './conditions.js';
import { FilterPatternError } from './errors.js';
import { lex, Tokens } from './lexer.js';
import { compare, parseValue, type Comparator, type PatternValue } from './values.js';

interface Leaf {
  name: string;
  op: Comparator;
  value: PatternValue;
}
type Field = { kind: 'ellipsis' } | { kind: 'field'; name: string; condition?: Condition<Leaf> };

const COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** The event's fields: words, with quoted and bracketed runs kept whole and their marks removed. */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (const m of message.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function parseFields(body: string): Field[] {
  const tokens = new Tokens(lex(body));
  const fields: Field[] = [];
  while (!tokens.done()) {
    const first = tokens.next();
    if (first.t !== 'word') throw new FilterPatternError('each field of a space-delimited pattern begins with a name or ...');
    if (first.v === '...') fields.push({ kind: 'ellipsis' });
    else {
      const name = first.v;
      if (tokens.done() || tokens.isOp(',')) fields.push({ kind: 'field', name });
      else {
        // The field's own conditions: `status = 4* || status = 5*`; the first leaf's name is this field's.
        let firstLeaf = true;
        const condition = parseConditions(
          tokens,
          (t) => {
            const subject = firstLeaf ? name : wordOf(t.next());
            firstLeaf = false;
            const op = t.next();
            if (op.t !== 'op' || !COMPARATORS.has(op.v)) throw new FilterPatternError(`expected a comparison after ${subject}`);
            const value = t.next();
            if (value.t === 'op') throw new FilterPatternError(`expected a value after ${op.v}`);
            return { name: subject, op: op.v as Comparator, value: parseValue(value.v, value.t === 'quoted') };
          },
          (t) => t.isOp(','),
        );
        fields.push({ kind: 'field', name, condition });
      }
    }
    if (tokens.isOp(',')) tokens.next();
    else if (!tokens.done()) throw new FilterPatternError('fields of a space-delimited pattern are separated by commas');
  }
  return fields;
}

const wordOf = (t: ReturnType<Tokens['next']>): string => {
  if (t.t !== 'word') throw new FilterPatternError('expected a field name');
  return t.v;
};

function lineUp(fields: readonly Field[], values: readonly string[], fi: number, vi: number, named: Map<string, string>): boolean {
  if (fi === fields.length) return vi === values.length;
  const field = fields[fi]!;
  if (field.kind === 'ellipsis') {
    for (let skip = vi; skip <= values.length; skip++) if (lineUp(fields, values, fi + 1, skip, named)) return true;
    return false;
  }
  if (vi >= values.length) return false;
  named.set(field.name, values[vi]!);
  if (field.condition && !evaluate(field.condition, (leaf) => compare(named.get(leaf.name), leaf.op, leaf.value))) return false;
  return lineUp(fields, values, fi + 1, vi + 1, named);
}

/** The event's named fields when it matches (for metric filters' `$name` values); undefined when it does not. */
export function compileDelimitedCapture(body: string): (message: string) => Map<string, string> | undefined {
  const fields = parseFields(body);
  if (fields.length === 0) throw new FilterPatternError('a space-delimited pattern names at least one field');
  return (message) => {
    const named = new Map<string, string>();
    return lineUp(fields, splitFields(message), 0, 0, named) ? named : undefined;
  };
}

export function compileDelimitedPattern(body: string): (message: string) => boolean {
  const capture = compileDelimitedCapture(body);
  return (message) => capture(message) !== undefined;
}
