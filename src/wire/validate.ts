/**
 * Checks a decoded input against the model's constraints (required, min/max, pattern, enum) and
 * produces AWS's ValidationException text: "1 validation error detected: Value 'x' at 'memorySize'
 * failed to satisfy constraint: Member must have value greater than or equal to 128".
 */
import { ProtocolErrors } from './errors.js';
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from './model.js';

const patternCache = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re !== undefined) return re;
  try {
    re = new RegExp(`^(?:${pattern})$`, 'su');
  } catch {
    try {
      re = new RegExp(`^(?:${pattern})$`, 's');
    } catch {
      re = null; // a Java-only construct: the handler validates this member itself
    }
  }
  patternCache.set(pattern, re);
  return re;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function show(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (Buffer.isBuffer(value)) return "'java.nio.HeapByteBuffer'";
  if (typeof value === 'object') return "'" + JSON.stringify(value) + "'";
  return `'${String(value)}'`;
}

export function validateShape(model: ServiceModel, shapeName: string, value: unknown): void {
  const problems: string[] = [];
  walk(model, shapeName, value, '', problems);
  if (problems.length > 0) {
    const n = problems.length;
    throw ProtocolErrors.validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

/**
 * Whether a shape, or anything it holds, has a constraint to check. Every request walks its input, so
 * a structure visits only the members that can fail (a DynamoDB attribute's S or N cannot).
 */
const constrainedByModel = new WeakMap<ServiceModel, Map<string, boolean>>();

function constrained(model: ServiceModel, shapeName: string): boolean {
  let byShape = constrainedByModel.get(model);
  if (!byShape) constrainedByModel.set(model, (byShape = new Map()));
  let r = byShape.get(shapeName);
  if (r === undefined) byShape.set(shapeName, (r = reachesConstraint(model, shapeName, new Set())));
  return r;
}

function reachesConstraint(model: ServiceModel, shapeName: string, seen: Set<string>): boolean {
  if (seen.has(shapeName)) return false;
  seen.add(shapeName);
  const s = shapeOf(model, shapeName);
  if ((s.required?.length ?? 0) > 0 || s.min !== undefined || s.max !== undefined || s.enum !== undefined || s.pattern !== undefined) return true;
  const refs: MemberRef[] = [...Object.values(s.members ?? {}), ...[s.member, s.key, s.value].filter((r): r is MemberRef => r !== undefined)];
  return refs.some((r) => reachesConstraint(model, r.shape, seen));
}

/** A structure's members that can fail a check, with the names the messages give them. */
const checkedMembers = new WeakMap<Shape, { name: string; shape: string; label: string }[]>();

function membersToCheck(model: ServiceModel, shape: Shape): { name: string; shape: string; label: string }[] {
  let list = checkedMembers.get(shape);
  if (!list) {
    list = Object.entries(shape.members ?? {})
      .filter(([, ref]) => constrained(model, ref.shape))
      .map(([name, ref]) => ({ name, shape: ref.shape, label: lowerFirst(name) }));
    checkedMembers.set(shape, list);
  }
  return list;
}

function walk(model: ServiceModel, shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = shapeOf(model, shapeName);
  const fail = (constraint: string) =>
    problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      const record = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          const p = path ? `${path}.${lowerFirst(req)}` : lowerFirst(req);
          problems.push(`Value null at '${p}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const m of membersToCheck(model, shape)) {
        const v = record[m.name];
        if (v === undefined || v === null) continue;
        walk(model, m.shape, v, path ? `${path}.${m.label}` : m.label, problems);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return;
      if (shape.min !== undefined && value.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      else if (shape.max !== undefined && value.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      else if (shape.enum && !shape.enum.includes(value)) fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
      else if (shape.pattern) {
        const re = compilePattern(shape.pattern);
        if (re && !re.test(value)) fail(`satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      if (typeof value !== 'number') return;
      if (shape.min !== undefined && value < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      else if (shape.max !== undefined && value > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return;
      if (shape.min !== undefined && value.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      else if (shape.max !== undefined && value.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      if (shape.member && constrained(model, shape.member.shape)) value.forEach((item, i) => walk(model, shape.member!.shape, item, `${path}.${i + 1}.member`, problems));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) return;
      const keys = shape.key !== undefined && constrained(model, shape.key.shape) ? shape.key.shape : undefined;
      const values = shape.value !== undefined && constrained(model, shape.value.shape) ? shape.value.shape : undefined;
      if (keys === undefined && values === undefined) return;
      for (const k in value as Record<string, unknown>) {
        if (keys !== undefined) walk(model, keys, k, `${path}.key`, problems);
        if (values !== undefined) walk(model, values, (value as Record<string, unknown>)[k], `${path}.${k}.member`, problems);
      }
      return;
    }
    case 'blob': {
      const len = Buffer.isBuffer(value) ? value.length : undefined;
      if (len !== undefined && shape.min !== undefined && len < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      return;
    }
    default:
      return;
  }
}

/**
 * A member the service requires though its model does not mark it required (the model loosened it for
 * a newer variant of the call Selfless does not serve): refused in the words of a missing required member.
 */
export function present<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw ProtocolErrors.validation(`1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
  return value;
}
