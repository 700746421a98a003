/**
 * One request and its answer, whichever HTTP stack carried them: node:http (HTTP/2, TLS, and every
 * request the lean lane hands on) or the lean HTTP/1.1 lane (src/api/http1-lane.ts). The router's
 * pipeline and the front doors (function URLs, API Gateway APIs) see only this.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
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
  /** Names as sent and their values, alternating, in the order sent (node:http's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  /** As node:http states it: `1.1`, `2.0`. */
  readonly httpVersion: string;
  /** The client's address, as the socket has it. */
  readonly remoteAddress: string | undefined;
  /** The port the request came in on. */
  readonly localPort: number | undefined;
  /** Whether the connection is TLS. */
  readonly encrypted: boolean;
  /**
   * The whole body, or readBody's errors (over `limit`, or cut short): after one, the answer must
   * close the connection.
   */
  body(limit?: number): Promise<Buffer>;
  /** Reads and drops a body the answer does not need, so the connection can carry the next request. */
  skipBody(): void;
  /** The client went away: nothing can be answered. */
  readonly gone: boolean;
  /** Whether the answer has begun: another can only end it. */
  readonly answered: boolean;
  /** An AWS API's answer, in one go; `close` when the connection cannot carry another request. */
  send(requestId: string, parts: ResponseParts, close: boolean): void;
  /**
   * An answer as its maker wrote it (a front door's), in one go: headers as given, the length added
   * when they have none. After an answer has begun, it only ends that one.
   */
  reply(status: number, headers: OutgoingHttpHeaders, body: Buffer | string | undefined, close: boolean): void;
  /** An answer relayed as it arrives (a peer node's, a streamed function's), its hop-by-hop headers left out. */
  relay(status: number, headers: IncomingHttpHeaders | OutgoingHttpHeaders, body: Readable, close: boolean): Promise<void>;
  /** Cuts the connection: the answer cannot be given. */
  abort(): void;
}

/** Hop-by-hop headers: each connection's own, never passed on by a relay. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'te', 'trailer', 'upgrade']);

function withoutHopByHop(headers: IncomingHttpHeaders | OutgoingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const name in headers) if (headers[name] !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) kept[name] = headers[name];
  return kept;
}

/** Statuses whose answers have no body. */
export const noBody = (status: number): boolean => status === 204 || status === 304 || status < 200;

/** A request and answer of node:http (HTTP/1 or HTTP/2). */
class NodeExchange implements Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = req.headers;
  }

  get rawHeaders(): readonly string[] {
    return this.req.rawHeaders;
  }

  get httpVersion(): string {
    return this.req.httpVersion;
  }

  get remoteAddress(): string | undefined {
    return this.req.socket.remoteAddress;
  }

  get localPort(): number | undefined {
    return this.req.socket.localPort;
  }

  get encrypted(): boolean {
    return 'encrypted' in this.req.socket;
  }

  body(limit?: number): Promise<Buffer> {
    return readBody(this.req, limit);
  }

  skipBody(): void {
    this.req.resume();
  }

  get gone(): boolean {
    return this.res.destroyed;
  }

  get answered(): boolean {
    return this.res.headersSent;
  }

  send(requestId: string, parts: ResponseParts, close: boolean): void {
    send(this.res, requestId, parts, close);
  }

  reply(status: number, headers: OutgoingHttpHeaders, body: Buffer | string | undefined, close: boolean): void {
    const res = this.res;
    if (res.destroyed) return;
    if (res.headersSent) return void res.end();
    if (close) res.shouldKeepAlive = false;
    // The framing is this connection's own (as on the lane): a Connection or Transfer-Encoding given is left out.
    res.writeHead(status, withoutHopByHop(headers));
    res.end(noBody(status) ? undefined : body);
  }

  async relay(status: number, headers: IncomingHttpHeaders | OutgoingHttpHeaders, body: Readable, close: boolean): Promise<void> {
    const res = this.res;
    if (res.destroyed) return void body.destroy();
    if (close) res.shouldKeepAlive = false;
    res.writeHead(status, withoutHopByHop(headers));
    // The source gone mid-answer: the client's answer breaks off too (pipeline destroys both).
    await pipeline(body, res).catch(() => undefined);
  }

  abort(): void {
    this.res.destroy();
  }
}

export function nodeExchange(req: IncomingMessage, res: ServerResponse): Exchange {
  return new NodeExchange(req, res);
}
