/**
 * A Lambda proxy integration's result as an HTTP API answers it. Format 2.0: an object with
 * `statusCode` is a full response, anything else valid JSON is a 200 `application/json` whose body
 * is the result. Format 1.0: `statusCode` is required; `multiValueHeaders` join `headers`. What cannot
 * be read is API Gateway's 500.
 */
import type { Exchange } from '../../../api/exchange.js';
import { z } from 'zod';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

/** API Gateway's own answers: `{"message": "..."}`. */
export const apiError = (status: number, message: string, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ message }),
});

export const Answers = {
  notFound: () => apiError(404, 'Not Found'),
  unauthorized: (headers: Record<string, string> = {}) => apiError(401, 'Unauthorized', headers),
  forbidden: (headers: Record<string, string> = {}) => apiError(403, 'Forbidden', headers),
  tooLarge: () => apiError(413, 'Request Entity Too Large'),
  throttled: () => apiError(429, 'Too Many Requests'),
  internal: () => apiError(500, 'Internal Server Error'),
  /** The integration did not answer within its timeout: HTTP APIs answer 503. */
  timedOut: () => apiError(503, 'Service Unavailable'),
};

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const ProxyResult = z.looseObject({
  statusCode: z.union([z.number().int(), z.string().regex(/^\d{3}$/).transform(Number)]),
  headers: z.record(z.string(), Scalar).nullish(),
  multiValueHeaders: z.record(z.string(), z.array(Scalar)).nullish(),
  cookies: z.array(z.string()).nullish(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});

type ProxyResultValue = z.infer<typeof ProxyResult>;

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * A result in the shape nearly every handler returns (an integer status, string headers and body), taken
 * as it is; anything else goes through the schema, which converts what it allows and refuses the rest.
 * The same answer either way: this only spares the schema's cost on every request.
 */
function readProxyResult(v: unknown): ProxyResultValue | undefined {
  const r = v as Record<string, unknown>;
  if (
    Number.isInteger(r['statusCode']) &&
    (r['headers'] == null || isStringRecord(r['headers'])) &&
    r['multiValueHeaders'] == null &&
    (r['cookies'] == null || (Array.isArray(r['cookies']) && r['cookies'].every((c) => typeof c === 'string'))) &&
    (r['body'] == null || typeof r['body'] === 'string') &&
    (r['isBase64Encoded'] == null || typeof r['isBase64Encoded'] === 'boolean')
  ) {
    return r as ProxyResultValue;
  }
  const parsed = ProxyResult.safeParse(v);
  return parsed.success ? parsed.data : undefined;
}

function parse(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function fromProxyResult(r: ProxyResultValue, multi: boolean): HttpAnswer | undefined {
  if (r.statusCode < 100 || r.statusCode > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  if (multi) for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k.toLowerCase()] = k.toLowerCase() === 'set-cookie' ? v : v.join(',');
  if (r.cookies?.length) headers['set-cookie'] = [...(Array.isArray(headers['set-cookie']) ? headers['set-cookie'] : []), ...r.cookies];
  const body = r.body == null ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  return { status: r.statusCode, headers, body };
}

export function mapResultV2(payload: Buffer): HttpAnswer {
  const parsed = parse(payload);
  if (!parsed.ok) return Answers.internal();
  const v = parsed.value;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'statusCode' in v) {
    const r = readProxyResult(v);
    const answer = r ? fromProxyResult(r, false) : undefined;
    if (!answer) return Answers.internal();
    answer.headers['content-type'] ??= 'application/json';
    return answer;
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof v === 'string' ? v : payload };
}

export function mapResultV1(payload: Buffer): HttpAnswer {
  const parsed = parse(payload);
  const r = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? readProxyResult(parsed.value) : undefined;
  const answer = r ? fromProxyResult(r, true) : undefined;
  if (!answer) return Answers.internal();
  answer.headers['content-type'] ??= 'application/json';
  return answer;
}

/** Writes the answer with `extra` headers; returns the body's length. `close`: the connection carries no other request. */
export function writeAnswer(ex: Exchange, a: HttpAnswer, extra: Record<string, string>, close: boolean): number {
  const length = Buffer.byteLength(a.body);
  ex.reply(a.status, Object.assign({}, a.headers, extra, { 'content-length': length }), a.body, close);
  return length;
}
