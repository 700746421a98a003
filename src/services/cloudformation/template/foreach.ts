/**
 * AWS::LanguageExtensions' Fn::ForEach: `"Fn::ForEach::Name": [Identifier, Collection, { "Key${Identifier}": Value }]`
 * in any object (Resources, Conditions, Outputs, properties) expands to one entry per item, with
 * `${Identifier}` / `&{Identifier}` replaced in keys and strings, and `{ Ref: Identifier }` in values.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { EvalContext } from './context.js';
import { resolveValue } from './intrinsics.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function expandForEach(value: unknown, ctx: EvalContext): unknown {
  if (Array.isArray(value)) return value.map((v) => expandForEach(v, ctx));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!key.startsWith('Fn::ForEach::')) {
      out[key] = expandForEach(v, ctx);
      continue;
    }
    if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'string' || !isObject(v[2])) {
      throw CloudFormationErrors.validation(`Template error: ${key} must be [Identifier, Collection, {OutputKey: OutputValue}]`);
    }
    const [identifier, collection, fragment] = v as [string, unknown, Record<string, unknown>];
    const items = resolveValue(collection, ctx);
    if (!Array.isArray(items)) throw CloudFormationErrors.validation(`Template error: ${key}'s collection must be a list`);
    for (const item of items) {
      const expanded = expandForEach(replaceIdentifier(fragment, identifier, String(item)), ctx) as Record<string, unknown>;
      for (const [k, x] of Object.entries(expanded)) {
        if (k in out) throw CloudFormationErrors.validation(`Template error: ${key} produces the key ${k} twice`);
        out[k] = x;
      }
    }
  }
  return out;
}

function replaceIdentifier(value: unknown, id: string, item: string): unknown {
  const inText = (s: string) => s.split(`\${${id}}`).join(item).split(`&{${id}}`).join(item.replace(/[^A-Za-z0-9]/g, ''));
  if (typeof value === 'string') return inText(value);
  if (Array.isArray(value)) return value.map((v) => replaceIdentifier(v, id, item));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && value['Ref'] === id) return item;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [inText(k), replaceIdentifier(v, id, item)]));
}
