/**
 * References SAM resolves after translating: `!Ref MyFunction.Alias`, `!GetAtt MyApi.Stage...`,
 * `${MyFunction.Version}` name resources SAM generated, and logical ids SAM changed (a layer version
 * gets a hash suffix) are followed in Ref, GetAtt, Sub and DependsOn across the whole template.
 */
import { isObject, mapIntrinsics, mapSubText, type Json, type JsonObject } from './intrinsics.js';

/** SAM id → property (Alias, Version, Stage...) → generated logical id. */
export type DerivedReferences = Map<string, Map<string, string>>;

export function resolveDerivedReferences(template: JsonObject, refs: DerivedReferences, renamed: Map<string, string> = new Map()): Json {
  let out: Json = template;
  if (renamed.size > 0) {
    renameDependsOn(template, renamed);
    out = mapIntrinsics(out, (fn) => renameIds(fn, renamed));
  }
  if (refs.size === 0) return out;
  const lookup = (id: string, prop: string): string | undefined => refs.get(id)?.get(prop);
  return mapIntrinsics(out, (fn) => {
    if (typeof fn['Ref'] === 'string') {
      const [id, prop] = splitOnce(fn['Ref']);
      const target = prop !== undefined ? lookup(id, prop) : undefined;
      return target ? { Ref: target } : fn;
    }
    const ga = fn['Fn::GetAtt'];
    if (Array.isArray(ga) && ga.length >= 2 && ga.every((s) => typeof s === 'string')) {
      const parts = (ga as string[]).join('.').split('.');
      const target = lookup(parts[0]!, parts[1]!);
      return target ? { 'Fn::GetAtt': [target, ...parts.slice(2)] } : fn;
    }
    if ('Fn::Sub' in fn) {
      return {
        'Fn::Sub': mapSubText(fn['Fn::Sub']!, (full, name) => {
          const parts = name.split('.');
          if (parts.length < 2) return full;
          const target = lookup(parts[0]!, parts[1]!);
          return target ? full.replace(`${parts[0]}.${parts[1]}`, target) : full;
        }),
      };
    }
    return fn;
  });
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf('.');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function renameIds(fn: JsonObject, renamed: Map<string, string>): Json {
  if (typeof fn['Ref'] === 'string' && !fn['Ref'].includes('.')) {
    const to = renamed.get(fn['Ref']);
    return to ? { Ref: to } : fn;
  }
  const ga = fn['Fn::GetAtt'];
  if (Array.isArray(ga) && ga.length >= 2 && ga.every((s) => typeof s === 'string')) {
    const parts = (ga as string[]).join('.').split('.');
    const to = renamed.get(parts[0]!);
    return to ? { 'Fn::GetAtt': [to, ...parts.slice(1)] } : fn;
  }
  if ('Fn::Sub' in fn) {
    return {
      'Fn::Sub': mapSubText(fn['Fn::Sub']!, (full, name) => {
        const id = name.split('.')[0]!;
        const to = renamed.get(id);
        return to ? full.replace(id, to) : full;
      }),
    };
  }
  return fn;
}

function renameDependsOn(template: JsonObject, renamed: Map<string, string>): void {
  const resources = template['Resources'];
  if (!isObject(resources)) return;
  for (const r of Object.values(resources)) {
    if (!isObject(r)) continue;
    const d = r['DependsOn'];
    if (typeof d === 'string') r['DependsOn'] = renamed.get(d) ?? d;
    else if (Array.isArray(d)) r['DependsOn'] = d.map((x) => (typeof x === 'string' ? (renamed.get(x) ?? x) : x));
  }
}
