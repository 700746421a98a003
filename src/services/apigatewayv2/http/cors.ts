/**
 * An HTTP API's CORS configuration, applied by API Gateway: a preflight is answered (204) without
 * invoking anything, and answers to allowed origins carry the allow and expose headers, replacing
 * any the integration set. The rules are those of function URLs' CORS (src/services/function-urls/url-cors.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { corsHeaders, parseCors, preflight } from '../../function-urls/url-cors.js';
import type { Cors } from '../records.js';

const toUrlCors = (c: Cors) =>
  parseCors({ AllowCredentials: c.allowCredentials, AllowHeaders: c.allowHeaders, AllowMethods: c.allowMethods, AllowOrigins: c.allowOrigins, ExposeHeaders: c.exposeHeaders, MaxAge: c.maxAge });

export function corsPreflight(cors: Cors | undefined, method: string, headers: IncomingHttpHeaders): Record<string, string> | undefined {
  if (!cors) return undefined;
  return preflight(toUrlCors(cors), method, headers)?.headers;
}

export function corsAnswerHeaders(cors: Cors | undefined, headers: IncomingHttpHeaders): Record<string, string> {
  return cors ? corsHeaders(toUrlCors(cors), headers) : {};
}
