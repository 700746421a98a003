/**
 * HTTP_PROXY integrations: the request goes on to the integration's URL (`{name}` path variables
 * filled from the route's path parameters, the client's query string kept) with its method, headers
 * and body, and the backend's answer comes back as it is. Past the integration's timeout the answer
 * is the same 503 as for a Lambda integration.
 */
import type { IntegrationRecord } from '../records.js';
import type { ApiRequest } from './request.js';
import { Answers, type HttpAnswer } from './responses.js';

/** Headers that describe one hop, not the message: never passed on either way. */
const HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'content-length']);

export async function proxyHttp(integration: IntegrationRecord, r: ApiRequest, pathParameters: Record<string, string>): Promise<HttpAnswer> {
  const template = integration.integrationUri ?? '';
  const filled = template.replace(/\{([A-Za-z0-9._-]+)\+?\}/g, (_m, name: string) => (pathParameters[name] ?? '').split('/').map(encodeURIComponent).join('/'));
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return Answers.internal();
  }
  if (r.query !== '') url.search = url.search ? `${url.search}&${r.query}` : r.query;
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.ex.headers)) if (v !== undefined && !HOP.has(k)) headers.set(k, Array.isArray(v) ? v.join(',') : v);
  headers.set('x-forwarded-for', r.sourceIp);
  headers.set('x-forwarded-proto', 'http');
  const method = integration.integrationMethod && integration.integrationMethod !== 'ANY' ? integration.integrationMethod : r.method;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(integration.timeoutInMillis),
      ...(r.body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: r.body } : {}),
    });
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? Answers.timedOut() : Answers.internal();
  }
  const out: Record<string, string | string[]> = {};
  res.headers.forEach((value, name) => {
    // fetch has decoded the body: its encoding and length no longer hold.
    if (!HOP.has(name) && name !== 'content-encoding' && name !== 'set-cookie') out[name] = value;
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
}
