/**
 * The template's Rules: each rule whose RuleCondition holds must have every Assert hold, or the
 * operation is refused with the assertion's description. Rule functions: Fn::Contains,
 * Fn::EachMemberEquals, Fn::EachMemberIn, Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll, and the condition functions.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { EvalContext } from './context.js';
import { evaluateCondition, functionOf, resolveValue } from './intrinsics.js';

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

export function checkRules(rules: Readonly<Record<string, unknown>>, ctx: EvalContext): void {
  for (const [name, rule] of Object.entries(rules)) {
    const r = rule as { RuleCondition?: unknown; Assertions?: { Assert: unknown; AssertDescription?: string }[] };
    if (r.RuleCondition !== undefined && !holds(r.RuleCondition, ctx)) continue;
    for (const a of r.Assertions ?? []) {
      if (!holds(a.Assert, ctx)) throw CloudFormationErrors.validation(a.AssertDescription ?? `Template error: assertion of rule ${name} failed`);
    }
  }
}

function holds(expr: unknown, ctx: EvalContext): boolean {
  const fn = functionOf(expr);
  const arg = fn ? (expr as Record<string, unknown>)[fn] : undefined;
  const value = (v: unknown) => ruleValue(v, ctx);
  switch (fn) {
    case 'Fn::Contains': {
      const [list, v] = arg as [unknown, unknown];
      return asList(value(list)).includes(String(value(v)));
    }
    case 'Fn::EachMemberEquals': {
      const [list, v] = arg as [unknown, unknown];
      return asList(value(list)).every((x) => x === String(value(v)));
    }
    case 'Fn::EachMemberIn': {
      const [list, allowed] = arg as [unknown, unknown];
      const ok = asList(value(allowed));
      return asList(value(list)).every((x) => ok.includes(x));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const items = (arg as unknown[]).map((c) => holds(c, ctx));
      return fn === 'Fn::And' ? items.every(Boolean) : items.some(Boolean);
    }
    case 'Fn::Not':
      return !holds((arg as unknown[])[0], ctx);
    case 'Fn::Equals': {
      const [a, b] = arg as [unknown, unknown];
      return JSON.stringify(value(a)) === JSON.stringify(value(b));
    }
    default:
      return evaluateCondition(expr, ctx);
  }
}

/** Rule values: Fn::RefAll and Fn::ValueOf know nothing of EC2 here; they answer as Ref would, or empty. */
function ruleValue(v: unknown, ctx: EvalContext): unknown {
  const fn = functionOf(v);
  if (fn === 'Fn::RefAll' || fn === 'Fn::ValueOfAll') return [];
  if (fn === 'Fn::ValueOf') return '';
  return resolveValue(v, ctx);
}
