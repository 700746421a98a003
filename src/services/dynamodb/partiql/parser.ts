/**
 * PartiQL statements as DynamoDB serves them (SELECT, INSERT, UPDATE, DELETE on one table), turned
 * into DynamoDB's own expressions: every attribute name becomes a `#p` placeholder and every value a
 * `:p` one, so the expression parser and evaluator that serve Query and UpdateItem serve PartiQL too.
 */
import { malformed, tokenize, type Token } from './lexer.js';
import { TokenCursor } from './token-cursor.js';
import { parameterMismatch, type Cond, type Operand, type Placeholders, type Returning, type Statement, type Where } from './ast.js';

const COMPARATORS = ['=', '<>', '!=', '<', '<=', '>', '>='];
const CONDITION_FUNCTIONS = ['begins_with', 'contains', 'attribute_type', 'attribute_exists', 'attribute_not_exists'];

export function parseStatement(text: string, parameters: readonly unknown[] = []): Statement {
  return new Parser(tokenize(text), parameters).statement();
}

class Parser extends TokenCursor {
  private readonly names: Record<string, string> = {};
  private readonly nameTokens = new Map<string, string>();
  private readonly values: Record<string, unknown> = {};
  private used = 0;

  constructor(
    tokens: Token[],
    private readonly parameters: readonly unknown[],
  ) {
    super(tokens);
  }

  statement(): Statement {
    const first = this.peek();
    let s: Statement;
    if (this.isWord('SELECT')) s = this.select();
    else if (this.isWord('INSERT')) s = this.insert();
    else if (this.isWord('UPDATE')) s = this.update();
    else if (this.isWord('DELETE')) s = this.delete();
    else throw first.kind === 'end' ? malformed('Unexpected end of statement') : malformed('Expected data manipulation');
    if (this.peek().kind !== 'end') throw this.unexpected();
    if (this.used !== this.parameters.length) throw parameterMismatch();
    return s;
  }

  // ---- statements ----

