/**
 * A bucket's CORS rules applied as S3 applies them: the first rule whose origins, method and (for a
 * preflight) requested headers all match answers; origins and headers may hold one `*` wildcard.
 */
import type { CorsRule } from './model.js';

export interface CorsRequest {
  origin: string;
  /** The preflight's Access-Control-Request-Method, or the actual request's method. */
  method: string;
  /** The preflight's Access-Control-Request-Headers (lower-case), none for an actual request. */
  headers: readonly string[];
}

/** A `*` anywhere in the pattern stands for any run of characters (S3 allows one). */
function wildcard(pattern: string, value: string, caseless: boolean): boolean {
  const [p, v] = caseless ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

export function matchRule(rules: readonly CorsRule[], req: CorsRequest): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcard(o, req.origin, false)) &&
      r.allowedMethods.includes(req.method.toUpperCase()) &&
      req.headers.every((h) => (r.allowedHeaders ?? []).some((a) => wildcard(a, h, true))),
  );
}

/** The headers S3 answers a matching request with; `preflight` adds the allowed request headers and max age. */
export function corsHeaders(rule: CorsRule, req: CorsRequest, preflight: boolean): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const h: Record<string, string> = {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : req.origin,
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  // S3 allows credentials for a named origin, never for `*`.
  if (!anyOrigin) h['Access-Control-Allow-Credentials'] = 'true';
  if (preflight && req.headers.length > 0) h['Access-Control-Allow-Headers'] = req.headers.join(', ');
  if (rule.exposeHeaders?.length) h['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) h['Access-Control-Max-Age'] = String(rule.maxAgeSeconds);
  return h;
}

/** `Access-Control-Request-Headers: a, B` → `['a', 'b']`. */
export const requestedHeaders = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
