/**
 * A Lambda proxy integration's result as the HTTP answer: `statusCode`, `headers`, `multiValueHeaders`,
 * `body` (a string), `isBase64Encoded`, and nothing else; anything API Gateway cannot map (a missing
 * `statusCode` too) is its 502.
 */
import { z } from 'zod';
import { Gateway } from './responses.js';
import { isBinaryType } from './request.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const ProxyResult = z.strictObject({
  statusCode: z.union([z.number().int(), z.string().regex(/^\d{3}$/)]),
  headers: z.record(z.string(), Scalar).nullable().optional(),
  multiValueHeaders: z.record(z.string(), z.array(Scalar)).nullable().optional(),
  body: z.string().nullable().optional(),
  isBase64Encoded: z.boolean().optional(),
});

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * A base64 body goes out as bytes when the client's Accept (or the answer's Content-Type) is one of
 * the API's binary media types; otherwise, as on AWS, the base64 text itself is the body.
 */
export function proxyAnswer(payload: Buffer, accept: string | undefined, binaryMediaTypes: readonly string[]): HttpAnswer {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    throw Gateway.badGateway();
  }
  const parsed = ProxyResult.safeParse(raw);
  if (!parsed.success) throw Gateway.badGateway();
  const r = parsed.data;
  const status = Number(r.statusCode);
  if (status < 100 || status > 599) throw Gateway.badGateway();
  const headers: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  const put = (name: string, values: string[]) => {
    const lower = name.toLowerCase();
    // Lengths and encodings are the server's to set for the body it writes.
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') return;
    const key = names.get(lower) ?? name;
    names.set(lower, key);
    const seen = headers[key];
    headers[key] = seen === undefined ? values : [...(Array.isArray(seen) ? seen : [seen]), ...values];
  };
  // multiValueHeaders first, then headers: API Gateway appends both, as it does.
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) put(k, v.map(String));
  for (const [k, v] of Object.entries(r.headers ?? {})) put(k, [String(v)]);
  for (const [k, v] of Object.entries(headers)) if (Array.isArray(v) && v.length === 1) headers[k] = v[0]!;
  if (!names.has('content-type')) headers['Content-Type'] = 'application/json';
  const text = r.body ?? '';
  const type = headers[names.get('content-type') ?? 'Content-Type'];
  const decode = r.isBase64Encoded === true && (isBinaryType(accept, binaryMediaTypes) || isBinaryType(String(type), binaryMediaTypes));
  return { status, headers, body: decode ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}
