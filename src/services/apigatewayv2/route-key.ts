/**
 * HTTP API route keys (`GET /items/{id}`, `ANY /{proxy+}`, `$default`) and how a request picks one,
 * as API Gateway ranks them: the most specific path first (a literal segment over `{param}` over a
 * greedy `{proxy+}`), an exact method over `ANY`, and `$default` last.
 */
import { ApiGatewayV2Errors } from '../../wire/errors.js';

const METHODS = new Set(['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface ParsedRouteKey {
  method: string;
  segments: Segment[];
}

/** The key's method and path segments, or undefined for `$default`; BadRequest for a malformed key. */
export function parseRouteKey(key: string): ParsedRouteKey | undefined {
  if (key === '$default') return undefined;
  const m = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!m || !METHODS.has(m[1]!)) throw ApiGatewayV2Errors.badRequest(`Invalid route key: ${key}. A route key is '$default' or an HTTP method and a path, such as 'GET /pets'.`);
  const parts = m[2] === '/' ? [] : m[2]!.slice(1).split('/');
  const segments = parts.map((p, i): Segment => {
    const param = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(p);
    if (!param) {
      if (p === '' || /[{}]/.test(p)) throw ApiGatewayV2Errors.badRequest(`Invalid route key: ${key}. The path is not valid.`);
      return { kind: 'literal', text: p };
    }
    if (param[2] === '+') {
      if (i !== parts.length - 1) throw ApiGatewayV2Errors.badRequest(`Invalid route key: ${key}. A greedy path variable must be the last segment.`);
      return { kind: 'greedy', name: param[1]! };
    }
    return { kind: 'param', name: param[1]! };
  });
  return { method: m[1]!, segments };
}

export interface RouteMatch<R> {
  route: R;
  pathParameters: Record<string, string>;
}

/** Score of a segment: literal beats param beats greedy, earlier segments weighing most. */
const RANK = { literal: 3, param: 2, greedy: 1 } as const;

/**
 * The route a request takes among `routes` (each with its parsed key, undefined for `$default`).
 * Path parameters are percent-decoded, as API Gateway passes them.
 */
export function matchRoute<R>(routes: readonly { route: R; key: ParsedRouteKey | undefined }[], method: string, path: string): RouteMatch<R> | undefined {
  const parts = path === '/' || path === '' ? [] : path.replace(/^\//, '').split('/');
  let best: { route: R; params: Record<string, string>; score: number[] } | undefined;
  let fallback: R | undefined;
  for (const { route, key } of routes) {
    if (key === undefined) {
      fallback = route;
      continue;
    }
    if (key.method !== 'ANY' && key.method !== method) continue;
    const params = matchPath(key.segments, parts);
    if (!params) continue;
    const score = [...key.segments.map((s) => RANK[s.kind]), key.segments.length, key.method === 'ANY' ? 0 : 1];
    if (!best || compare(score, best.score) > 0) best = { route, params, score };
  }
  if (best) return { route: best.route, pathParameters: best.params };
  return fallback === undefined ? undefined : { route: fallback, pathParameters: {} };
}

function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === 'greedy') {
      // `{proxy+}` takes one segment or more.
      if (i >= parts.length) return undefined;
      params[s.name] = decode(parts.slice(i).join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (s.kind === 'literal' && s.text !== part) return undefined;
    if (s.kind === 'param') params[s.name] = decode(part);
  }
  return segments.length === parts.length ? params : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
