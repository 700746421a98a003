/**
 * The lean lane of the API port: plain HTTP/1.1 requests of the common kind (a head, a Content-Length
 * body, keep-alive), to the AWS APIs or a front door, are parsed and answered here without node:http's
 * per-request objects, which cost more than the DynamoDB or Invoke call itself (FACTS.md). Anything
 * else, and every request after it on the same connection, goes to node:http unchanged: chunked or
 * expected bodies, upgrades, HEAD, duplicate or folded headers, HTTP/1.0, a head over node's limit, and
 * any request `route` does not claim (S3, custom domain names, Selfless's own routes).
 *
 * A connection is in one state at a time: reading a head, reading a body, answering (the next
 * request waits: answers go out in order), handed on, or closed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Exchange } from './exchange.js';
import { LaneExchange, type LaneHead, type LaneLink } from './lane-exchange.js';

export type { LaneHead } from './lane-exchange.js';

/** node:http's default limit on a request's head; a longer one goes there to be refused as it refuses it. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Larger bodies go to node:http, read as a stream with the router's own limit. */
export const LANE_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface LaneOptions {
  /** What answers the request, if this lane does; undefined hands the connection to node:http from it on. */
  route(head: LaneHead): ((exchange: Exchange) => void) | undefined;
  /** Gives the connection to node:http, the unread bytes (this request's head on) pushed back first. */
  handOff(socket: Socket, unread: Buffer): void;
  /** An idle connection's lifetime, as node:http's keepAliveTimeout. */
  keepAliveMs: number;
}

type State =
  | { kind: 'head' }
  | { kind: 'body'; head: LaneHead; length: number; serve: (exchange: Exchange) => void }
  | { kind: 'answering' }
  | { kind: 'handed-off' }
  | { kind: 'closed' };

/** Lane connections, to close them at shutdown: idle ones at once, busy ones after their answer. */
export class LaneConnections {
  private readonly open = new Set<LaneConnection>();
  closing = false;

  add(connection: LaneConnection): void {
    this.open.add(connection);
  }

  remove(connection: LaneConnection): void {
    this.open.delete(connection);
  }

  closeWhenIdle(): void {
    this.closing = true;
    for (const connection of this.open) connection.closeIfIdle();
  }
}

export class LaneConnection implements LaneLink {
  private buf: Buffer;
  private state: State = { kind: 'head' };
  /** A body's chunks as they come, joined once it is whole: not copied again with every chunk. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  private readonly onData = (chunk: Buffer) => {
    const s = this.state;
    if (s.kind === 'body') {
      this.parts.push(chunk);
      this.partBytes += chunk.length;
      if (this.buf.length + this.partBytes < s.length) return;
      this.buf = Buffer.concat([this.buf, ...this.parts]);
      this.parts = [];
      this.partBytes = 0;
    } else {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      // A client sending on while its answer is pending waits: what it sends is held, but never without bound.
      if (s.kind === 'answering' && this.buf.length > MAX_HEAD_BYTES + LANE_MAX_BODY_BYTES) this.socket.pause();
    }
    this.pump();
  };
  private readonly onTimeout = () => {
    if (this.state.kind === 'head' || this.state.kind === 'body') this.socket.destroy();
  };

  constructor(
    private readonly socket: Socket,
    first: Buffer,
    private readonly opts: LaneOptions,
    private readonly connections: LaneConnections,
  ) {
    this.buf = first;
    connections.add(this);
    socket.setTimeout(opts.keepAliveMs);
    socket.on('timeout', this.onTimeout);
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      if (this.state.kind !== 'handed-off') this.state = { kind: 'closed' };
      connections.remove(this);
    });
    this.pump();
  }

  closeIfIdle(): void {
    if (this.state.kind === 'head' && this.buf.length === 0) this.socket.destroySoon();
  }

  private pump(): void {
    for (;;) {
      const s = this.state;
      if (s.kind === 'head') {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buf.length > MAX_HEAD_BYTES) return this.handOff();
          return;
        }
        const head = end > MAX_HEAD_BYTES ? undefined : parseHead(this.buf.toString('latin1', 0, end));
        const length = head === undefined ? undefined : laneLength(head);
        const serve = length === undefined ? undefined : this.opts.route(head!);
        if (serve === undefined) return this.handOff();
        this.buf = this.buf.subarray(end + 4);
        this.state = { kind: 'body', head: head!, length: length!, serve };
        continue;
      }
      if (s.kind === 'body') {
        if (this.buf.length < s.length) return;
        // A copy, never a view over the socket's read buffer, which the payload would keep alive.
        const body = s.length === 0 ? EMPTY : Buffer.from(this.buf.subarray(0, s.length));
        this.buf = this.buf.subarray(s.length);
        if (this.buf.length === 0) this.buf = EMPTY;
        this.state = { kind: 'answering' };
        s.serve(new LaneExchange(this, s.head, body));
        return;
      }
      return;
    }
  }

  /** node:http takes the connection from this request on. */
  private handOff(): void {
    this.state = { kind: 'handed-off' };
    this.connections.remove(this);
    this.socket.off('data', this.onData);
    this.socket.off('timeout', this.onTimeout);
    this.socket.setTimeout(0);
    const unread = this.buf;
    this.buf = EMPTY;
    this.opts.handOff(this.socket, unread);
  }

