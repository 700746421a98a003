/** Tokens of the JSON and space-delimited forms: selectors, words, quoted strings, `%regex%`, operators. */
import { TokenCursor } from '../../lib/token-cursor.js';
import { FilterPatternError } from './errors.js';

export type Token =
  | { t: 'op'; v: '=' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '(' | ')' | ',' }
  | { t: 'word'; v: string }
  | { t: 'quoted'; v: string };

const OPS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')', ','] as const;

export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new FilterPatternError('a quoted string is not closed');
      i++;
      out.push({ t: 'quoted', v });
      continue;
    }
    if (c === '%') {
      const end = text.indexOf('%', i + 1);
      if (end === -1) throw new FilterPatternError('a %regex% is not closed');
      out.push({ t: 'word', v: text.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    let v = '';
    while (i < text.length && !/\s/.test(text[i]!) && !OPS.some((o) => text.startsWith(o, i)) && text[i] !== '"') v += text[i++];
    out.push({ t: 'word', v });
  }
  return out;
}

/** A cursor over tokens, for the recursive-descent parsers. */
export class Tokens extends TokenCursor<Token> {
  constructor(list: Token[]) {
    super(list, { endsTooSoon: () => new FilterPatternError('the pattern ends too early'), expected: (v) => new FilterPatternError(`expected ${v}`) });
  }

  isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v === v;
  }
}
