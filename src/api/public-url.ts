/**
 * The addresses the server hands out: the base of AWS API URLs (queue URLs...) and the names of its
 * front doors. A front door is named under the public host, as on AWS
 * (`<id>.lambda-url.<region>.<host>:<port>`), unless that host is an IP address, which cannot carry
 * a subdomain: then it is path-based (`<base>/lambda-url/<id>/`).
 */
import { isIP } from 'node:net';

export interface PublicUrls {
  /** Base of the AWS APIs' URLs, e.g. http://127.0.0.1:9000 (no trailing slash). */
  readonly base: string;
  /** Host names front doors are named under, beside localhost. */
  readonly hostNames: readonly string[];
  functionUrl(urlId: string): string;
  /** An HTTP or WebSocket API's endpoint (no trailing slash), as `ApiEndpoint` gives it. */
  apiEndpoint(apiId: string, scheme?: 'http' | 'ws'): string;
}

/**
 * `publicUrl`: the configured base, if any; otherwise the listen URL is the base and front doors are
 * named under `localhost` at the listen port (browsers and curl resolve `*.localhost` to loopback).
 */
export function publicUrls(publicUrl: string | undefined, listenUrl: string, region: string): PublicUrls {
  const base = (publicUrl ?? listenUrl).replace(/\/+$/, '');
  const u = new URL(publicUrl ?? listenUrl);
  const host = publicUrl === undefined ? 'localhost' : u.hostname;
  const scheme = u.protocol.replace(/:$/, '');
  const port = u.port === '' ? '' : `:${u.port}`;
  const byPath = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  const other = (s: 'http' | 'ws', b: string) => (s === 'ws' ? b.replace(/^http/, 'ws') : b);
  return {
    base,
    hostNames: byPath ? [] : [host],
    functionUrl: (id) => (byPath ? `${base}/lambda-url/${id}/` : `${scheme}://${id}.lambda-url.${region}.${host}${port}/`),
    apiEndpoint: (id, s = 'http') =>
      other(s, byPath ? `${base}/_aws/execute-api/${id}` : `${scheme}://${id}.execute-api.${host}${port}`),
  };
}
