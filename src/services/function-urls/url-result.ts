/** The function's answer as a function URL's HTTP response, by Lambda's rules. */
import type { ServerResponse } from 'node:http';

/** Lambda's answer when the function failed (502) or was throttled (429); nothing if the answer has begun. */
export function writeUrlError(res: ServerResponse, requestId: string, status: number, allow: Record<string, string>): void {
  if (res.headersSent) return void res.end();
  const body = JSON.stringify({ Message: status === 429 ? 'Rate Exceeded.' : status === 413 ? 'Request Too Long' : 'Internal Server Error' });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId, ...allow });
  res.end(body);
}

/**
 * Lambda's rules: an object with `statusCode` is a full response; anything else is a 200 whose body
 * is the result's JSON, sent as `application/json` (a string result too), with no charset added.
 */
export function writeUrlResult(res: ServerResponse, requestId: string, payload: Buffer, allow: Record<string, string>): void {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return writeUrlError(res, requestId, 502, allow);
  }
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId, ...allow };
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    headers['content-type'] ??= 'application/json';
    const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
    res.writeHead(r.statusCode, headers);
    res.end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...allow });
  res.end(typeof result === 'string' ? result : payload);
}
