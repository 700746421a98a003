/**
 * The one place an AWS API answer goes on the wire, whatever its protocol: the request id, a
 * default content type, `charset=utf-8` on JSON text, the length, and no body headers on a 204
 * (the headers, order and values fastify sent before the router replaced it).
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResponseParts } from '../wire/protocols/protocol.js';

export interface WireResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer | string;
}

export function renderResponse(requestId: string, parts: ResponseParts & { body: Buffer | string | undefined }): WireResponse {
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
  // Not on a HEAD answer: its content type is the resource's own (an S3 object's), not this body's.
  else if (body !== '' && isJsonWithoutCharset(type)) headers['content-type'] = `${type}; charset=utf-8`;
  // A HEAD answer (S3's HeadObject) states the length of the body it leaves out.
  if (body !== '' || headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return { status: parts.status, headers, body };
}

// Answers carry a handful of content types: each is looked at once.
const jsonWithoutCharset = new Map<string, boolean>();

function isJsonWithoutCharset(type: string): boolean {
  let r = jsonWithoutCharset.get(type);
  if (r === undefined) {
    const [media, ...params] = type.toLowerCase().split(';');
    r = media!.includes('json') && !params.some((p) => p.trim().startsWith('charset='));
    if (jsonWithoutCharset.size >= 100) jsonWithoutCharset.clear();
    jsonWithoutCharset.set(type, r);
  }
  return r;
}

/** Writes the answer in one go; `close` when the connection cannot carry another request. */
export function send(res: ServerResponse, requestId: string, parts: ResponseParts, close: boolean): void {
  if (res.destroyed) {
    if (parts.body instanceof Readable) parts.body.destroy();
    return; // the client went away
  }
  if (parts.body instanceof Readable) return sendStream(res, requestId, parts as ResponseParts & { body: Readable }, close);
  const wire = renderResponse(requestId, parts as ResponseParts & { body: Buffer | string | undefined });
  res.writeHead(wire.status, close && !isHttp2(res) ? { connection: 'close', ...wire.headers } : wire.headers);
  res.end(wire.body);
}

/** HTTP/2 has no Connection header (the stream ends; the session goes on). */
const isHttp2 = (res: ServerResponse): boolean => 'stream' in res;

/** A streamed answer's headers: lower-case names, the request id, a default content type (its length only if the protocol gave it). */
export function streamHeaders(requestId: string, parts: ResponseParts): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in parts.headers) headers[name.toLowerCase()] = parts.headers[name]!;
  headers['x-amzn-requestid'] = requestId;
  headers['content-type'] ??= 'application/octet-stream';
  return headers;
}

/** A streamed body: headers first (the protocol gave the length), then the bytes as they are read. */
function sendStream(res: ServerResponse, requestId: string, parts: ResponseParts & { body: Readable }, close: boolean): void {
  const headers = streamHeaders(requestId, parts);
  res.writeHead(parts.status, close && !isHttp2(res) ? { connection: 'close', ...headers } : headers);
  // A read that fails halfway cannot change the status any more: the connection is cut instead.
  pipeline(parts.body, res).catch(() => res.destroy());
}
