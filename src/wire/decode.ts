/**
 * Decodes JSON values into the types a model shape declares: blobs from base64 to Buffer,
 * and a type check on every primitive, so that handlers see what the model promises.
 * Shared by the JSON-bodied protocols; each says which error a mismatch is.
 */
import type { AwsError } from './errors.js';
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from './model.js';

export type Malformed = (message: string) => AwsError;

/**
 * `wire`: JSON as a client sends it (members by wire name, blobs in base64). `handler`: an input
 * already in the handler's shape, from a call inside the server (members by name, blobs as bytes,
 * timestamps as dates too): checked the same way, so it meets the same refusals.
 */
export type ValueForm = 'wire' | 'handler';

/**
 * A structure's members by the key a value carries them under (the wire name, or the name in handler
 * form), built once: every value of every request passes here, and a value holds few of its shape's
 * members (a DynamoDB attribute value one of ten).
 */
const memberKeys = { wire: new WeakMap<Shape, Map<string, [string, MemberRef]>>(), handler: new WeakMap<Shape, Map<string, [string, MemberRef]>>() };

function membersByKey(shape: Shape, form: ValueForm): Map<string, [string, MemberRef]> {
  let byKey = memberKeys[form].get(shape);
  if (!byKey) {
    byKey = new Map(Object.entries(shape.members ?? {}).map(([name, ref]) => [form === 'wire' ? (ref.locationName ?? name) : name, [name, ref]]));
    memberKeys[form].set(shape, byKey);
  }
  return byKey;
}

export function decodeJsonValue(model: ServiceModel, shapeName: string, value: unknown, malformed: Malformed, path = '', form: ValueForm = 'wire'): unknown {
  if (value === null || value === undefined) return undefined;
  const mismatch = (expected: string): never => {
    throw malformed(`${path || 'body'} must be ${expected}`);
  };
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) mismatch('an object');
      const out: Record<string, unknown> = {};
      // Members go by their wire name where the model gives one (API Gateway's `apiId`); other keys are not members.
      const byKey = membersByKey(shape, form);
      for (const key in value as Record<string, unknown>) {
        const member = byKey.get(key);
        const v = (value as Record<string, unknown>)[key];
        if (member === undefined || v === undefined || v === null) continue;
        const [name, ref] = member;
        out[name] = decodeJsonValue(model, ref.shape, v, malformed, path ? `${path}.${name}` : name, form);
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) mismatch('a list');
      return (value as unknown[]).map((v, i) => decodeJsonValue(model, shape.member!.shape, v, malformed, `${path}[${i}]`, form));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) mismatch('a map');
      const out: Record<string, unknown> = {};
      for (const k in value as Record<string, unknown>) {
        out[k] = decodeJsonValue(model, shape.value!.shape, (value as Record<string, unknown>)[k], malformed, `${path}.${k}`, form);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') mismatch('a string');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch('an integer');
      return value;
    case 'double':
    case 'float':
      if (typeof value !== 'number') mismatch('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch('a boolean');
      return value;
    case 'timestamp':
      if (form === 'handler' && value instanceof Date) return value;
      if (typeof value !== 'number' && typeof value !== 'string') mismatch('a timestamp');
      return value;
    case 'blob':
      if (form === 'handler' && (value instanceof Uint8Array || typeof value === 'string' || isStream(value))) return value;
      if (typeof value !== 'string') mismatch('base64 text');
      return Buffer.from(value as string, 'base64');
    default:
      return value;
  }
}

const isStream = (v: unknown) => typeof (v as { pipe?: unknown })?.pipe === 'function';

/** The body as JSON (an empty body is `{}`), or `malformed` with the parser's reason. */
export function parseJsonBody(body: Buffer, malformed: Malformed): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw malformed((err as Error).message);
  }
}

/** Whether any body member of the model goes by another name on the wire than its own. */
const renames = new WeakMap<ServiceModel, boolean>();
function usesWireNames(model: ServiceModel): boolean {
  let r = renames.get(model);
  if (r === undefined) {
    r = Object.values(model.shapes).some((s) => Object.entries(s.members ?? {}).some(([n, m]) => m.location === undefined && m.locationName !== undefined && m.locationName !== n));
    renames.set(model, r);
  }
  return r;
}

/**
 * A JSON-ready output value with structure members under their wire names (maps keep their keys).
 * Most models name members as the wire does: their values pass through untouched.
 */
export function encodeJsonNames(model: ServiceModel, shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined || !usesWireNames(model)) return value;
  const shape = model.shapes[shapeName];
  if (!shape) return value;
  if (shape.type === 'structure' && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const ref = shape.members?.[k];
      if (v === undefined) continue;
      out[ref?.locationName ?? k] = ref ? encodeJsonNames(model, ref.shape, v) : v;
    }
    return out;
  }
  if (shape.type === 'list' && Array.isArray(value)) return value.map((v) => encodeJsonNames(model, shape.member!.shape, v));
  if (shape.type === 'map' && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = encodeJsonNames(model, shape.value!.shape, v);
    return out;
  }
  return value;
}
