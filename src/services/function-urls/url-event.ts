/**
 * A function URL's request as Lambda's payload format 2.0 event: headers joined with commas,
 * cookies apart, a text body as it is and any other body in base64.
 */
import type { Exchange } from '../../api/exchange.js';

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml))/i;

/** Whether a body of this content type goes to the function as text (else base64), as Lambda decides. */
export const isTextBody = (contentType: string | undefined): boolean => TEXT_TYPES.test(contentType ?? 'text/plain');

export interface UrlRequest {
  ex: Exchange;
  urlId: string;
  /** The path the function sees: the client's own for a host-based URL. */
  path: string;
  query: string;
  body: Buffer;
  accountId: string;
  requestId: string;
  now: number;
}

export function urlEvent(r: UrlRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(r.ex.headers)) {
    if (v === undefined) continue;
    if (k === 'cookie') cookies.push(...String(v).split(/;\s*/));
    else headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(r.query)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const text = r.body.length > 0 && isTextBody(r.ex.headers['content-type']);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.path,
    rawQueryString: r.query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: r.accountId,
      apiId: r.urlId,
      domainName: String(r.ex.headers.host ?? 'localhost'),
      domainPrefix: r.urlId,
      http: {
        method: r.ex.method,
        path: r.path,
        protocol: `HTTP/${r.ex.httpVersion}`,
        sourceIp: r.ex.remoteAddress ?? '127.0.0.1',
        userAgent: String(r.ex.headers['user-agent'] ?? ''),
      },
      requestId: r.requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date(r.now).toUTCString(),
      timeEpoch: r.now,
    },
    ...(r.body.length > 0 ? { body: text ? r.body.toString('utf8') : r.body.toString('base64'), isBase64Encoded: !text } : { isBase64Encoded: false }),
  };
}
