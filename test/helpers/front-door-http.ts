/**
 * Requests to front doors named under `localhost` (function URLs, API endpoints), which Node cannot
 * resolve: connect to 127.0.0.1 and send the URL's host in the Host header, as a browser would.
 * Redirects are not followed, so that tests see them.
 */
import { request, type RequestOptions } from 'node:http';

export interface DoorInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** node:http options reaching the URL: its host in the Host header, the connection to loopback. */
export function doorRequestOptions(url: string, init: DoorInit = {}): RequestOptions {
  const u = new URL(url);
  const named = u.hostname === 'localhost' || u.hostname.endsWith('.localhost');
  return {
    host: named ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 80 : Number(u.port),
    method: init.method ?? 'GET',
    path: `${u.pathname}${u.search}`,
    headers: { host: u.host, ...(init.headers ?? {}) },
    agent: false,
  };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** fetch()'s answer for a front-door URL. */
export function doorFetch(url: string, init: DoorInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(doorRequestOptions(url, init), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 0;
        resolve(new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers }));
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