  get gone(): boolean {
    return this.socket.destroyed || this.state.kind === 'closed';
  }

  /** Writes bytes of the answer; false when the socket's buffer is full. */
  write(data: Buffer | string): boolean {
    return this.socket.write(data);
  }

  onDrain(fn: () => void): void {
    this.socket.once('drain', fn);
  }

  /** Calls fn if the connection closes; returns what stops that. */
  onClose(fn: () => void): () => void {
    this.socket.once('close', fn);
    return () => this.socket.off('close', fn);
  }

  get keepAliveMs(): number {
    return this.opts.keepAliveMs;
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get localPort(): number | undefined {
    return this.socket.localPort;
  }

  /** The answer is out: the connection reads the next request, or closes. */
  answered(close: boolean): void {
    if (this.state.kind !== 'answering') return;
    if (close || this.connections.closing) {
      this.state = { kind: 'closed' };
      this.socket.end();
      return;
    }
    this.state = { kind: 'head' };
    if (this.socket.isPaused()) this.socket.resume();
    if (this.buf.length > 0) setImmediate(() => this.pump());
  }

  abort(): void {
    this.state = { kind: 'closed' };
    this.socket.destroy();
  }
}

const EMPTY = Buffer.alloc(0);
/**
 * A head this lane reads, checked in one pass: an HTTP/1.1 request line, then header lines of a token
 * name, a colon and a value of visible latin1 text. Folded lines, spaces before a colon and control
 * characters fail it (and go to node:http, which knows how each is refused).
 */
const HEAD = /^[A-Z]{1,20} \/[^ \x00-\x1f\x7f]* HTTP\/1\.1(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;

/** The head, or undefined for anything this lane leaves to node:http. */
function parseHead(text: string): LaneHead | undefined {
  if (!HEAD.test(text)) return undefined;
  const space = text.indexOf(' ');
  const method = text.slice(0, space);
  if (method === 'HEAD' || method === 'CONNECT') return undefined;
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const url = text.slice(space + 1, eol - ' HTTP/1.1'.length);
  const headers: IncomingHttpHeaders = {};
  while (eol < text.length) {
    const at = eol + 2;
    eol = text.indexOf('\r\n', at);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', at);
    const name = text.slice(at, colon).toLowerCase();
    // Repeated fields: node:http knows how each is joined or refused.
    if (headers[name] !== undefined) return undefined;
    headers[name] = text.slice(colon + 1, eol).trim();
  }
  return { method, url, headers, text };
}

/** The body's length when this lane can read it, else undefined. */
function laneLength(head: LaneHead): number | undefined {
  const h = head.headers;
  if (h['transfer-encoding'] !== undefined || h.expect !== undefined || h.upgrade !== undefined || h.host === undefined) return undefined;
  const connection = h.connection;
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return undefined;
  const cl = h['content-length'];
  if (cl === undefined) return 0;
  if (!/^\d{1,10}$/.test(cl)) return undefined;
  const length = Number(cl);
  return length <= LANE_MAX_BODY_BYTES ? length : undefined;
}
