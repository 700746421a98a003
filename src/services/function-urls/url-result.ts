/** The function's answer as a function URL's HTTP response, by Lambda's rules. */
import type { Exchange } from '../../api/exchange.js';

/** Lambda's answer when the function failed (502) or was throttled (429); nothing if the answer has begun. */
export function writeUrlError(ex: Exchange, requestId: string, status: number, allow: Record<string, string>): void {
  if (ex.answered) return;
  const body = JSON.stringify({ Message: status === 429 ? 'Rate Exceeded.' : status === 413 ? 'Request Too Long' : 'Internal Server Error' });
  ex.reply(status, Object.assign({ 'content-type': 'application/json', 'x-amzn-requestid': requestId }, allow), body, false);
}

/**
 * Lambda's rules: an object with `statusCode` is a full response; anything else is a 200 whose body
 * is the result's JSON, sent as `application/json` (a string result too), with no charset added.
 */
export function writeUrlResult(ex: Exchange, requestId: string, payload: Buffer, allow: Record<string, string>): void {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return writeUrlError(ex, requestId, 502, allow);
  }
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId, ...allow };
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    headers['content-type'] ??= 'application/json';
    const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
    ex.reply(r.statusCode, headers, body, false);
    return;
  }
  ex.reply(200, Object.assign({ 'content-type': 'application/json', 'x-amzn-requestid': requestId }, allow), typeof result === 'string' ? result : payload, false);
}
