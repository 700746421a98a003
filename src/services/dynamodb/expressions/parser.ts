/**
 * One recursive-descent parser for DynamoDB's expression grammar (condition, filter and key
 * condition expressions share one; update and projection expressions build on its paths and
 * operands). Precedence, lowest first: OR, AND, NOT, then comparisons, BETWEEN, IN and functions.
 */
import { DynamoDbErrors } from '../../../wire/errors.js';
import { isReservedWord } from '../reserved-words.js';
import type { Comparator, Condition, ConditionFunction, Operand, Path, UpdateAction } from './ast.js';
import type { ExpressionContext } from './context.js';
import { tokenize, type Token } from './lexer.js';

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS = new Set<string>(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const ARITY: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
  if_not_exists: 2,
  list_append: 2,
};
const UPDATE_CLAUSES = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
/** DynamoDB's limit on nesting in a document path. */
const MAX_DEPTH = 32;

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly label: string,
    private readonly ctx: ExpressionContext,
  ) {
    if (source.trim() === '') throw DynamoDbErrors.validation(`Invalid ${label}: The expression can not be empty;`);
    this.tokens = tokenize(source, label);
  }

  private get peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isKeyword(word: string, t: Token = this.peek): boolean {
    return t.type === 'ident' && t.text.toUpperCase() === word;
  }

  private isOp(text: string): boolean {
    return this.peek.type === 'op' && this.peek.text === text;
  }

  /** DynamoDB's syntax error: the offending token, and the text from two tokens before it. */
  fail(t: Token = this.peek): never {
    const at = this.tokens.indexOf(t);
    const end = t.type === 'eof' ? t.pos : t.pos + t.text.length;
    const near = this.source.slice(this.tokens[Math.max(0, at - 2)]!.pos, end).trim();
    throw DynamoDbErrors.validation(`Invalid ${this.label}: Syntax error; token: "${t.text}", near: "${near}"`);
  }

  invalid(message: string): never {
    throw DynamoDbErrors.validation(`Invalid ${this.label}: ${message}`);
  }

  expectOp(text: string): void {
    if (!this.isOp(text)) this.fail();
    this.i++;
  }

  end(): void {
    if (this.peek.type !== 'eof') this.fail();
  }

  // ---- conditions ----

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.i++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.i++;
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.i++;
      return { kind: 'not', condition: this.negation() };
    }
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isOp('(')) {
      this.i++;
      const inner = this.condition();
      this.expectOp(')');
      return inner;
    }
    const t = this.peek;
    if (t.type === 'ident' && this.tokens[this.i + 1]?.text === '(' && CONDITION_FUNCTIONS.has(t.text)) {
      this.i += 2;
      const args = this.args(t.text);
      return { kind: 'function', name: t.text as ConditionFunction, args };
    }
    const left = this.operand(false);
    if (this.isKeyword('BETWEEN')) {
      this.i++;
      const low = this.operand(false);
      if (!this.isKeyword('AND')) this.fail();
      this.i++;
      return { kind: 'between', operand: left, low, high: this.operand(false) };
    }
    if (this.isKeyword('IN')) {
      this.i++;
      this.expectOp('(');
      const list = [this.operand(false)];
      while (this.isOp(',')) {
        this.i++;
        list.push(this.operand(false));
      }
      this.expectOp(')');
      if (list.length > 100) this.invalid('The IN operator is provided with too many operands; number of operands: ' + list.length);
      return { kind: 'in', operand: left, list };
    }
    if (this.peek.type === 'op' && COMPARATORS.has(this.peek.text)) {
      const op = this.next().text as Comparator;
      return { kind: 'compare', op, left, right: this.operand(false) };
    }
    return this.fail();
  }

  private args(fn: string): Operand[] {
    const args: Operand[] = [];
    if (!this.isOp(')')) {
      const update = fn === 'if_not_exists' || fn === 'list_append';
      args.push(fn === 'attribute_exists' || fn === 'attribute_not_exists' ? { kind: 'path', path: this.path() } : this.operand(update));
      while (this.isOp(',')) {
        this.i++;
        args.push(this.operand(update));
      }
    }
    this.expectOp(')');
    if (args.length !== ARITY[fn]) this.invalid(`Incorrect number of operands for operator or function; operator or function: ${fn}, number of operands: ${args.length}`);
    return args;
  }

  // ---- operands and paths ----

  /** A path, a :value or size(path); in update expressions also if_not_exists and list_append. */
  operand(update: boolean): Operand {
    const t = this.peek;
    if (t.type === 'value') {
      this.i++;
      return { kind: 'value', value: this.ctx.value(t.text, this.label) };
    }
    if (t.type === 'ident' && this.tokens[this.i + 1]?.text === '(') {
      const fn = t.text;
      const allowed = update ? fn === 'if_not_exists' || fn === 'list_append' : fn === 'size';
      if (!(fn in ARITY)) this.invalid(`Invalid function name; function: ${fn}`);
      if (!allowed) this.invalid(`The function is not allowed to be used this way in an expression; function: ${fn}`);
      this.i += 2;
      const args = this.args(fn);
      if (fn === 'size') {
        if (args[0]!.kind !== 'path') this.invalid('Incorrect operand type for operator or function; operator or function: size, operand type: M');
        return { kind: 'size', path: (args[0] as { path: Path }).path };
      }
      if (fn === 'if_not_exists') {
        if (args[0]!.kind !== 'path') this.invalid('Operator or function requires a document path; operator or function: if_not_exists');
        return { kind: 'if_not_exists', path: (args[0] as { path: Path }).path, fallback: args[1]! };
      }
      return { kind: 'list_append', left: args[0]!, right: args[1]! };
    }
    return { kind: 'path', path: this.path() };
  }

  path(): Path {
    const path: Path = [this.pathName()];
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        path.push(this.pathName());
      } else if (this.isOp('[')) {
        this.i++;
        const n = this.next();
        if (n.type !== 'number') this.fail(n);
        this.expectOp(']');
        path.push({ index: Number(n.text) });
      } else break;
    }
    if (path.length > MAX_DEPTH) this.invalid(`The document path has too many nesting levels; nesting levels: ${path.length}`);
    return path;
  }

  private pathName(): { name: string } {
    const t = this.next();
    if (t.type === 'name') return { name: this.ctx.name(t.text, this.label) };
    if (t.type !== 'ident') this.fail(t);
    if (isReservedWord(t.text)) this.invalid(`Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return { name: t.text };
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.isOp(',')) {
      this.i++;
      paths.push(this.path());
    }
    return paths;
  }

  // ---- update expressions ----

  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    while (this.peek.type !== 'eof') {
      const t = this.next();
      const clause = t.text.toUpperCase();
      if (t.type !== 'ident' || !UPDATE_CLAUSES.has(clause)) this.fail(t);
      if (seen.has(clause)) this.invalid(`The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      do {
        if (actions.length > 0 && this.isOp(',')) this.i++;
        actions.push(this.action(clause as UpdateAction['kind']));
      } while (this.isOp(','));
      const after: Token = this.tokens[this.i]!;
      if (after.type !== 'eof' && !(after.type === 'ident' && UPDATE_CLAUSES.has(after.text.toUpperCase()))) this.fail(after);
    }
    return actions;
  }

  private action(clause: UpdateAction['kind']): UpdateAction {
    const path = this.path();
    if (clause === 'REMOVE') return { kind: 'REMOVE', path };
    if (clause === 'SET') {
      this.expectOp('=');
      let value = this.operand(true);
      if (this.isOp('+') || this.isOp('-')) {
        const op = this.next().text as '+' | '-';
        value = { kind: 'arithmetic', op, left: value, right: this.operand(true) };
      }
      return { kind: 'SET', path, value };
    }
    const v = this.next();
    if (v.type !== 'value') this.fail(v);
    return { kind: clause, path, value: this.ctx.value(v.text, this.label) };
  }
}

export function parseCondition(source: string, label: string, ctx: ExpressionContext): Condition {
  const p = new Parser(source, label, ctx);
  const c = p.condition();
  p.end();
  return c;
}

export function parseUpdate(source: string, ctx: ExpressionContext): UpdateAction[] {
  const p = new Parser(source, 'UpdateExpression', ctx);
  const actions = p.update();
  p.end();
  return actions;
}

export function parseProjection(source: string, ctx: ExpressionContext): Path[] {
  const p = new Parser(source, 'ProjectionExpression', ctx);
  const paths = p.projection();
  p.end();
  return paths;
}
