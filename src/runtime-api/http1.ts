/**
 * A lean, strict HTTP/1.1 server-side codec for the Runtime API: the invoke hot path, where
 * node:http's per-request objects cost several times the work (see FACTS.md). Bounded head and
 * body sizes, Content-Length and chunked bodies, keep-alive, one write per response.
 */
import type { Socket } from 'node:net';

export interface Http1Request {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Map<string, string>;
  body: Buffer;
  /** The body exceeded the limit and was not read; the connection closes after the answer. */
  oversized: boolean;
  /** Set when the body went to a BodyStream chunk by chunk instead of into `body`. */
  streamed?: boolean;
  /** Trailer fields of a chunked body (lower-cased names): a streamed response's error, for one. */
  trailers?: Map<string, string>;
}

/** Where a streamed body goes, chunk by chunk, as it arrives. */
export interface BodyStream {
  chunk(data: Buffer): void;
  /** The connection closed before the body ended. */
  abort(): void;
}

/** A streamed body may be large (Lambda streams up to 200 MB); bounded all the same. */
export const MAX_STREAMED_BODY_BYTES = 200 * 1024 * 1024;

export interface Http1Limits {
  maxHeadBytes: number;
  maxBodyBytes: number;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/**
 * Writes a whole response in one syscall (corked head and body); TCP_NODELAY is set per socket.
 * `before`: answers held back for this connection, which go out in the same write (see Http1Connection.pipelined).
 */
export function writeResponse(socket: Socket, status: number, extraHeaders: string, body: Buffer | string, close = false, before?: Buffer): void {
  const len = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const head = responseHead(status, extraHeaders, len, close);
  if (typeof body === 'string' && before === undefined) {
    socket.write(head + body);
  } else {
    socket.cork();
    if (before !== undefined) socket.write(before);
    socket.write(head);
    if (len > 0) socket.write(body);
    socket.uncork();
  }
  if (close) socket.end();
}

function responseHead(status: number, extraHeaders: string, contentLength: number, close: boolean): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Unknown'}\r\n` +
    extraHeaders +
    `Content-Length: ${contentLength}\r\n` +
    (close ? 'Connection: close\r\n\r\n' : '\r\n')
  );
}

/** A whole keep-alive response as bytes, for answers sent unchanged many times a second. */
export function encodeResponse(status: number, extraHeaders: string, body: string): Buffer {
  return Buffer.from(responseHead(status, extraHeaders, Buffer.byteLength(body), false) + body);
}

class ParseError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Phase =
  | { kind: 'head' }
  | { kind: 'body'; req: Http1Request; remaining: number; chunks: Buffer[] }
  | { kind: 'chunk-size'; req: Http1Request; chunks: Buffer[]; total: number; stream?: BodyStream }
  | { kind: 'chunk-data'; req: Http1Request; chunks: Buffer[]; total: number; remaining: number; stream?: BodyStream }
  | { kind: 'trailer'; req: Http1Request; chunks: Buffer[]; stream?: BodyStream }
  | { kind: 'waiting' }
  | { kind: 'closed' };

/**
 * Parses requests off one connection and hands each to `onRequest`; the next request is not parsed
 * until `done()` is called for the current one, so answers go out in order.
 */
export class Http1Connection {
  private buf: Buffer = Buffer.alloc(0);
  private phase: Phase = { kind: 'head' };

