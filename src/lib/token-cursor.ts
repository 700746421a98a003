/**
 * A cursor over a lexer's tokens, for the recursive-descent parsers (filter patterns, Logs Insights).
 * Each parser says how it fails: when the text ends too soon, and when a token is not the operator
 * it needs.
 */
export interface CursorErrors<T> {
  endsTooSoon(): Error;
  expected(op: string, found: T): Error;
}

export class TokenCursor<T extends { t: string; v: unknown }> {
  protected i = 0;

  constructor(
    protected readonly tokens: readonly T[],
    private readonly errors: CursorErrors<T>,
  ) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(): T | undefined {
    return this.tokens[this.i];
  }

  next(): T {
    const t = this.tokens[this.i++];
    if (!t) throw this.errors.endsTooSoon();
    return t;
  }

  isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }

  expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw this.errors.expected(v, t);
  }
}
