/**
 * A function URL's CORS configuration, applied as Lambda applies it: a preflight (OPTIONS with an
 * Origin and Access-Control-Request-Method) is answered by the URL itself without invoking the
 * function, and every other answer to an allowed origin carries the allow and expose headers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

const CorsSchema = z.looseObject({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: z.array(z.string()).optional(),
  AllowMethods: z.array(z.string()).optional(),
  AllowOrigins: z.array(z.string()).optional(),
  ExposeHeaders: z.array(z.string()).optional(),
  MaxAge: z.number().int().optional(),
});
type Cors = z.infer<typeof CorsSchema>;

export function parseCors(stored: unknown): Cors | undefined {
  // Most URLs have none: no schema run (and no error built) on every request for them.
  if (stored === undefined || stored === null) return undefined;
  const parsed = CorsSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The origin to echo back, if the configuration allows it (`*` allows any). */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** A preflight's answer (status and headers), or undefined when the request is not a preflight. */
export function preflight(cors: Cors | undefined, method: string, headers: IncomingHttpHeaders): { status: number; headers: Record<string, string> } | undefined {
  if (!cors || method !== 'OPTIONS') return undefined;
  const requested = header(headers, 'access-control-request-method');
  if (requested === undefined) return undefined;
  const origin = allowedOrigin(cors, header(headers, 'origin'));
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (!origin || !(methods.includes('*') || methods.includes(requested.toUpperCase()))) return { status: 200, headers: {} };
  const out: Record<string, string> = { 'access-control-allow-origin': origin, 'access-control-allow-methods': methods.includes('*') ? requested.toUpperCase() : methods.join(',') };
  const requestedHeaders = header(headers, 'access-control-request-headers');
  if (cors.AllowHeaders?.length) out['access-control-allow-headers'] = cors.AllowHeaders.includes('*') && requestedHeaders ? requestedHeaders : cors.AllowHeaders.join(',');
  if (cors.MaxAge !== undefined) out['access-control-max-age'] = String(cors.MaxAge);
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (origin !== '*') out['vary'] = 'Origin';
  return { status: 200, headers: out };
}

/** Headers an ordinary answer carries for an allowed origin. */
export function corsHeaders(cors: Cors | undefined, headers: IncomingHttpHeaders): Record<string, string> {
  if (!cors) return {};
  const origin = allowedOrigin(cors, header(headers, 'origin'));
  if (!origin) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.ExposeHeaders?.length) out['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  if (cors.AllowCredentials) out['access-control-allow-credentials'] = 'true';
  if (origin !== '*') out['vary'] = 'Origin';
  return out;
}
