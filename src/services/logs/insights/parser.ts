/**
 * Logs Insights queries: commands joined by `|`. Served: `fields`/`display`, `filter` (comparisons,
 * arithmetic, and/or/not, `like` a string or /regex/, `=~`, `in [...]`, ispresent, strlen, tolower,
 * toupper, abs, floor, ceil), `stats` with count, count_distinct, sum, avg, min, max `by` fields or `bin(5m)`, `sort`, `limit` and `parse` (a glob with `*` or a regex with
 * named groups). Anything else is a QuerySyntaxError naming it.
 */
import { TokenCursor } from '../../../lib/token-cursor.js';
import { lex, QuerySyntaxError, type Token } from './lexer.js';

export { QuerySyntaxError };

export type Expr =
  | { k: 'field'; name: string }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'binary'; op: string; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'neg'; e: Expr }
  | { k: 'like'; e: Expr; pattern: string | RegExp }
  | { k: 'in'; e: Expr; list: Expr[] }
  | { k: 'bin'; periodMs: number; e: Expr }
  | { k: 'call'; name: ScalarFunction; args: Expr[] };

export type ScalarFunction = 'ispresent' | 'strlen' | 'tolower' | 'toupper' | 'abs' | 'floor' | 'ceil';
const SCALAR_FUNCTIONS = new Set<string>(['ispresent', 'strlen', 'tolower', 'toupper', 'abs', 'floor', 'ceil']);

export interface Named {
  expr: Expr;
  name: string;
}

export type Aggregate = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

export type Command =
  | { k: 'fields'; items: Named[] }
  | { k: 'filter'; expr: Expr }
  | { k: 'stats'; aggs: { fn: Aggregate; arg: Expr | undefined; name: string }[]; by: Named[] }
  | { k: 'sort'; keys: { expr: Expr; desc: boolean }[] }
  | { k: 'limit'; n: number }
  | { k: 'parse'; field: Expr; glob: { re: RegExp; names: string[] } | undefined; regex: RegExp | undefined };

