/**
 * The intrinsic functions: a template value in, its value out. `{ Ref: AWS::NoValue }` removes the
 * property (or list item) it stands in. Errors are the ValidationErrors CloudFormation gives.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { availabilityZones, pseudoValue, Unresolvable, type EvalContext } from './context.js';
import { cidr } from './cidr.js';
import { substitute } from './sub.js';

export const NO_VALUE = Symbol('AWS::NoValue');
const fail = (message: string) => CloudFormationErrors.validation(`Template error: ${message}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one function key of an object that is a function call, or undefined. */
export function functionOf(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? k : undefined;
}

export function resolveValue(value: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx)).filter((v) => v !== NO_VALUE);
  if (!isObject(value)) return value;
  const fn = functionOf(value);
  if (fn !== undefined && fn !== 'Condition') return call(fn, value[fn], ctx);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolveValue(v, ctx);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

const str = (v: unknown, what: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw fail(`${what} must be a string`);
};
const list = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw fail(`${what} must be a list`);
  return v;
};

function call(fn: string, arg: unknown, ctx: EvalContext): unknown {
  switch (fn) {
    case 'Ref':
      return ref(str(arg, 'Ref'), ctx);
    case 'Fn::GetAtt':
      return getAtt(arg, ctx);
    case 'Fn::Sub':
      return sub(arg, ctx);
    case 'Fn::Join': {
      const [sep, items] = list(arg, 'Fn::Join');
      const values = resolveValue(items, ctx);
      return list(values, 'Fn::Join list').map((v) => str(v, 'Fn::Join item')).join(str(resolveValue(sep, ctx), 'Fn::Join delimiter'));
    }
    case 'Fn::Select': {
      const [index, items] = list(arg, 'Fn::Select');
      const i = Number(resolveValue(index, ctx));
      const values = list(resolveValue(items, ctx), 'Fn::Select list');
      if (!Number.isInteger(i) || i < 0 || i >= values.length) throw fail('Fn::Select cannot select nonexistent value at index ' + String(index));
      return values[i];
    }
    case 'Fn::Split': {
      const [sep, source] = list(arg, 'Fn::Split');
      return str(resolveValue(source, ctx), 'Fn::Split source').split(str(sep, 'Fn::Split delimiter'));
    }
    case 'Fn::If': {
      const [name, whenTrue, whenFalse] = list(arg, 'Fn::If');
      const c = ctx.conditions[str(name, 'Fn::If condition')];
      if (c === undefined) throw fail(`Unresolved condition dependency ${String(name)} in Fn::If`);
      return resolveValue(c ? whenTrue : whenFalse, ctx);
    }
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      return evaluateCondition({ [fn]: arg }, ctx);
    case 'Fn::FindInMap':
      return findInMap(arg, ctx);
    case 'Fn::GetAZs': {
      const region = resolveValue(arg, ctx);
      return availabilityZones(region === '' || region === undefined ? ctx.pseudo.region : str(region, 'Fn::GetAZs'));
    }
    case 'Fn::Base64':
      return Buffer.from(str(resolveValue(arg, ctx), 'Fn::Base64'), 'utf8').toString('base64');
    case 'Fn::Cidr': {
      const [block, count, bits] = list(resolveValue(arg, ctx), 'Fn::Cidr');
      return cidr(str(block, 'Fn::Cidr ipBlock'), Number(count), Number(bits));
    }
    case 'Fn::ImportValue': {
      const name = str(resolveValue(arg, ctx), 'Fn::ImportValue');
      const v = ctx.importValue(name);
      if (v === undefined) throw CloudFormationErrors.validation(`No export named ${name} found.`);
      return v;
    }
    case 'Fn::Length':
      if (!ctx.languageExtensions) throw fail('Fn::Length needs the AWS::LanguageExtensions transform');
      return list(resolveValue(arg, ctx), 'Fn::Length').length;
    case 'Fn::ToJsonString':
      if (!ctx.languageExtensions) throw fail('Fn::ToJsonString needs the AWS::LanguageExtensions transform');
      return JSON.stringify(resolveValue(arg, ctx));
    default:
      throw fail(`Unsupported intrinsic function ${fn}`);
  }
}

function ref(name: string, ctx: EvalContext): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = pseudoValue(ctx, name);
  if (pseudo !== undefined) return pseudo;
  if (name in ctx.parameters) return ctx.parameters[name];
  if (ctx.resourceIds.has(name)) {
    const r = ctx.resource(name);
    if (!r) throw new Unresolvable(`Ref ${name}: the resource does not exist yet`);
    return r.ref;
  }
  throw fail(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
}

