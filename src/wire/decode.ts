/**
 * Decodes JSON values into the types a model shape declares: blobs from base64 to Buffer,
 * and a type check on every primitive, so that handlers see what the model promises.
 */
import { Errors } from './errors.js';
import { shapeOf, type ServiceModel } from './model.js';

function mismatch(path: string, expected: string): never {
  throw Errors.invalidRequestContent(`Could not parse request body into json: ${path || 'body'} must be ${expected}`);
}

export function decodeJsonValue(model: ServiceModel, shapeName: string, value: unknown, path = ''): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) mismatch(path, 'an object');
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v !== undefined && v !== null) out[name] = decodeJsonValue(model, ref.shape, v, path ? `${path}.${name}` : name);
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) mismatch(path, 'a list');
      return value.map((v, i) => decodeJsonValue(model, shape.member!.shape, v, `${path}[${i}]`));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) mismatch(path, 'a map');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = decodeJsonValue(model, shape.value!.shape, v, `${path}.${k}`);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') mismatch(path, 'a string');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch(path, 'an integer');
      return value;
    case 'double':
    case 'float':
      if (typeof value !== 'number') mismatch(path, 'a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch(path, 'a boolean');
      return value;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') mismatch(path, 'a timestamp');
      return value;
    case 'blob':
      if (typeof value !== 'string') mismatch(path, 'base64 text');
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}

/** Converts a string from a URI, query string or header into the member's declared type. */
export function decodeScalar(model: ServiceModel, shapeName: string, raw: string | string[], path: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      const s = Array.isArray(raw) ? raw[0] ?? '' : raw;
      if (!/^-?\d+$/.test(s)) throw Errors.invalidParameter(`Invalid value for ${path}: ${s}`);
      return Number(s);
    }
    case 'boolean': {
      const s = Array.isArray(raw) ? raw[0] ?? '' : raw;
      if (s !== 'true' && s !== 'false') throw Errors.invalidParameter(`Invalid value for ${path}: ${s}`);
      return s === 'true';
    }
    case 'list':
      return Array.isArray(raw) ? raw : [raw];
    default:
      return Array.isArray(raw) ? raw[0] : raw;
  }
}
