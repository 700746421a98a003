/**
 * The answers of the lean HTTP/1.1 lane (src/api/http1-lane.ts): one request's Exchange, written on
 * the connection as node:http writes a keep-alive HTTP/1.1 answer (status line, headers, Date,
 * Connection and Keep-Alive; a body of known length in the same write, a streamed one in chunks).
 */
import { STATUS_CODES, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ResponseParts } from '../wire/protocols/protocol.js';
import { HOP_BY_HOP, noBody, type Exchange } from './exchange.js';
import { bodyTooLarge } from './request-body.js';
import { renderResponse, streamHeaders } from './respond.js';

export interface LaneHead {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The head as sent, from its request line to the last header line (rawHeaders are read from it when asked). */
  text: string;
}

/** What an exchange needs of the connection it answers on. */
export interface LaneLink {
  readonly gone: boolean;
  readonly keepAliveMs: number;
  readonly remoteAddress: string | undefined;
  readonly localPort: number | undefined;
  /** Writes bytes of the answer; false when the socket's buffer is full. */
  write(data: Buffer | string): boolean;
  onDrain(fn: () => void): void;
  /** Calls fn if the connection closes; returns what stops that. */
  onClose(fn: () => void): () => void;
  /** The answer is out: the connection reads the next request, or closes. */
  answered(close: boolean): void;
  abort(): void;
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

export class LaneExchange implements Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersion = '1.1';
  readonly encrypted = false;
  private done = false;

  constructor(
    private readonly connection: LaneLink,
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
