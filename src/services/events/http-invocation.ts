/**
 * The HTTP request an API destination gets for an event: the endpoint with its `*` filled from the
 * target's PathParameterValues, the target's headers and query string merged under the connection's
 * (whose values win), the connection's body parameters added to a JSON object body, the headers
 * EventBridge sets itself, and the connection's authorization.
 */
import type { ConnectionAuth, HttpParam } from './connection-model.js';

export interface TargetHttp {
  pathValues?: string[] | undefined;
  headers?: Record<string, string> | undefined;
  query?: Record<string, string> | undefined;
}

export interface HttpRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export const USER_AGENT = 'Amazon/EventBridge/ApiDestinations';

/** Headers EventBridge sets or leaves to the HTTP layer, which neither a target nor a connection overrides. */
const FIXED = new Set([
  'a-im', 'accept-charset', 'accept-datetime', 'accept-encoding', 'cache-control', 'connection', 'content-encoding', 'content-length', 'content-md5',
  'date', 'expect', 'forwarded', 'host', 'http2-settings', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'keep-alive', 'max-forwards', 'origin', 'pragma', 'proxy-authorization', 'range', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'via', 'warning',
]);

export function buildRequest(endpoint: string, method: string, body: string, target: TargetHttp, auth: ConnectionAuth, authorization: string | undefined): HttpRequest {
  const values = [...(target.pathValues ?? [])];
  const url = new URL(endpoint.replace(/\*/g, () => encodeURIComponent(values.shift() ?? '')));
  const query = new Map<string, string>(Object.entries(target.query ?? {}));
  for (const q of auth.invocation.query) query.set(q.key, q.value ?? '');
  for (const [k, v] of query) url.searchParams.set(k, v);

  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const setHeader = (key: string, value: string) => {
    if (!FIXED.has(key.toLowerCase())) headers[key.toLowerCase()] = value;
  };
  for (const [k, v] of Object.entries(target.headers ?? {})) setHeader(k, v);
  for (const h of auth.invocation.headers) setHeader(h.key, h.value ?? '');
  if (auth.apiKey) headers[auth.apiKey.name.toLowerCase()] = auth.apiKey.value ?? '';
  if (authorization !== undefined) headers['authorization'] = authorization;
  else if (auth.basic) headers['authorization'] = `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password ?? ''}`).toString('base64')}`;
  headers['user-agent'] = USER_AGENT;

  const hasBody = method !== 'GET' && method !== 'HEAD';
  return { url, method, headers, body: hasBody ? withBodyParams(body, auth.invocation.body) : undefined };
}

/** Body parameters join a JSON object body; any other body is sent as it is. */
function withBodyParams(body: string, params: readonly HttpParam[]): string {
  if (params.length === 0) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  const merged = { ...(parsed as Record<string, unknown>) };
  for (const p of params) merged[p.key] = p.value ?? '';
  return JSON.stringify(merged);
}

/** EventBridge retries these answers of an API destination (and network failures); other errors are final. */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
}