function getAtt(arg: unknown, ctx: EvalContext): unknown {
  let logicalId: string;
  let attribute: string;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    [logicalId, attribute] = [arg.slice(0, dot), arg.slice(dot + 1)];
  } else {
    const [l, a] = list(arg, 'Fn::GetAtt');
    logicalId = str(l, 'Fn::GetAtt resource');
    attribute = str(resolveValue(a, ctx), 'Fn::GetAtt attribute');
  }
  if (!ctx.resourceIds.has(logicalId)) throw fail(`Instance ${logicalId} referenced by Fn::GetAtt does not exist`);
  const r = ctx.resource(logicalId);
  if (!r) throw new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute}: the resource does not exist yet`);
  if (!(attribute in r.attributes)) throw CloudFormationErrors.validation(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
  return r.attributes[attribute];
}

function sub(arg: unknown, ctx: EvalContext): string {
  const [text, vars] = typeof arg === 'string' ? [arg, {}] : list(arg, 'Fn::Sub');
  const variables = resolveValue(vars ?? {}, ctx) as Record<string, unknown>;
  return substitute(str(text, 'Fn::Sub'), (name) => {
    if (name in variables) return str(variables[name], `Fn::Sub variable ${name}`);
    const dot = name.indexOf('.');
    const value = dot === -1 ? ref(name, ctx) : getAtt([name.slice(0, dot), name.slice(dot + 1)], ctx);
    return Array.isArray(value) ? value.join(',') : str(value, `Fn::Sub ${name}`);
  });
}

function findInMap(arg: unknown, ctx: EvalContext): unknown {
  const [mapName, top, second, options] = list(arg, 'Fn::FindInMap');
  const keys = [mapName, top, second].map((k) => str(resolveValue(k, ctx), 'Fn::FindInMap key'));
  const map = ctx.mappings[keys[0]!] as Record<string, Record<string, unknown>> | undefined;
  const value = map?.[keys[1]!]?.[keys[2]!];
  if (value !== undefined) return value;
  if (isObject(options) && 'DefaultValue' in options) return resolveValue(options['DefaultValue'], ctx);
  throw fail(`Unable to get mapping for ${keys.join('::')}`);
}

/** A condition's truth: Fn::Equals, Fn::And, Fn::Or, Fn::Not, and `{ Condition: Name }`. */
export function evaluateCondition(expr: unknown, ctx: EvalContext): boolean {
  if (typeof expr === 'boolean') return expr;
  if (expr === 'true' || expr === 'false') return expr === 'true';
  const fn = functionOf(expr);
  const arg = fn ? (expr as Record<string, unknown>)[fn] : undefined;
  switch (fn) {
    case 'Condition': {
      const c = ctx.conditions[str(arg, 'Condition')];
      if (c === undefined) throw fail(`Unresolved condition dependency ${String(arg)}`);
      return c;
    }
    case 'Fn::Equals': {
      const [a, b] = list(arg, 'Fn::Equals');
      return JSON.stringify(normalise(resolveValue(a, ctx))) === JSON.stringify(normalise(resolveValue(b, ctx)));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const items = list(arg, fn);
      if (items.length < 2 || items.length > 10) throw fail(`${fn} needs between 2 and 10 conditions`);
      const values = items.map((c) => evaluateCondition(c, ctx));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Not': {
      const items = list(arg, 'Fn::Not');
      if (items.length !== 1) throw fail('Fn::Not needs one condition');
      return !evaluateCondition(items[0], ctx);
    }
    default: {
      const v = fn ? resolveValue(expr, ctx) : expr;
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw fail('Conditions can only be boolean operations on parameters and other conditions');
    }
  }
}

/** Fn::Equals compares values as strings, as CloudFormation does (`!Equals [1, '1']` is true). */
const normalise = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? v.map(normalise) : v);

/**
 * Evaluates the template's Conditions in dependency order (a condition may name another).
 * `base` supplies everything but the conditions themselves.
 */
export function evaluateConditions(conditions: Readonly<Record<string, unknown>>, base: Omit<EvalContext, 'conditions'>): Record<string, boolean> {
  const done: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const ctx: EvalContext = {
    ...base,
    conditions: new Proxy(done, {
      get: (_t, name: string) => visit(name),
    }),
  };
  const visit = (name: string): boolean | undefined => {
    if (name in done) return done[name];
    if (!(name in conditions)) return undefined;
    if (visiting.has(name)) throw fail(`Circular condition dependency: ${name}`);
    visiting.add(name);
    done[name] = evaluateCondition(conditions[name], ctx);
    visiting.delete(name);
    return done[name];
  };
  for (const name of Object.keys(conditions)) visit(name);
  return done;
}
