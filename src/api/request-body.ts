/** Request bodies off node:http, with one limit for every AWS route. */
import type { IncomingMessage } from 'node:http';
import { Errors } from '../wire/errors.js';

export const BODY_LIMIT = 80 * 1024 * 1024;

export const bodyTooLarge = () => Errors.requestTooLarge(BODY_LIMIT, 'this');
export const malformedRequest = () => Errors.invalidRequestContent('Malformed request.');

const EMPTY = Buffer.alloc(0);

/** Only a content type, a transfer encoding or a non-zero length announces a body. */
function hasBody(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['content-type'] !== undefined || headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads the whole body, or rejects with bodyTooLarge (announced or reached: reading stops there)
 * or malformedRequest (the client went away or sent less than announced). After a rejection the
 * rest of the body may be unread, so the answer must close the connection.
 */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  if (!hasBody(req.headers)) return Promise.resolve(EMPTY);
  const announced = Number(req.headers['content-length']);
  if (announced > limit) return Promise.reject(bodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (err: Error | undefined) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (err) reject(err);
      else if (!Number.isNaN(announced) && received !== announced) reject(malformedRequest());
      // A copy, never a view over the socket's read buffer, which the payload would keep alive.
      else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) settle(bodyTooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => settle(undefined);
    const onError = () => settle(malformedRequest());
    const onClose = () => settle(malformedRequest()); // closed before 'end': the client went away
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
