/**
 * One request and its answer, whichever HTTP stack carried them: node:http (HTTP/2, TLS, and every
 * request the lean lane hands on) or the lean HTTP/1.1 lane (src/api/http1-lane.ts). The router's
 * pipeline sees only this.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResponseParts } from '../wire/protocols/protocol.js';
import { readBody } from './request-body.js';
import { send } from './respond.js';

export interface Exchange {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** The whole body, or readBody's errors: after one, the answer must close the connection. */
  body(): Promise<Buffer>;
  /** The client went away: nothing can be answered. */
  readonly gone: boolean;
  /** The answer, in one go; `close` when the connection cannot carry another request. */
  send(requestId: string, parts: ResponseParts, close: boolean): void;
  /** An answer relayed as it arrives (a peer node's), its hop-by-hop headers left out. */
  relay(status: number, headers: IncomingHttpHeaders, body: Readable, close: boolean): Promise<void>;
  /** Cuts the connection: the answer cannot be given. */
  abort(): void;
}

/** Hop-by-hop headers: each connection's own, never passed on by a relay. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'te', 'trailer', 'upgrade']);

export function nodeExchange(req: IncomingMessage, res: ServerResponse): Exchange {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    body: () => readBody(req),
    get gone() {
      return res.destroyed;
    },
    send: (requestId, parts, close) => send(res, requestId, parts, close),
    async relay(status, headers, body, close) {
      if (res.destroyed) return void body.destroy();
      // HTTP/2 has no Connection header.
      res.writeHead(status, close && !('stream' in res) ? { ...headers, connection: 'close' } : headers);
      // The node gone mid-answer: the client's answer breaks off too (pipeline destroys both).
      await pipeline(body, res).catch(() => undefined);
    },
    abort: () => res.destroy(),
  };
}
