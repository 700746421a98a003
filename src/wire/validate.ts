/**
 * Checks a decoded input against the model's constraints (required, min/max, pattern, enum) and
 * produces AWS's ValidationException text: "1 validation error detected: Value 'x' at 'memorySize'
 * failed to satisfy constraint: Member must have value greater than or equal to 128".
 */
import { ProtocolErrors } from './errors.js';
import { shapeOf, type ServiceModel } from './model.js';

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
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = record[name];
        if (v === undefined || v === null) continue;
        walk(model, ref.shape, v, path ? `${path}.${lowerFirst(name)}` : lowerFirst(name), problems);
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
      value.forEach((item, i) => shape.member && walk(model, shape.member.shape, item, `${path}.${i + 1}.member`, problems));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) return;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (shape.key) walk(model, shape.key.shape, k, `${path}.key`, problems);
        if (shape.value) walk(model, shape.value.shape, v, `${path}.${k}.member`, problems);
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
