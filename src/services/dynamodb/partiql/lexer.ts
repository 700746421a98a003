/** PartiQL's tokens, as DynamoDB reads them: words, "quoted names", 'strings', numbers, `?` and punctuation. */
import { DynamoDbErrors } from '../../../wire/errors.js';

export type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'name'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'punct'; text: string; at: number }
  | { kind: 'end'; text: ''; at: number };

/** DynamoDB's ValidationException for a statement it cannot parse. */
export const malformed = (detail: string) => DynamoDbErrors.validation(`Statement wasn't well formed, can't be processed: ${detail}`);

const PUNCT = ['<<', '>>', '<>', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', '.', '*', '?', '=', '<', '>', '+', '-', ':'];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      // A quote doubled inside its own kind of quotes stands for itself.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw malformed(`unterminated ${c === "'" ? 'string' : 'quoted name'} at column ${i + 1}`);
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      out.push({ kind: c === "'" ? 'string' : 'name', text: value, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      out.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else {
      const p = PUNCT.find((x) => text.startsWith(x, i));
      if (!p) throw malformed(`Unexpected character '${c}' at column ${i + 1}`);
      out.push({ kind: 'punct', text: p, at: i });
      i += p.length;
    }
  }
  out.push({ kind: 'end', text: '', at: text.length });
  return out;
}
