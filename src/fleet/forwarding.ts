/**
 * Invocations sent to another node of the fleet, and told apart when they come from one. The
 * forwarding node sends the client's request as it came (its signature still holds: same method,
 * path, Host and body) with one header more, `x-selfless-forwarded`: the request id and an HMAC of it
 * under a key derived from the master key, which every node of a fleet shares. A node that checks
 * it runs the request under that request id and never forwards it again; the answer goes back to the
 * client as that node gave it (status, headers, body), its body relayed as it arrives, so a streamed
 * answer (InvokeWithResponseStream) reaches the client event by event (./relayed-events.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import https from 'node:https';
import type { NodeRecord } from '../domain/fleet.js';
import { Errors } from '../wire/errors.js';
import { EVENT_STREAM_CONTENT_TYPE } from '../wire/eventstream.js';
import { relayEvents } from './relayed-events.js';

export const FORWARDED_HEADER = 'x-selfless-forwarded';
/** On a relayed answer: the node that ran the invocation. */
export const FORWARDED_TO_HEADER = 'x-selfless-forwarded-to';

/** What an operation handler returns to have the router send its request to another node. */
export class ForwardTo {
  constructor(readonly node: NodeRecord) {}
}

export interface ForwardedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RelayedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The answer's body as the node sends it; fails if the node goes away mid-answer. */
  body: Readable;
}

/** Headers of one connection, not of the message: never passed along. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade', 'proxy-connection', 'te', 'trailer', FORWARDED_HEADER]);

export class Forwarding {
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly key: Buffer) {}

  /** The request id a peer forwarded this request under; undefined when the header is absent or not a peer's. */
  trusted(header: string | string[] | undefined): string | undefined {
    if (typeof header !== 'string') return undefined;
    const dot = header.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const id = header.slice(0, dot);
    const mac = Buffer.from(header.slice(dot + 1), 'base64url');
    const expected = this.mac(id);
    return mac.length === expected.length && timingSafeEqual(mac, expected) ? id : undefined;
  }

  /**
   * Sends the request to `node` under `requestId` and resolves with the answer's head; its body
   * follows. A node that dies or cannot be reached before answering is a ServiceException.
   */
  send(node: NodeRecord, request: ForwardedRequest, requestId: string): Promise<RelayedResponse> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) headers[name] = value;
    // A client on HTTP/2 signed its :authority as the host.
    const authority = request.headers[':authority'];
    if (headers['host'] === undefined && typeof authority === 'string') headers['host'] = authority;
    headers['content-length'] = String(request.body.length);
    headers[FORWARDED_HEADER] = `${requestId}.${this.mac(requestId).toString('base64url')}`;
    const url = new URL(`${node.advertise}${request.url}`);
    const lib = url.protocol === 'https:' ? https : http;
    const lost = (err: Error) =>
      Errors.service(`The invocation was sent to node ${node.id} (${node.advertise}) of the fleet, which did not answer: ${err.message}. It may have run there.`);
    return new Promise<RelayedResponse>((resolve, reject) => {
      const req = lib.request(url, { method: request.method, headers, agent: url.protocol === 'https:' ? this.agents.https : this.agents.http }, (res) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        // An answer of known length keeps it; a streamed one is chunked again on the way out.
        if (res.headers['content-length'] !== undefined) out['content-length'] = res.headers['content-length'];
        // A node gone mid-answer: the body ends in an error, never as if it were complete.
        res.on('aborted', () => res.destroy(lost(new Error('the connection closed mid-answer'))));
        // A streamed invoke's events go on whole: one cut off still ends with InvokeComplete and the error.
        const events = res.statusCode === 200 && res.headers['content-type'] === EVENT_STREAM_CONTENT_TYPE;
        resolve({ status: res.statusCode ?? 502, headers: out, body: events ? relayEvents(res, 'ServiceException', (err) => lost(err).message) : res });
      });
      req.on('error', (err) => reject(lost(err)));
      req.end(request.body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private mac(requestId: string): Buffer {
    return createHmac('sha256', this.key).update(requestId).digest();
  }
}
