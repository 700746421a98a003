/**
 * Decodes a query-protocol request (`Action=...&Version=...&Member.Sub=...`, form-encoded) into an
 * operation's input, the inverse of botocore's QuerySerializer: a member's wire name is its
 * `locationName`; list items are `Name.member.N`, or `Name.N` when flattened (the list member's own
 * `locationName` replacing the last part of the name); map entries `Name.entry.N.key`/`.value`, or
 * `Name.N.key` when flattened, with the key's and value's `locationName`s. Indexes start at 1.
 */
import { ProtocolErrors } from '../errors.js';
import { shapeOf, type MemberRef, type ServiceModel } from '../model.js';
import type { Input } from './protocol.js';

/** The parameters of a form, and every dotted prefix of their names, to tell which members are present. */
export class QueryParams {
  private readonly prefixes = new Set<string>();

  constructor(readonly values: ReadonlyMap<string, string>) {
    for (const key of values.keys()) {
      for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1)) this.prefixes.add(key.slice(0, dot));
      this.prefixes.add(key);
    }
  }

  has(prefix: string): boolean {
    return this.prefixes.has(prefix);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }
}

const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

/** Parses `a=1&b=2` (`+` a space); a broken percent-escape makes the whole request malformed. */
export function parseForm(text: string): QueryParams {
  if (BAD_ESCAPE.test(text)) throw ProtocolErrors.malformedQueryString('The request contains an invalid percent-encoding.');
  const values = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(text)) values.set(k, v);
  return new QueryParams(values);
}

export function decodeQueryInput(model: ServiceModel, inputShape: string, params: QueryParams): Input {
  return (decodeStructure(model, inputShape, '', params) ?? {}) as Input;
}

function decodeStructure(model: ServiceModel, shapeName: string, prefix: string, params: QueryParams): Input | undefined {
  if (prefix !== '' && !params.has(prefix)) return undefined;
  const out: Input = {};
  for (const [name, ref] of Object.entries(shapeOf(model, shapeName).members ?? {})) {
    const wire = ref.locationName ?? name;
    const v = decodeMember(model, ref, prefix === '' ? wire : `${prefix}.${wire}`, params);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function decodeMember(model: ServiceModel, ref: MemberRef, prefix: string, params: QueryParams): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, ref.shape, prefix, params);
    case 'list': {
      const member = shape.member!;
      let itemPrefix: string;
      if (ref.flattened || shape.flattened) {
        itemPrefix = member.locationName ? replaceLast(prefix, member.locationName) : prefix;
      } else {
        itemPrefix = `${prefix}.${member.locationName ?? 'member'}`;
      }
      const items: unknown[] = [];
      for (let i = 1; params.has(`${itemPrefix}.${i}`); i++) items.push(decodeMember(model, member, `${itemPrefix}.${i}`, params));
      // An empty list is a bare name with an empty value: the member's name (botocore) or the items' (the JS SDK v2).
      return items.length > 0 ? items : params.get(prefix) === '' || params.get(itemPrefix) === '' ? [] : undefined;
    }
    case 'map': {
      const entries = ref.flattened || shape.flattened ? prefix : `${prefix}.entry`;
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const out: Record<string, unknown> = {};
      let i = 1;
      for (; params.has(`${entries}.${i}`); i++) {
        const key = params.get(`${entries}.${i}.${keyName}`);
        if (key === undefined) throw ProtocolErrors.malformedQueryString(`${entries}.${i}.${keyName} is missing.`);
        out[key] = decodeMember(model, shape.value!, `${entries}.${i}.${valueName}`, params);
      }
      return i > 1 ? out : undefined;
    }
    default:
      return decodeScalar(shape.type, prefix, params.get(prefix));
  }
}

const replaceLast = (prefix: string, name: string): string => {
  const dot = prefix.lastIndexOf('.');
  return dot === -1 ? name : `${prefix.slice(0, dot)}.${name}`;
};

function decodeScalar(type: string, name: string, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const invalid = (expected: string): never => {
    throw ProtocolErrors.malformedQueryString(`Value ${raw} for parameter ${name} is invalid: it must be ${expected}.`);
  };
  switch (type) {
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(raw) ? Number(raw) : invalid('an integer');
    case 'double':
    case 'float': {
      const n = Number(raw);
      return raw.trim() !== '' && !Number.isNaN(n) ? n : invalid('a number');
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : invalid('true or false');
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}