  private select(): Statement {
    this.next();
    let projection: string | undefined;
    if (this.isPunct('*')) this.next();
    else projection = this.list(() => this.path()).join(', ');
    this.expectWord('FROM');
    const table = this.identifier();
    let index: string | undefined;
    if (this.isPunct('.')) {
      this.next();
      index = this.identifier();
    }
    const where = this.isWord('WHERE') ? (this.next(), this.where()) : undefined;
    let forward: boolean | undefined;
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      // The key the rows come in the order of: named, not used by any expression.
      this.identifier();
      forward = true;
      if (this.isWord('ASC')) this.next();
      else if (this.isWord('DESC')) {
        this.next();
        forward = false;
      }
    }
    return { kind: 'select', table, index, projection, where, forward, ...this.placeholders() };
  }

  private insert(): Statement {
    this.next();
    this.expectWord('INTO');
    const table = this.identifier();
    this.expectWord('VALUE');
    if (!this.isPunct('{')) throw this.unexpected();
    const item = (this.value() as { M: Record<string, unknown> }).M;
    return { kind: 'insert', table, item, ...this.placeholders() };
  }

  private update(): Statement {
    this.next();
    const table = this.identifier();
    const sets: string[] = [];
    const adds: string[] = [];
    const deletes: string[] = [];
    const removes: string[] = [];
    while (this.isWord('SET') || this.isWord('REMOVE')) {
      if (this.next().text.toUpperCase() === 'REMOVE') {
        removes.push(...this.list(() => this.path()));
        continue;
      }
      for (const a of this.list(() => this.assignment())) (a.kind === 'SET' ? sets : a.kind === 'ADD' ? adds : deletes).push(a.text);
    }
    if (sets.length + adds.length + deletes.length + removes.length === 0) throw this.unexpected();
    const clauses: string[] = [];
    if (sets.length) clauses.push(`SET ${sets.join(', ')}`);
    if (removes.length) clauses.push(`REMOVE ${removes.join(', ')}`);
    if (adds.length) clauses.push(`ADD ${adds.join(', ')}`);
    if (deletes.length) clauses.push(`DELETE ${deletes.join(', ')}`);
    this.expectWord('WHERE');
    const where = this.where();
    const returning = this.returning();
    return { kind: 'update', table, update: clauses.join(' '), where, returning, ...this.placeholders() };
  }

  private delete(): Statement {
    this.next();
    this.expectWord('FROM');
    const table = this.identifier();
    this.expectWord('WHERE');
    const where = this.where();
    const returning = this.returning();
    if (returning !== undefined && returning !== 'ALL_OLD') throw malformed('DELETE can only return ALL OLD *');
    return { kind: 'delete', table, where, returning, ...this.placeholders() };
  }

  private returning(): Returning | undefined {
    if (!this.isWord('RETURNING')) return undefined;
    this.next();
    const which = this.expectWord('ALL', 'MODIFIED');
    const when = this.expectWord('OLD', 'NEW');
    this.expectPunct('*');
    return `${which === 'ALL' ? 'ALL' : 'UPDATED'}_${when}` as Returning;
  }

  /** `path = value`, `path = a + b`, `list_append(...)`, `if_not_exists(...)`, or `set_add`/`set_delete`. */
  private assignment(): { kind: 'SET' | 'ADD' | 'DELETE'; text: string } {
    const target = this.path();
    this.expectPunct('=');
    const fn = this.peek().text.toLowerCase();
    if ((fn === 'set_add' || fn === 'set_delete') && this.peekAt(1).text === '(') {
      this.next();
      this.next();
      const of = this.path();
      if (of !== target) throw malformed(`${fn} must name the attribute it is assigned to`);
      this.expectPunct(',');
      const v = this.operand();
      this.expectPunct(')');
      return { kind: fn === 'set_add' ? 'ADD' : 'DELETE', text: `${target} ${v.text}` };
    }
    let value = this.term();
    if (this.isPunct('+') || this.isPunct('-')) value = `${value} ${this.next().text} ${this.term()}`;
    return { kind: 'SET', text: `${target} = ${value}` };
  }

  private term(): string {
    const fn = this.peek().text.toLowerCase();
    if ((fn === 'list_append' || fn === 'if_not_exists') && this.peekAt(1).text === '(') {
      this.next();
      this.next();
      const args = this.list(() => this.term());
      this.expectPunct(')');
      return `${fn}(${args.join(', ')})`;
    }
    return this.operand().text;
  }

  // ---- conditions ----

  private where(): Where {
    const c = this.or();
    return { text: c.text, equalities: new Map(c.equalities) };
  }

  private or(): Cond {
    let c = this.and();
    while (this.isWord('OR')) {
      this.next();
      c = { text: `(${c.text}) OR (${this.and().text})`, equalities: [] };
    }
    return c;
  }

  private and(): Cond {
    let c = this.not();
    while (this.isWord('AND')) {
      this.next();
      const r = this.not();
      c = { text: `(${c.text}) AND (${r.text})`, equalities: [...c.equalities, ...r.equalities] };
    }
    return c;
  }

  private not(): Cond {
    if (!this.isWord('NOT')) return this.predicate();
    this.next();
    return { text: `NOT (${this.not().text})`, equalities: [] };
  }

  private predicate(): Cond {
    if (this.isPunct('(')) {
      this.next();
      const c = this.or();
      this.expectPunct(')');
      return c;
    }
    const fn = this.peek().text.toLowerCase();
    if (this.peek().kind === 'word' && CONDITION_FUNCTIONS.includes(fn) && this.peekAt(1).text === '(') {
      this.next();
      this.next();
      const args = this.list(() => this.operand().text);
      this.expectPunct(')');
      return { text: `${fn}(${args.join(', ')})`, equalities: [] };
    }
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS.includes(t.text)) {
      this.next();
      const right = this.operand();
      const op = t.text === '!=' ? '<>' : t.text;
      const equalities: Cond['equalities'] = [];
      if (op === '=') {
        if (left.attribute !== undefined && right.value !== undefined) equalities.push([left.attribute, { name: left.text, value: right.text, raw: right.value }]);
        if (right.attribute !== undefined && left.value !== undefined) equalities.push([right.attribute, { name: right.text, value: left.text, raw: left.value }]);
      }
      return { text: `${left.text} ${op} ${right.text}`, equalities };
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.operand();
      this.expectWord('AND');
      return { text: `${left.text} BETWEEN ${low.text} AND ${this.operand().text}`, equalities: [] };
    }
    if (this.isWord('IN')) {
      this.next();
      const close = this.isPunct('[') ? ']' : ')';
      this.expectPunct(close === ']' ? '[' : '(');
      const list = this.list(() => this.operand().text);
      this.expectPunct(close);
      return { text: `${left.text} IN (${list.join(', ')})`, equalities: [] };
    }
    if (this.isWord('IS')) {
      this.next();
      const negated = this.isWord('NOT') && (this.next(), true);
      const what = this.expectWord('MISSING', 'NULL');
      if (what === 'MISSING') return { text: `${negated ? 'attribute_exists' : 'attribute_not_exists'}(${left.text})`, equalities: [] };
      const isNull = `attribute_type(${left.text}, ${this.placeholder({ S: 'NULL' })})`;
      return { text: negated ? `NOT ${isNull}` : isNull, equalities: [] };
    }
    throw this.unexpected();
  }

  private operand(): Operand {
    if (this.peek().text.toLowerCase() === 'size' && this.peekAt(1).text === '(') {
      this.next();
      this.next();
      const p = this.path();
      this.expectPunct(')');
      return { text: `size(${p})` };
    }
    if (this.startsValue()) {
      const value = this.value();
      return { text: this.placeholder(value), value };
    }
    const start = this.pos;
    const text = this.path();
    return this.pos === start + 1 ? { text, attribute: this.tokens[start]!.text } : { text };
  }

  /** A document path, its names as placeholders. */
  private path(): string {
    let out = this.nameToken(this.identifier());
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        out += `.${this.nameToken(this.identifier())}`;
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.next();
        if (t.kind === 'number' && /^[0-9]+$/.test(t.text)) out += `[${t.text}]`;
        else if (t.kind === 'string') out += `.${this.nameToken(t.text)}`;
        else throw this.unexpected(t);
        this.expectPunct(']');
      } else {
        return out;
      }
    }
  }

  // ---- values ----

  private startsValue(): boolean {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind === 'punct') return ['?', '[', '{', '<<'].includes(t.text) || (t.text === '-' && this.peekAt(1).kind === 'number');
    return t.kind === 'word' && ['TRUE', 'FALSE', 'NULL'].includes(t.text.toUpperCase());
  }

  /** A literal (or parameter) as a wire attribute value. */
  private value(): unknown {
    const t = this.next();
    if (t.kind === 'string') return { S: t.text };
    if (t.kind === 'number') return { N: t.text };
    if (t.kind === 'word') {
      const w = t.text.toUpperCase();
      if (w === 'TRUE' || w === 'FALSE') return { BOOL: w === 'TRUE' };
      if (w === 'NULL') return { NULL: true };
    }
    if (t.kind !== 'punct') throw this.unexpected(t);
    switch (t.text) {
      case '-': {
        const n = this.next();
        if (n.kind !== 'number') throw this.unexpected(n);
        return { N: `-${n.text}` };
      }
      case '?':
        if (this.used >= this.parameters.length) throw parameterMismatch();
        return this.parameters[this.used++];
      case '[': {
        const items = this.isPunct(']') ? [] : this.list(() => this.value());
        this.expectPunct(']');
        return { L: items };
      }
      case '{': {
        const map: Record<string, unknown> = {};
        if (!this.isPunct('}')) {
          this.list(() => {
            const k = this.next();
            if (k.kind !== 'string' && k.kind !== 'name') throw this.unexpected(k);
            this.expectPunct(':');
            map[k.text] = this.value();
          });
        }
        this.expectPunct('}');
        return { M: map };
      }
      case '<<': {
        const members = this.list(() => this.value()) as Record<string, unknown>[];
        this.expectPunct('>>');
        for (const tag of ['S', 'N', 'B'] as const) {
          if (members.every((m) => m[tag] !== undefined)) return { [`${tag}S`]: members.map((m) => m[tag]) };
        }
        throw malformed('a set holds strings, numbers or binaries, all of one type');
      }
      default:
        throw this.unexpected(t);
    }
  }

  // ---- placeholders and tokens ----

  private placeholders(): Placeholders {
    return { names: this.names, values: this.values };
  }

  private nameToken(name: string): string {
    let token = this.nameTokens.get(name);
    if (!token) {
      token = `#p${this.nameTokens.size}`;
      this.nameTokens.set(name, token);
      this.names[token] = name;
    }
    return token;
  }

  private placeholder(value: unknown): string {
    const token = `:p${Object.keys(this.values).length}`;
    this.values[token] = value;
    return token;
  }
}
