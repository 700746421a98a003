/**
 * Conditions joined by `&&` and `||` (with parentheses), as the JSON and space-delimited forms write
 * them: `&&` binds tighter than `||`. Each leaf is parsed by the form that uses it.
 */
import { FilterPatternError } from './errors.js';
import type { Tokens } from './lexer.js';

export type Condition<Leaf> = { and: Condition<Leaf>[] } | { or: Condition<Leaf>[] } | { leaf: Leaf };

export function parseConditions<Leaf>(tokens: Tokens, leaf: (tokens: Tokens) => Leaf, stop: (tokens: Tokens) => boolean = () => false): Condition<Leaf> {
  const or: Condition<Leaf>[] = [parseAnd(tokens, leaf, stop)];
  while (tokens.isOp('||')) {
    tokens.next();
    or.push(parseAnd(tokens, leaf, stop));
  }
  return or.length === 1 ? or[0]! : { or };
}

function parseAnd<Leaf>(tokens: Tokens, leaf: (tokens: Tokens) => Leaf, stop: (tokens: Tokens) => boolean): Condition<Leaf> {
  const and: Condition<Leaf>[] = [parsePrimary(tokens, leaf, stop)];
  while (tokens.isOp('&&')) {
    tokens.next();
    and.push(parsePrimary(tokens, leaf, stop));
  }
  return and.length === 1 ? and[0]! : { and };
}

function parsePrimary<Leaf>(tokens: Tokens, leaf: (tokens: Tokens) => Leaf, stop: (tokens: Tokens) => boolean): Condition<Leaf> {
  if (tokens.isOp('(')) {
    tokens.next();
    const inner = parseConditions(tokens, leaf, stop);
    tokens.expectOp(')');
    return inner;
  }
  if (tokens.done() || stop(tokens)) throw new FilterPatternError('a condition is missing');
  return { leaf: leaf(tokens) };
}

export function evaluate<Leaf>(c: Condition<Leaf>, test: (leaf: Leaf) => boolean): boolean {
  if ('leaf' in c) return test(c.leaf);
  if ('and' in c) return c.and.every((x) => evaluate(x, test));
  return c.or.some((x) => evaluate(x, test));
}
