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
import { STATUS_CODES, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { renderResponse, streamHeaders } from './respond.js';
import { HOP_BY_HOP, noBody, type Exchange } from './exchange.js';
import { bodyTooLarge } from './request-body.js';
import type { ResponseParts } from '../wire/protocols/protocol.js';

/** node:http's default limit on a request's head; a longer one goes there to be refused as it refuses it. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Larger bodies go to node:http, read as a stream with the router's own limit. */
export const LANE_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface LaneHead {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The head as sent, from its request line to the last header line (rawHeaders are read from it when asked). */
  text: string;
}

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

export class LaneConnection {
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

// The Date header, as node:http writes it: made at most once a second.
let dateSecond = 0;
let dateText = '';
function date(): string {
  const now = Date.now();
  const second = now - (now % 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second).toUTCString();
  }
  return dateText;
}

// node:http's rule: header values are latin1 text without control characters.
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const NOT_ASCII = /[\x80-\xff]/;
// And its rule for names: an HTTP token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The status line and headers as node:http writes them for a keep-alive HTTP/1.1 connection (latin1 text). */
function head(status: number, headers: OutgoingHttpHeaders, close: boolean, keepAliveMs: number, chunked: boolean, dated = false): string {
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    for (const v of Array.isArray(value) ? value : [value]) {
      const s = String(v);
      if (INVALID_VALUE.test(s)) throw new TypeError(`invalid character in header ${name}`);
      text += `${name}: ${s}\r\n`;
    }
  }
  if (!dated) text += `Date: ${date()}\r\n`;
  text += close ? 'Connection: close\r\n' : `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n`;
  if (chunked) text += 'Transfer-Encoding: chunked\r\n';
  return text + '\r\n';
}

class LaneExchange implements Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion = '1.1';
  readonly encrypted = false;
  private done = false;

  constructor(
    private readonly connection: LaneConnection,
    private readonly laneHead: LaneHead,
    private readonly payload: Buffer,
  ) {
    this.method = laneHead.method;
    this.url = laneHead.url;
    this.headers = laneHead.headers;
  }

  get rawHeaders(): readonly string[] {
    return rawHeaders(this.laneHead.text);
  }

  get remoteAddress(): string | undefined {
    return this.connection.remoteAddress;
  }

  get localPort(): number | undefined {
    return this.connection.localPort;
  }

  body(limit?: number): Promise<Buffer> {
    // Read whole before the exchange began: the lane takes no body over its own limit.
    return limit !== undefined && this.payload.length > limit ? Promise.reject(bodyTooLarge()) : Promise.resolve(this.payload);
  }

  skipBody(): void {
    // Read whole before the exchange began.
  }

  get gone(): boolean {
    return this.connection.gone;
  }

  get answered(): boolean {
    return this.done;
  }

  send(requestId: string, parts: ResponseParts, close: boolean): void {
    if (this.done) return;
    if (this.connection.gone) {
      if (isReadable(parts.body)) parts.body.destroy();
      return;
    }
    if (isReadable(parts.body)) {
      void this.stream(parts.status, streamHeaders(requestId, parts), parts.body, close);
      return;
    }
    const wire = renderResponse(requestId, parts as ResponseParts & { body: Buffer | string | undefined });
    this.write(wire.status, head(wire.status, wire.headers, close, this.keepAliveMs, false), wire.body, close);
  }

  reply(status: number, headers: OutgoingHttpHeaders, body: Buffer | string | undefined, close: boolean): void {
    if (this.done || this.connection.gone) return;
    const content = noBody(status) || body === undefined ? '' : body;
    // The framing is this connection's own: a Connection or Transfer-Encoding given is left out.
    const kept: OutgoingHttpHeaders = {};
    let length = false;
    let dated = false;
    for (const name in headers) {
      if (headers[name] === undefined) continue;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      if (lower === 'content-length') length = true;
      else if (lower === 'date') dated = true;
      kept[name] = headers[name];
    }
    // As node:http's end(): the length of the body given whole.
    if (!length && !noBody(status)) kept['Content-Length'] = Buffer.byteLength(content);
    this.write(status, head(status, kept, close, this.keepAliveMs, false, dated), content, close);
  }

  /** The head (made first: a header it cannot carry throws before anything is written) and the body, in one write. */
  private write(status: number, text: string, body: Buffer | string, close: boolean): void {
    this.done = true;
    if (noBody(status)) this.connection.write(Buffer.from(text, 'latin1'));
    // The common case in one string: an ASCII head needs no encoding of its own.
    else if (typeof body === 'string' && !NOT_ASCII.test(text)) this.connection.write(text + body);
    else this.connection.write(Buffer.concat([Buffer.from(text, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]));
    this.connection.answered(close);
  }

  async relay(status: number, headers: IncomingHttpHeaders | OutgoingHttpHeaders, body: Readable, close: boolean): Promise<void> {
    if (this.done) return void body.destroy();
    const kept: OutgoingHttpHeaders = {};
    for (const name in headers) {
      const lower = name.toLowerCase();
      if (!HOP_BY_HOP.has(lower) && lower !== 'date' && headers[name] !== undefined) kept[name] = headers[name];
    }
    await this.stream(status, kept, body, close);
  }

  /** Headers, then the body as it is read: framed in chunks unless its length is known. */
  private stream(status: number, headers: OutgoingHttpHeaders, body: Readable, close: boolean): Promise<void> {
    const chunked = !noBody(status) && !hasHeader(headers, 'content-length');
    this.connection.write(Buffer.from(head(status, headers, close, this.keepAliveMs, chunked), 'latin1'));
    this.done = true;
    return new Promise<void>((resolve) => {
      let settled = false;
      const fail = () => {
        if (settled) return;
        settled = true;
        body.destroy();
        this.connection.abort();
        resolve();
      };
      const unwatch = this.connection.onClose(fail);
      body.on('data', (chunk: Buffer | string) => {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (data.length === 0) return;
        const ok = this.connection.write(chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]) : data);
        if (!ok) {
          body.pause();
          this.connection.onDrain(() => body.resume());
        }
      });
      body.once('error', fail);
      body.once('end', () => {
        if (settled) return;
        settled = true;
        unwatch();
        if (chunked) this.connection.write(LAST_CHUNK);
        this.connection.answered(close);
        resolve();
      });
      // A client gone mid-answer: the body is not read any further.
      if (this.connection.gone) fail();
    });
  }

  abort(): void {
    this.done = true;
    this.connection.abort();
  }

  private get keepAliveMs(): number {
    return this.connection.keepAliveMs;
  }
}

/** Whether headers name a field, in any case. */
function hasHeader(headers: OutgoingHttpHeaders, lower: string): boolean {
  for (const name in headers) if (headers[name] !== undefined && name.toLowerCase() === lower) return true;
  return false;
}

/** node:http's rawHeaders of a head this lane read: each name as sent, then its value. */
function rawHeaders(text: string): string[] {
  const out: string[] = [];
  let eol = text.indexOf('\r\n');
  while (eol >= 0 && eol < text.length) {
    const at = eol + 2;
    eol = text.indexOf('\r\n', at);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', at);
    out.push(text.slice(at, colon), text.slice(colon + 1, eol).trim());
  }
  return out;
}

const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

const isReadable = (body: unknown): body is Readable => typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
