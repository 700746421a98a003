/** A cursor over a statement's tokens: what the PartiQL parser reads with. */
import { malformed, type Token } from './lexer.js';

export class TokenCursor {
  protected pos = 0;

  constructor(protected readonly tokens: Token[]) {}

  protected identifier(): string {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'name') throw this.unexpected(t);
    return t.text;
  }

  protected list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isPunct(',')) {
      this.next();
      out.push(item());
    }
    return out;
  }

  protected peek(): Token {
    return this.tokens[this.pos]!;
  }

  protected peekAt(ahead: number): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  protected isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === w;
  }

  protected isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  protected expectWord(...words: string[]): string {
    const t = this.next();
    const w = t.text.toUpperCase();
    if (t.kind !== 'word' || !words.includes(w)) throw this.unexpected(t);
    return w;
  }

  protected expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) throw this.unexpected(t);
  }

  protected unexpected(t: Token = this.peek()) {
    if (t.kind === 'end') return malformed('Unexpected end of statement');
    const what = t.kind === 'word' && /^[A-Za-z]+$/.test(t.text) && t.text === t.text.toUpperCase() ? 'keyword' : 'token';
    return malformed(`Unexpected ${what} '${t.text}' at column ${t.at + 1}`);
  }
}