const AGGREGATES = new Set<string>(['count', 'count_distinct', 'sum', 'avg', 'min', 'max']);
const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PRECEDENCE: Record<string, number> = { or: 1, and: 2, '=': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

class Parser extends TokenCursor<Token> {
  constructor(
    private readonly src: string,
    tokens: Token[],
  ) {
    super(tokens, {
      endsTooSoon: () => new QuerySyntaxError('the query ends too soon'),
      expected: (v, t) => new QuerySyntaxError(`expected ${v} at ${t.start}`),
    });
  }

  isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'id' && t.v.toLowerCase() === v;
  }
  word(): string {
    const t = this.next();
    if (t.t !== 'id') throw new QuerySyntaxError(`expected a name at ${t.start}`);
    return t.v;
  }
  /** The source text from token `from` to the last one read: a column's default name. */
  textFrom(from: number): string {
    return this.src.slice(this.tokens[from]!.start, this.tokens[this.i - 1]!.end).replace(/\s+/g, ' ');
  }

  expr(min = 0): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t) return left;
      if (t.t === 'id' && (this.isWord('like') || (this.isWord('not') && this.tokens[this.i + 1]?.t === 'id' && (this.tokens[this.i + 1] as { v: string }).v.toLowerCase() === 'like'))) {
        if (min > 4) return left;
        const negate = this.isWord('not');
        this.i += negate ? 2 : 1;
        const p = this.next();
        if (p.t !== 'str' && p.t !== 'regex') throw new QuerySyntaxError(`like takes a string or a /regex/ at ${p.start}`);
        const like: Expr = { k: 'like', e: left, pattern: p.v };
        left = negate ? { k: 'not', e: like } : like;
        continue;
      }
      if (t.t === 'op' && t.v === '=~') {
        if (min > 4) return left;
        this.i++;
        const p = this.next();
        if (p.t !== 'regex' && p.t !== 'str') throw new QuerySyntaxError(`=~ takes a /regex/ at ${p.start}`);
        left = { k: 'like', e: left, pattern: p.t === 'regex' ? p.v : new RegExp(p.v) };
        continue;
      }
      if (t.t === 'id' && (this.isWord('in') || (this.isWord('not') && (this.tokens[this.i + 1] as { v?: string } | undefined)?.v?.toLowerCase() === 'in'))) {
        if (min > 4) return left;
        const negate = this.isWord('not');
        this.i += negate ? 2 : 1;
        this.expectOp('[');
        const list: Expr[] = [];
        while (!this.isOp(']')) {
          list.push(this.expr());
          if (this.isOp(',')) this.next();
        }
        this.next();
        const e: Expr = { k: 'in', e: left, list };
        left = negate ? { k: 'not', e } : e;
        continue;
      }
      const op = t.t === 'op' ? t.v : t.t === 'id' ? t.v.toLowerCase() : '';
      const prec = PRECEDENCE[op];
      if (prec === undefined || prec < min || (t.t === 'id' && op !== 'and' && op !== 'or')) return left;
      this.i++;
      left = { k: 'binary', op, l: left, r: this.expr(prec + 1) };
    }
  }

  unary(): Expr {
    const t = this.next();
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'regex') throw new QuerySyntaxError(`a regex stands after like or =~, at ${t.start}`);
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'op' && t.v === '-') return { k: 'neg', e: this.unary() };
    if (t.t === 'id' && t.v.toLowerCase() === 'not') return { k: 'not', e: this.expr(3) };
    if (t.t === 'id' && t.v.toLowerCase() === 'bin' && this.isOp('(')) return this.bin();
    if (t.t === 'id') {
      if (this.isOp('(')) {
        const name = t.v.toLowerCase();
        if (!SCALAR_FUNCTIONS.has(name)) throw new QuerySyntaxError(`function ${t.v} is not served in this context`);
        this.next();
        const args = this.isOp(')') ? [] : this.list(() => this.expr());
        this.expectOp(')');
        if (args.length !== 1) throw new QuerySyntaxError(`${name} takes one argument`);
        return { k: 'call', name: name as ScalarFunction, args };
      }
      return { k: 'field', name: t.v };
    }
    throw new QuerySyntaxError(`unexpected ${t.v} at ${t.start}`);
  }

  bin(): Expr {
    this.expectOp('(');
    const n = this.next();
    if (n.t !== 'num') throw new QuerySyntaxError(`bin takes a period such as 5m, at ${n.start}`);
    const unit = this.isOp(')') ? 's' : this.word();
    const ms = UNITS_MS[unit];
    if (ms === undefined || n.v <= 0) throw new QuerySyntaxError(`bin: unknown period ${n.v}${unit}`);
    let e: Expr = { k: 'field', name: '@timestamp' };
    if (this.isOp(',')) {
      this.next();
      e = this.expr();
    }
    this.expectOp(')');
    return { k: 'bin', periodMs: n.v * ms, e };
  }

  named(): Named {
    const from = this.i;
    const expr = this.expr();
    const text = this.textFrom(from);
    if (this.isWord('as')) {
      this.next();
      return { expr, name: this.word() };
    }
    return { expr, name: expr.k === 'field' ? expr.name : text };
  }

  list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isOp(',')) {
      this.next();
      out.push(item());
    }
    return out;
  }

  command(): Command {
    const name = this.word().toLowerCase();
    switch (name) {
      case 'fields':
      case 'display':
        return { k: 'fields', items: this.list(() => this.named()) };
      case 'filter':
        return { k: 'filter', expr: this.expr() };
      case 'stats':
        return this.stats();
      case 'sort':
        return {
          k: 'sort',
          keys: this.list(() => {
            const expr = this.expr();
            const desc = this.isWord('desc');
            if (desc || this.isWord('asc')) this.next();
            return { expr, desc };
          }),
        };
      case 'limit': {
        const n = this.next();
        if (n.t !== 'num' || !Number.isInteger(n.v) || n.v < 1) throw new QuerySyntaxError('limit takes a positive whole number');
        return { k: 'limit', n: n.v };
      }
      case 'parse':
        return this.parse();
      default:
        throw new QuerySyntaxError(`command ${name} is not served`);
    }
  }

  stats(): Command {
    const aggs = this.list(() => {
      const from = this.i;
      const fn = this.word().toLowerCase();
      if (!AGGREGATES.has(fn)) throw new QuerySyntaxError(`stats function ${fn} is not served (count, count_distinct, sum, avg, min, max)`);
      this.expectOp('(');
      let arg: Expr | undefined;
      if (this.isOp('*')) this.next();
      else if (!this.isOp(')')) arg = this.expr();
      this.expectOp(')');
      if (arg === undefined && fn !== 'count') throw new QuerySyntaxError(`${fn} needs a field`);
      const text = this.textFrom(from);
      let aggName = text;
      if (this.isWord('as')) {
        this.next();
        aggName = this.word();
      }
      return { fn: fn as Aggregate, arg, name: aggName };
    });
    let by: Named[] = [];
    if (this.isWord('by')) {
      this.next();
      by = this.list(() => this.named());
    }
    return { k: 'stats', aggs, by };
  }

  parse(): Command {
    const field = this.expr(7);
    const p = this.next();
    if (p.t === 'regex') {
      return { k: 'parse', field, glob: undefined, regex: p.v };
    }
    if (p.t !== 'str') throw new QuerySyntaxError('parse takes a "glob with *" or a /regex/ with named groups');
    if (!this.isWord('as')) throw new QuerySyntaxError('parse with a glob names its fields: as a, b');
    this.next();
    const names = this.list(() => this.word());
    const parts = p.v.split('*');
    if (parts.length - 1 !== names.length) throw new QuerySyntaxError(`the glob has ${parts.length - 1} * but ${names.length} names`);
    const re = new RegExp(parts.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)') + (parts.length > 1 && parts[parts.length - 1] === '' ? '$' : ''));
    return { k: 'parse', field, glob: { re, names }, regex: undefined };
  }
}

export function parseQuery(query: string): Command[] {
  const p = new Parser(query, lex(query));
  const commands: Command[] = [];
  while (!p.done()) {
    commands.push(p.command());
    if (p.done()) break;
    if (!p.isOp('|')) throw new QuerySyntaxError(`expected | between commands at ${p.peek()!.start}`);
    p.next();
  }
  if (commands.length === 0) throw new QuerySyntaxError('the query is empty');
  return commands;
}
