/**
 * Intrinsic functions as SAM sees them: plain objects with one key (`Ref`, `Condition`, `Fn::*`). SAM
 * resolves only references to template parameters, and only where a value decides what it generates
 * (an alias name, the code location a version hash covers); everything else stays for the engine.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function isIntrinsic(v: unknown): v is JsonObject {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

export const isIf = (v: unknown): v is { 'Fn::If': Json[] } => isIntrinsic(v) && 'Fn::If' in v;
export const isNoValue = (v: unknown): boolean => isIntrinsic(v) && v['Ref'] === 'AWS::NoValue';

export const ref = (logicalId: string): JsonObject => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string): JsonObject => ({ 'Fn::GetAtt': [logicalId, attribute] });

export const clone = <T>(v: T): T => structuredClone(v);

/** A copy with `{Ref: Param}` and `${Param}` inside `Fn::Sub` replaced by the parameters' values. */
export function resolveParameterRefs(value: unknown, parameters: Readonly<Record<string, Json>>): Json {
  return resolve(clone(value) as Json, parameters);
}

function resolve(value: Json, parameters: Readonly<Record<string, Json>>): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(v, parameters));
  if (!isObject(value)) return value;
  // Children first, as samtranslator does: a Ref to a parameter inside a Join is inlined too.
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolve(v, parameters);
  if (!isIntrinsic(out)) return out;
  if ('Ref' in out && typeof out['Ref'] === 'string') {
    const v = parameterValue(parameters, out['Ref']);
    return v === undefined ? out : v;
  }
  if ('Fn::Sub' in out) {
    out['Fn::Sub'] = mapSubText(out['Fn::Sub']!, (full, name) => {
      const v = parameterValue(parameters, name);
      if (v === undefined) return full;
      if (typeof v !== 'string') throw new Error(`Fn::Sub expects all variables to be strings`);
      return v;
    });
  }
  return out;
}

function parameterValue(parameters: Readonly<Record<string, Json>>, name: string): Json | undefined {
  if (!Object.hasOwn(parameters, name)) return undefined;
  const v = parameters[name]!;
  // CloudFormation's placeholders for values not known yet (nested stacks) are left alone.
  if (typeof v === 'string' && v.startsWith('{{IntrinsicFunction:')) return undefined;
  return v;
}

const SUB_REF = /\$\{([A-Za-z0-9.]+|AWS::[A-Z][A-Za-z]*)\}/g;

/** Rewrites each `${name}` of a Sub's text (string or [text, vars] form), one occurrence at a time. */
export function mapSubText(subValue: Json, replace: (full: string, name: string) => string): Json {
  const rewrite = (text: string): string => {
    let out = text;
    for (const m of text.matchAll(SUB_REF)) {
      const value = replace(m[0], m[1]!);
      out = out.replace(m[0], () => value);
    }
    return out;
  };
  if (typeof subValue === 'string') return rewrite(subValue);
  if (Array.isArray(subValue) && typeof subValue[0] === 'string') return [rewrite(subValue[0]), ...subValue.slice(1)];
  return subValue;
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, if the value is one. */
export function logicalIdOf(v: unknown): string | undefined {
  if (!isIntrinsic(v)) return undefined;
  if (typeof v['Ref'] === 'string') return v['Ref'];
  const ga = v['Fn::GetAtt'];
  if (Array.isArray(ga) && typeof ga[0] === 'string') return ga[0];
  if (typeof ga === 'string') return ga.split('.')[0];
  return undefined;
}

/** Walks a whole template, letting `visit` replace any intrinsic it recognises. */
export function mapIntrinsics(value: Json, visit: (intrinsic: JsonObject) => Json): Json {
  if (Array.isArray(value)) return value.map((v) => mapIntrinsics(v, visit));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapIntrinsics(v, visit);
  return isIntrinsic(out) ? visit(out) : out;
}
