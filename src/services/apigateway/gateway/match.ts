/**
 * Which resource and method of a deployed API a request reaches: literal path parts before `{param}`
 * before `{proxy+}` (which takes one or more parts), and the request's own method before `ANY`.
 */
import type { MethodRecord, ResourceRecord, RestApiRecord } from '../model.js';

export interface MethodMatch {
  resource: ResourceRecord;
  method: MethodRecord;
  /** Path parameters, percent-decoded (`{proxy+}` keeps its slashes). */
  pathParameters: Record<string, string>;
}

type Children = Map<string, ResourceRecord[]>;

/** `path` is the API's own path (after the stage), beginning with `/`. */
export function matchMethod(api: RestApiRecord, path: string, httpMethod: string): MethodMatch | undefined {
  const children: Children = new Map();
  for (const r of Object.values(api.resources)) {
    if (r.parentId === undefined) continue;
    const list = children.get(r.parentId) ?? children.set(r.parentId, []).get(r.parentId)!;
    list.push(r);
  }
  const parts = path.split('/').filter((p) => p !== '');
  const root = api.resources[api.rootResourceId];
  if (!root) return undefined;
  return walk(root, parts, 0, {}, children, httpMethod.toUpperCase());
}

function methodOn(resource: ResourceRecord, httpMethod: string): MethodRecord | undefined {
  return resource.methods[httpMethod] ?? resource.methods['ANY'];
}

function walk(at: ResourceRecord, parts: string[], i: number, params: Record<string, string>, children: Children, httpMethod: string): MethodMatch | undefined {
  if (i === parts.length) {
    const method = methodOn(at, httpMethod);
    return method ? { resource: at, method, pathParameters: params } : undefined;
  }
  const kids = children.get(at.id) ?? [];
  const part = parts[i]!;
  const decoded = safeDecode(part);
  for (const kid of kids) {
    if (kid.pathPart === decoded || kid.pathPart === part) {
      const found = walk(kid, parts, i + 1, params, children, httpMethod);
      if (found) return found;
    }
  }
  for (const kid of kids) {
    const name = /^\{([^+}]+)\}$/.exec(kid.pathPart ?? '')?.[1];
    if (name === undefined) continue;
    const found = walk(kid, parts, i + 1, { ...params, [name]: decoded }, children, httpMethod);
    if (found) return found;
  }
  for (const kid of kids) {
    const name = /^\{([^}]+)\+\}$/.exec(kid.pathPart ?? '')?.[1];
    if (name === undefined) continue;
    const method = methodOn(kid, httpMethod);
    if (method) return { resource: kid, method, pathParameters: { ...params, [name]: parts.slice(i).map(safeDecode).join('/') } };
  }
  return undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
