/** An HTTP API request as the data plane's parts see it, read once from its exchange. */
import type { Exchange } from '../../../api/exchange.js';
import { randomHex } from '../../../lib/ids.js';

export interface ApiRequest {
  ex: Exchange;
  method: string;
  /** The path as the API sees it (a named stage's prefix included, as AWS passes it in rawPath). */
  rawPath: string;
  /** The path within the stage, which routes match. */
  routePath: string;
  query: string;
  body: Buffer;
  apiId: string;
  stage: string;
  requestId: string;
  /** Epoch ms when the request arrived. */
  time: number;
  sourceIp: string;
  domainName: string;
}

/** API Gateway's request ids: 15 characters of base64 and an `=`. */
export const newApiRequestId = (): string => Buffer.from(randomHex(12), 'hex').toString('base64').replace(/[+/]/g, 'A').slice(0, 15) + '=';

/** Headers as API Gateway passes them: names in lower case, repeated values joined by commas; cookies apart. */
export function flatHeaders(r: ApiRequest, withCookies: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.ex.headers)) {
    if (v === undefined || (!withCookies && k === 'cookie')) continue;
    out[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export function multiHeaders(r: ApiRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const raw = r.ex.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) (out[raw[i]!.toLowerCase()] ??= []).push(raw[i + 1]!);
  return out;
}

export function cookiesOf(r: ApiRequest): string[] {
  const c = r.ex.headers.cookie;
  return c === undefined ? [] : c.split(/;\s*/).filter((x) => x !== '');
}

export function queryParams(query: string): { joined: Record<string, string>; multi: Record<string, string[]> } {
  const joined: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    (multi[k] ??= []).push(v);
    joined[k] = joined[k] === undefined ? v : `${joined[k]},${v}`;
  }
  return { joined, multi };
}

/** `12/Mar/2020:19:03:58 +0000`, the request time format of API Gateway's events and logs. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
