/**
 * A composite alarm's AlarmRule: `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)`, `TRUE`, `FALSE`, combined
 * with `AND`, `OR`, `NOT` and parentheses; x is an alarm name or ARN, bare or in double quotes.
 * NOT binds tighter than AND, AND tighter than OR. Pure: text in, a tree out; the tree evaluated
 * against the states of the alarms it names.
 */
import type { AlarmState } from './model.js';

export type AlarmRule =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmState; alarm: string }
  | { kind: 'not'; operand: AlarmRule }
  | { kind: 'and' | 'or'; left: AlarmRule; right: AlarmRule };

/** A rule CloudWatch would refuse; the message is CloudWatch's, without its `Error in AlarmRule` frame. */
export class AlarmRuleError extends Error {}

type Token = { text: string; at: number; quoted: boolean };

const FUNCTIONS: Record<string, AlarmState> = { ALARM: 'ALARM', OK: 'OK', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, at: i, quoted: false });
      i++;
    } else if (c === '"') {
      const end = rule.indexOf('"', i + 1);
      if (end < 0) throw new AlarmRuleError(`Unterminated quoted name at char ${i}`);
      tokens.push({ text: rule.slice(i + 1, end), at: i, quoted: true });
      i = end + 1;
    } else {
      let j = i;
      while (j < rule.length && !/[\s()"]/.test(rule[j]!)) j++;
      tokens.push({ text: rule.slice(i, j), at: i, quoted: false });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): AlarmRule {
    const rule = this.or();
    const extra = this.tokens[this.i];
    if (extra) throw this.unsupported(extra);
    return rule;
  }

  private or(): AlarmRule {
    let left = this.and();
    while (this.keyword('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): AlarmRule {
    let left = this.not();
    while (this.keyword('AND')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): AlarmRule {
    if (this.keyword('NOT')) return { kind: 'not', operand: this.not() };
    return this.primary();
  }

  private primary(): AlarmRule {
    const t = this.next();
    if (!t.quoted && t.text === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (!t.quoted && (t.text === 'TRUE' || t.text === 'FALSE')) return { kind: 'const', value: t.text === 'TRUE' };
    const state = t.quoted ? undefined : FUNCTIONS[t.text];
    if (!state) throw this.unsupported(t);
    this.expect('(');
    const name = this.next();
    if (!name.quoted && (name.text === '(' || name.text === ')')) throw this.unsupported(name, 'an alarm name');
    if (name.text === '') throw new AlarmRuleError(`Empty alarm name at char ${name.at}`);
    this.expect(')');
    return { kind: 'state', state, alarm: name.text };
  }

  private keyword(word: string): boolean {
    const t = this.tokens[this.i];
    if (t && !t.quoted && t.text === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.quoted || t.text !== text) throw this.unsupported(t, `'${text}'`);
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new AlarmRuleError(`Unexpected end of rule at char ${this.length}`);
    return t;
  }

  private unsupported(t: Token, wanted?: string): AlarmRuleError {
    return new AlarmRuleError(`Unsupported token '${t.text}' at char ${t.at}${wanted ? `, must be: ${wanted}` : ''}`);
  }
}

/** The rule's tree; AlarmRuleError when it is not one. */
export function parseAlarmRule(rule: string): AlarmRule {
  return new Parser(tokenize(rule), rule.length).parse();
}

/** Every alarm the rule names, as written (names or ARNs), each once. */
export function referencedAlarms(rule: AlarmRule): string[] {
  const out = new Set<string>();
  const walk = (r: AlarmRule): void => {
    if (r.kind === 'state') out.add(r.alarm);
    else if (r.kind === 'not') walk(r.operand);
    else if (r.kind === 'and' || r.kind === 'or') {
      walk(r.left);
      walk(r.right);
    }
  };
  walk(rule);
  return [...out];
}

/** Whether the rule holds, given each named alarm's state (undefined: an alarm that no longer exists, in no state). */
export function ruleHolds(rule: AlarmRule, stateOf: (alarm: string) => AlarmState | undefined): boolean {
  switch (rule.kind) {
    case 'const':
      return rule.value;
    case 'state':
      return stateOf(rule.alarm) === rule.state;
    case 'not':
      return !ruleHolds(rule.operand, stateOf);
    case 'and':
      return ruleHolds(rule.left, stateOf) && ruleHolds(rule.right, stateOf);
    case 'or':
      return ruleHolds(rule.left, stateOf) || ruleHolds(rule.right, stateOf);
  }
}