  constructor(
    private readonly socket: Socket,
    private readonly limits: Http1Limits,
    private readonly onRequest: (req: Http1Request, done: () => void) => void,
    /** Offered each chunked request once its head is read: a stream takes its body as it arrives. */
    private readonly streamBody?: (req: Http1Request) => BodyStream | undefined,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      const p = this.phase;
      if ((p.kind === 'chunk-size' || p.kind === 'chunk-data' || p.kind === 'trailer') && p.stream) p.stream.abort();
    });
  }

  /**
   * Whether the client already sent the whole head of its next request behind the one being
   * answered: it pipelines, so it does not wait for this answer before asking again, and the answer
   * may go out with the next one in one write.
   */
  pipelined(): boolean {
    return this.phase.kind === 'waiting' && this.buf.indexOf('\r\n\r\n') >= 0;
  }

  private pump(): void {
    try {
      while (this.step()) {
        /* keep parsing */
      }
    } catch (err) {
      const e = err instanceof ParseError ? err : new ParseError(400, 'Bad Request');
      const p = this.phase;
      if ((p.kind === 'chunk-size' || p.kind === 'chunk-data' || p.kind === 'trailer') && p.stream) p.stream.abort();
      this.phase = { kind: 'closed' };
      writeResponse(this.socket, e.status, 'Content-Type: application/json\r\n', JSON.stringify({ errorMessage: e.message, errorType: 'InvalidRequest' }), true);
    }
  }

  /** One parsing step; false when more bytes (or the handler's done()) are needed. */
  private step(): boolean {
    const p = this.phase;
    switch (p.kind) {
      case 'head': {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buf.length > this.limits.maxHeadBytes) throw new ParseError(431, 'Request header fields too large');
          return false;
        }
        if (end > this.limits.maxHeadBytes) throw new ParseError(431, 'Request header fields too large');
        const req = parseHead(this.buf.toString('latin1', 0, end));
        this.buf = this.buf.subarray(end + 4);
        const te = req.headers.get('transfer-encoding');
        if (te !== undefined) {
          if (te.toLowerCase() !== 'chunked') throw new ParseError(400, 'Unsupported transfer encoding');
          if (req.headers.has('content-length')) throw new ParseError(400, 'Both Content-Length and Transfer-Encoding');
          const stream = this.streamBody?.(req);
          if (stream) req.streamed = true;
          this.phase = { kind: 'chunk-size', req, chunks: [], total: 0, ...(stream ? { stream } : {}) };
          return true;
        }
        const cl = req.headers.get('content-length');
        const length = cl === undefined ? 0 : parseLength(cl);
        if (length > this.limits.maxBodyBytes) return this.oversize(req);
        this.phase = { kind: 'body', req, remaining: length, chunks: [] };
        return true;
      }
      case 'body': {
        if (p.remaining > 0) {
          if (this.buf.length === 0) return false;
          const take = Math.min(p.remaining, this.buf.length);
          p.chunks.push(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          p.remaining -= take;
          if (p.remaining > 0) return false;
        }
        p.req.body = p.chunks.length === 1 ? p.chunks[0]! : Buffer.concat(p.chunks);
        return this.dispatch(p.req);
      }
      case 'chunk-size': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) {
          if (this.buf.length > 1024) throw new ParseError(400, 'Malformed chunk size');
          return false;
        }
        const sizeText = this.buf.toString('latin1', 0, eol).split(';')[0]!.trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new ParseError(400, 'Malformed chunk size');
        const size = parseInt(sizeText, 16);
        this.buf = this.buf.subarray(eol + 2);
        if (size === 0) {
          this.phase = { kind: 'trailer', req: p.req, chunks: p.chunks, ...(p.stream ? { stream: p.stream } : {}) };
          return true;
        }
        if (p.total + size > (p.stream ? MAX_STREAMED_BODY_BYTES : this.limits.maxBodyBytes)) {
          p.stream?.abort();
          return this.oversize(p.req);
        }
        this.phase = { kind: 'chunk-data', req: p.req, chunks: p.chunks, total: p.total + size, remaining: size, ...(p.stream ? { stream: p.stream } : {}) };
        return true;
      }
      case 'chunk-data': {
        if (p.remaining > 0) {
          if (this.buf.length === 0) return false;
          const take = Math.min(p.remaining, this.buf.length);
          const piece = this.buf.subarray(0, take);
          if (p.stream) p.stream.chunk(piece);
          else p.chunks.push(piece);
          this.buf = this.buf.subarray(take);
          p.remaining -= take;
          if (p.remaining > 0) return false;
        }
        if (this.buf.length < 2) return false;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) throw new ParseError(400, 'Malformed chunk');
        this.buf = this.buf.subarray(2);
        this.phase = { kind: 'chunk-size', req: p.req, chunks: p.chunks, total: p.total, ...(p.stream ? { stream: p.stream } : {}) };
        return true;
      }
      case 'trailer': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) {
          if (this.buf.length > this.limits.maxHeadBytes) throw new ParseError(431, 'Trailer too large');
          return false;
        }
        const field = this.buf.toString('latin1', 0, eol);
        this.buf = this.buf.subarray(eol + 2);
        if (eol > 0) {
          const colon = field.indexOf(':');
          if (colon <= 0) throw new ParseError(400, 'Malformed trailer');
          (p.req.trailers ??= new Map()).set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
          return true;
        }
        p.req.body = p.stream ? Buffer.alloc(0) : Buffer.concat(p.chunks);
        return this.dispatch(p.req);
      }
      case 'waiting':
      case 'closed':
        return false;
    }
  }

  private dispatch(req: Http1Request): boolean {
    this.phase = { kind: 'waiting' };
    this.onRequest(req, () => {
      if (this.phase.kind !== 'waiting') return;
      this.phase = { kind: 'head' };
      if (this.buf.length > 0) setImmediate(() => this.pump());
    });
    return false;
  }

  /** Hands the request on without its body; the handler answers 413 and the connection closes. */
  private oversize(req: Http1Request): boolean {
    req.oversized = true;
    this.phase = { kind: 'closed' };
    this.buf = Buffer.alloc(0);
    this.onRequest(req, () => this.socket.end());
    return false;
  }
}

function parseLength(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim())) throw new ParseError(400, 'Malformed Content-Length');
  return Number(value.trim());
}

function parseHead(text: string): Http1Request {
  const lines = text.split('\r\n');
  const requestLine = lines[0] ?? '';
  const m = /^([A-Z]{1,16}) (\/[^ ]*) HTTP\/1\.[01]$/.exec(requestLine);
  if (!m) throw new ParseError(400, 'Malformed request line');
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) throw new ParseError(400, 'Malformed header');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length' && headers.has(name) && headers.get(name) !== value) {
      throw new ParseError(400, 'Conflicting Content-Length');
    }
    headers.set(name, value);
  }
  return { method: m[1]!, path: m[2]!, headers, body: Buffer.alloc(0), oversized: false };
}
