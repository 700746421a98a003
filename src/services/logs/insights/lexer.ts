/** Tokens of a Logs Insights query. A `/` starts a regex where an operand is expected, and divides elsewhere. */
export class QuerySyntaxError extends Error {}

export type Token =
  | { t: 'id'; v: string; start: number; end: number }
  | { t: 'num'; v: number; start: number; end: number }
  | { t: 'str'; v: string; start: number; end: number }
  | { t: 'regex'; v: RegExp; start: number; end: number }
  | { t: 'op'; v: string; start: number; end: number };

const OPS = ['=~', '!=', '<=', '>=', '|', ',', '(', ')', '[', ']', '=', '<', '>', '+', '-', '*', '/', '%'];
/** Words after which an operand (so a regex) comes. */
const BEFORE_OPERAND = new Set(['like', 'and', 'or', 'not', 'in', 'filter', 'by', 'as']);

function operandExpected(prev: Token | undefined, beforePrev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.t === 'op') return prev.v !== ')' && prev.v !== ']';
  if (prev.t === 'id') return BEFORE_OPERAND.has(prev.v.toLowerCase()) || (beforePrev?.t === 'id' && beforePrev.v.toLowerCase() === 'parse');
  return false;
}

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (i >= src.length) throw new QuerySyntaxError(`unterminated string at ${start}`);
      out.push({ t: 'str', v, start, end: ++i });
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0) throw new QuerySyntaxError(`unterminated field name at ${start}`);
      out.push({ t: 'id', v: src.slice(i + 1, close), start, end: (i = close + 1) });
      continue;
    }
    if (c === '/' && operandExpected(out[out.length - 1], out[out.length - 2])) {
      let j = i + 1;
      while (j < src.length && src[j] !== '/') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new QuerySyntaxError(`unterminated regex at ${start}`);
      const body = src.slice(i + 1, j);
      const flags = /^[a-z]*/.exec(src.slice(j + 1))![0];
      i = j + 1 + flags.length;
      try {
        // (?i) at the start, as Insights writes case-insensitivity, is a flag in JavaScript.
        const insensitive = body.startsWith('(?i)');
        out.push({ t: 'regex', v: new RegExp(insensitive ? body.slice(4) : body, (insensitive ? 'i' : '') + flags.replace(/[^imsu]/g, '')), start, end: i });
      } catch (err) {
        throw new QuerySyntaxError(`invalid regex /${body}/: ${(err as Error).message}`);
      }
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      out.push({ t: 'num', v: Number(num[0]), start, end: i });
      continue;
    }
    const id = /^[@A-Za-z_][\w.@$]*/.exec(src.slice(i));
    if (id) {
      i += id[0].length;
      out.push({ t: 'id', v: id[0], start, end: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new QuerySyntaxError(`unexpected character ${c} at ${i}`);
    i += op.length;
    out.push({ t: 'op', v: op, start, end: i });
  }
  return out;
}
