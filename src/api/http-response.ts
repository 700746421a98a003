/**
 * The one place an AWS API answer becomes what goes on the wire, whichever path served the request
 * (fastify or the direct Invoke route): the same header names, order and values either way.
 */
import type { Logger } from '../lib/logger.js';
import { AwsError, Errors } from '../wire/errors.js';
import { encodeJsonError } from '../wire/json-protocol.js';
import type { ServiceModel } from '../wire/model.js';
import { encodeRestJsonError, type HttpResponseParts } from '../wire/rest-json.js';

export interface WireResponse {
  status: number;
  /** Lower-case names, as fastify has always sent them. */
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Renders an error as the protocol of the request says (REST-JSON, or JSON when X-Amz-Target is set). */
export type Fail = (err: unknown, model: ServiceModel, json: boolean) => HttpResponseParts;

export function failWith(logger: Logger): Fail {
  return (err, model, json) => {
    const aws = err instanceof AwsError ? err : undefined;
    if (!aws) logger.error('unexpected error', { error: (err as Error)?.stack ?? String(err) });
    const e = aws ?? Errors.service();
    return json ? encodeJsonError(model, e) : encodeRestJsonError(model, e);
  };
}

export const isJsonProtocol = (headers: Record<string, string | string[] | undefined>): boolean => typeof headers['x-amz-target'] === 'string';

/**
 * What fastify's Reply made of our parts, so that answers did not change when Invoke left fastify:
 * a default content type, `charset=utf-8` on JSON text, the length, and no body headers on a 204.
 */
export function renderResponse(requestId: string, parts: HttpResponseParts): WireResponse {
  const headers: Record<string, string> = {};
  for (const name in parts.headers) headers[name.toLowerCase()] = parts.headers[name]!;
  headers['x-amzn-requestid'] = requestId;
  const body = parts.body ?? '';
  if (parts.status === 204) {
    delete headers['content-type'];
    delete headers['content-length'];
    return { status: 204, headers, body: '' };
  }
  const type = headers['content-type'];
  if (typeof body !== 'string') headers['content-type'] = type ?? 'application/octet-stream';
  else if (type === undefined) headers['content-type'] = 'text/plain; charset=utf-8';
  else if (isJsonWithoutCharset(type)) headers['content-type'] = `${type}; charset=utf-8`;
  headers['content-length'] = String(Buffer.byteLength(body));
  return { status: parts.status, headers, body };
}

function isJsonWithoutCharset(type: string): boolean {
  const [media, ...params] = type.toLowerCase().split(';');
  return media!.includes('json') && !params.some((p) => p.trim().startsWith('charset='));
}
