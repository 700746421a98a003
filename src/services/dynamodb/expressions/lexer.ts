/** Splits an expression into tokens: names, #names, :values, list indexes, operators and punctuation. */
import { DynamoDbErrors } from '../../../wire/errors.js';

export type TokenType = 'ident' | 'name' | 'value' | 'number' | 'op' | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  pos: number;
}

const PATTERNS: [TokenType, RegExp][] = [
  ['name', /#[A-Za-z0-9_]+/y],
  ['value', /:[A-Za-z0-9_]+/y],
  ['number', /[0-9]+/y],
  ['ident', /[A-Za-z_][A-Za-z0-9_]*/y],
  ['op', /<>|<=|>=|[=<>(),.[\]+-]/y],
];

export function tokenize(source: string, label: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ws = /\s+/y;
    ws.lastIndex = pos;
    if (ws.exec(source)) {
      pos = ws.lastIndex;
      continue;
    }
    let matched = false;
    for (const [type, re] of PATTERNS) {
      re.lastIndex = pos;
      const m = re.exec(source);
      if (m) {
        tokens.push({ type, text: m[0], pos });
        pos = re.lastIndex;
        matched = true;
        break;
      }
    }
    if (!matched) throw DynamoDbErrors.validation(`Invalid ${label}: Syntax error; token: "${source[pos]}", near: "${source.slice(Math.max(0, pos - 1), pos + 2)}"`);
  }
  tokens.push({ type: 'eof', text: '<EOF>', pos: source.length });
  return tokens;
}
