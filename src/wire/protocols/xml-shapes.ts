/**
 * XML bodies of rest-xml services, read and written by the model's shapes: member `locationName`s,
 * flattened and wrapped lists, scalars in their XML text form. Values on our side are JSON-ready
 * (timestamps in epoch seconds), as every protocol module gives handlers.
 */
import { XMLParser } from 'fast-xml-parser';
import { shapeOf, type MemberRef, type ServiceModel } from '../model.js';
import { escapeXml } from './xml.js';

type Malformed = (reason: string) => Error;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  // Every element as a list: the shape, not the document, says whether a member repeats.
  isArray: () => true,
});

/** The payload document's root element, as the parser gives it: child names to lists of values. */
export function parseXmlDocument(body: Buffer, malformed: Malformed): Record<string, unknown> {
  let doc: Record<string, unknown[]>;
  try {
    doc = parser.parse(body.toString('utf8'), true) as Record<string, unknown[]>;
  } catch (err) {
    throw malformed((err as Error).message);
  }
  const roots = Object.keys(doc);
  const root = roots.length === 1 ? doc[roots[0]!]?.[0] : undefined;
  if (root === undefined) throw malformed('expected one root element');
  return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '#text' in v ? String((v as Record<string, unknown>)['#text']) : v === undefined || (typeof v === 'object' && v !== null) ? '' : String(v));

/** One element's content decoded as `shapeName`. */
export function decodeXmlValue(model: ServiceModel, shapeName: string, node: unknown, malformed: Malformed): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const el = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown[]>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location || ref.xmlAttribute) continue;
        const member = shapeOf(model, ref.shape);
        const tag = ref.locationName ?? name;
        if (member.type === 'list' && (ref.flattened || member.flattened)) {
          const items = el[tag];
          if (items) out[name] = items.map((i) => decodeXmlValue(model, member.member!.shape, i, malformed));
          continue;
        }
        const child = el[tag]?.[0];
        if (child !== undefined) out[name] = decodeXmlValue(model, ref.shape, child, malformed);
      }
      return out;
    }
    case 'list': {
      const el = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown[]>;
      const tag = shape.member!.locationName ?? 'member';
      return (el[tag] ?? []).map((i) => decodeXmlValue(model, shape.member!.shape, i, malformed));
    }
    case 'map': {
      const el = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown[]>;
      const out: Record<string, unknown> = {};
      for (const entry of (el['entry'] ?? []) as Record<string, unknown[]>[]) {
        out[text(entry[shape.key!.locationName ?? 'key']?.[0])] = decodeXmlValue(model, shape.value!.shape, entry[shape.value!.locationName ?? 'value']?.[0], malformed);
      }
      return out;
    }
    case 'boolean': {
      const s = text(node).trim();
      if (s !== 'true' && s !== 'false') throw malformed(`not a boolean: ${s}`);
      return s === 'true';
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const n = Number(text(node).trim());
      if (Number.isNaN(n)) throw malformed(`not a number: ${text(node)}`);
      return n;
    }
    case 'timestamp': {
      const ms = Date.parse(text(node).trim());
      if (Number.isNaN(ms)) throw malformed(`not a timestamp: ${text(node)}`);
      return ms / 1000;
    }
    case 'blob':
      return Buffer.from(text(node), 'base64');
    default:
      return text(node);
  }
}

/** S3 writes timestamps in bodies with milliseconds. */
const isoTimestamp = (value: unknown): string => (typeof value === 'string' ? value : new Date(Number(value) * 1000).toISOString());

/** `value` as the element `tag` of shape `shapeName` (members in the model's order). */
export function encodeXmlElement(model: ServiceModel, tag: string, shapeName: string, value: unknown, xmlns?: string): string {
  const shape = shapeOf(model, shapeName);
  const open = xmlns ? `<${tag} xmlns="${xmlns}">` : `<${tag}>`;
  switch (shape.type) {
    case 'structure': {
      const v = value as Record<string, unknown>;
      let inner = '';
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const m = v[name];
        if (m === undefined || m === null || ref.location || ref.xmlAttribute) continue;
        inner += encodeMember(model, name, ref, m);
      }
      return `${open}${inner}</${tag}>`;
    }
    case 'list': {
      const memberTag = shape.member!.locationName ?? 'member';
      return `${open}${(value as unknown[]).map((i) => encodeXmlElement(model, memberTag, shape.member!.shape, i)).join('')}</${tag}>`;
    }
    case 'timestamp':
      return `${open}${isoTimestamp(value)}</${tag}>`;
    case 'blob':
      return `${open}${Buffer.isBuffer(value) ? value.toString('base64') : escapeXml(String(value))}</${tag}>`;
    default:
      return `${open}${escapeXml(String(value))}</${tag}>`;
  }
}

function encodeMember(model: ServiceModel, name: string, ref: MemberRef, value: unknown): string {
  const member = shapeOf(model, ref.shape);
  const tag = ref.locationName ?? name;
  if (member.type === 'list' && (ref.flattened || member.flattened)) {
    return (value as unknown[]).map((i) => encodeXmlElement(model, tag, member.member!.shape, i)).join('');
  }
  return encodeXmlElement(model, tag, ref.shape, value);
}
