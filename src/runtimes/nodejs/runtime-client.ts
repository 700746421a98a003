// A Lambda Runtime API client on one raw keep-alive TCP connection. node:http's
// per-request objects cost about 3x on the invoke hot path, and the Runtime
// API always answers with Content-Length, so a small strict parser suffices.
// Node built-ins only: this runs inside every execution environment.
import { connectLink, type TcpLink } from './tcp-link.js';

const API = '/2018-06-01/runtime';
/** Selfless's extension route for pre-started runtimes (see src/runtime-api/routes.ts). */
const ASSIGNMENT = '/selfless/2026-11-25/assignment';
const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export interface RuntimeApiResponse {
  readonly status: number;
  /** Header names are lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** The Runtime API answered, but not with a 2xx. */
export class RuntimeApiStatusError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    body: Buffer,
  ) {
    super(`${path} answered ${status}: ${body.toString('utf8', 0, Math.min(body.length, 1024))}`);
  }
}

interface Request {
  readonly message: string;
  readonly resolve: (response: RuntimeApiResponse) => void;
  readonly reject: (error: Error) => void;
  retried: boolean;
}

interface Head {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly length: number;
}

/** Accepts `127.0.0.1:9001`, `localhost:9001` and `[::1]:9001`. */
export function parseRuntimeApiAddress(address: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(address) ?? /^(.+):(\d+)$/.exec(address);
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`AWS_LAMBDA_RUNTIME_API is not host:port: '${address}'`);
  }
  return { host, port };
}

export class RuntimeClient {
  readonly #host: string;
  readonly #port: number;
  readonly #address: string;
  readonly #nextMessage: string;
  #connection: Connection | undefined;
  #closed = false;

  /** The header that gets each new connection admitted at once (see src/runtime-api/runtime-token.ts), or ''. */
  readonly #introduction: string;

  constructor(address: string, token?: string) {
    const { host, port } = parseRuntimeApiAddress(address);
    this.#introduction = token && /^[A-Za-z0-9_-]{1,128}$/.test(token) ? `Selfless-Runtime-Token: ${token}\r\n` : '';
    this.#host = host;
    this.#port = port;
    this.#address = address;
    this.#nextMessage = `GET ${API}/invocation/next HTTP/1.1\r\nHost: ${address}\r\nContent-Length: 0\r\n\r\n`;
  }

  /** Long-polls for the next invocation; no timeout, by design. */
  next(): Promise<RuntimeApiResponse> {
    return this.#request(`${API}/invocation/next`, this.#nextMessage);
  }

  /** Selfless's pre-started runtimes: waits for the function this process is to run. */
  assignment(): Promise<RuntimeApiResponse> {
    return this.#request(ASSIGNMENT, `GET ${ASSIGNMENT} HTTP/1.1\r\nHost: ${this.#address}\r\nContent-Length: 0\r\n\r\n`);
  }

  /** Closes the connection for good: a poll waiting on it is withdrawn, and nothing is resent. */
  close(): void {
    this.#closed = true;
    this.#connection?.destroy();
  }

  postResponse(requestId: string, body: string): Promise<RuntimeApiResponse> {
    return this.#post(`${API}/invocation/${encodeURIComponent(requestId)}/response`, body, undefined);
  }

  postError(requestId: string, errorType: string | undefined, body: string): Promise<RuntimeApiResponse> {
    return this.#post(`${API}/invocation/${encodeURIComponent(requestId)}/error`, body, errorType);
  }

  /**
   * Reports an invocation's outcome (its response, or its error when `errorType` is given) and asks
   * for the next invocation in the same write, HTTP/1.1 pipelining: one write and one read for the
   * two instead of two round trips. The answers come back in order on the one connection.
   */
  reportThenNext(requestId: string, body: string, error?: { errorType: string | undefined }): { posted: Promise<RuntimeApiResponse>; next: Promise<RuntimeApiResponse> } {
    const kind = error === undefined ? 'response' : 'error';
    const path = `${API}/invocation/${encodeURIComponent(requestId)}/${kind}`;
    const posted = this.#pending(path, this.#postMessage(path, body, error?.errorType));
    const next = this.#pending(`${API}/invocation/next`, this.#nextMessage);
    this.#send(posted.request, next.request);
    return { posted: posted.promise, next: next.promise };
  }

  postInitError(errorType: string | undefined, body: string): Promise<RuntimeApiResponse> {
    return this.#post(`${API}/init/error`, body, errorType);
  }

  #post(path: string, body: string, errorType: string | undefined): Promise<RuntimeApiResponse> {
    return this.#request(path, this.#postMessage(path, body, errorType));
  }

  #postMessage(path: string, body: string, errorType: string | undefined): string {
    // error.name is user-controlled: keep it from breaking the header block.
    const typeHeader =
      errorType === undefined
        ? ''
        : `Lambda-Runtime-Function-Error-Type: ${errorType.replace(/[^\x20-\x7e]/g, '')}\r\n`;
    return (
      `POST ${path} HTTP/1.1\r\nHost: ${this.#address}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${typeHeader}\r\n${body}`
    );
  }

  #request(path: string, message: string): Promise<RuntimeApiResponse> {
    const { request, promise } = this.#pending(path, message);
    this.#send(request);
    return promise;
  }

  /** A request not yet sent, and the promise of its 2xx answer. */
  #pending(path: string, message: string): { request: Request; promise: Promise<RuntimeApiResponse> } {
    let request!: Request;
    const promise = new Promise<RuntimeApiResponse>((resolve, reject) => {
      request = {
        message,
        resolve: (response) =>
          response.status >= 200 && response.status < 300
            ? resolve(response)
            : reject(new RuntimeApiStatusError(path, response.status, response.body)),
        reject,
        retried: false,
      };
    });
    return { request, promise };
  }

  /** Sends the requests in order, in one write. */
  #send(...requests: Request[]): void {
    if (this.#closed) {
      for (const request of requests) request.reject(new Error(`the client of the Runtime API at ${this.#address} is closed`));
      return;
    }
    if (this.#connection === undefined || !this.#connection.writable) {
      this.#connection = new Connection(this.#host, this.#port, this.#introduction, (connection, unanswered, retryable, error) =>
        this.#onClosed(connection, unanswered, retryable, error),
      );
    }
    this.#connection.send(requests);
  }

  #onClosed(connection: Connection, unanswered: Request[], retryable: boolean, error: Error | undefined): void {
    if (this.#connection === connection) this.#connection = undefined;
    for (const request of unanswered) {
      // A reused socket closed before any answer (the keep-alive race): resend
      // once. If the server did see the first copy, it refuses the second.
      if (retryable && !request.retried && !this.#closed) {
        request.retried = true;
        this.#send(request);
      } else {
        const reason = error === undefined ? '' : `: ${error.message}`;
        request.reject(new Error(`the connection to the Runtime API at ${this.#address} closed${reason}`));
      }
    }
  }
}

type OnClosed = (connection: Connection, unanswered: Request[], retryable: boolean, error: Error | undefined) => void;

/** One connection, its requests awaiting answers (in order), and its parser state. */
class Connection {
  readonly #link: TcpLink;
  readonly #inFlight: Request[] = [];
  #exchanges = 0;
  #partialHead: Buffer | undefined;
  #head: Head | undefined;
  #body: Buffer = EMPTY;
  #filled = 0;
  #error: Error | undefined;
  #closing = false;
  /** Goes into the first request's head on this connection, then ''. */
  #introduction: string;

  constructor(host: string, port: number, introduction: string, onClosed: OnClosed) {
    this.#introduction = introduction;
    this.#link = connectLink(host, port, {
      data: (chunk) => {
        try {
          this.#onData(chunk);
        } catch (error) {
          this.#error = error instanceof Error ? error : new Error(String(error));
          this.#link.destroy();
        }
      },
      close: (error) => {
        const midResponse = this.#head !== undefined || this.#partialHead !== undefined;
        onClosed(this, this.#inFlight.splice(0), this.#exchanges > 0 && !midResponse, this.#error ?? error);
      },
    });
  }

  destroy(): void {
    this.#link.destroy();
  }

  get writable(): boolean {
    return !this.#closing && this.#link.writable;
  }

  send(requests: readonly Request[]): void {
    this.#inFlight.push(...requests);
    // Only a request in flight keeps the process alive, so that 'beforeExit'
    // fires when a handler's own work is done, as on Lambda.
    this.#link.ref();
    let data = requests.length === 1 ? requests[0]!.message : requests.map((r) => r.message).join('');
    if (this.#introduction !== '') {
      const lineEnd = data.indexOf('\r\n') + 2;
      data = data.slice(0, lineEnd) + this.#introduction + data.slice(lineEnd);
      this.#introduction = '';
    }
    this.#link.write(data);
  }

  #onData(chunk: Buffer): void {
    let data = chunk;
    let offset = 0;
    while (offset < data.length) {
      let head = this.#head;
      if (head === undefined) {
        if (this.#partialHead !== undefined) {
          data = Buffer.concat([this.#partialHead, data.subarray(offset)]);
          offset = 0;
          this.#partialHead = undefined;
        }
        const end = data.indexOf(HEAD_END, offset);
        if (end === -1) {
          if (data.length - offset > MAX_HEAD_BYTES) throw new Error('Runtime API response head too large');
          this.#partialHead = data.subarray(offset);
          return;
        }
        head = parseHead(data.toString('utf8', offset, end));
        offset = end + HEAD_END.length;
        if (data.length - offset >= head.length) {
          // The usual case: the whole body is in this chunk.
          this.#finish(head, data.subarray(offset, offset + head.length));
          offset += head.length;
          continue;
        }
        this.#head = head;
        this.#body = Buffer.allocUnsafe(head.length);
        this.#filled = 0;
      }
      const n = Math.min(head.length - this.#filled, data.length - offset);
      data.copy(this.#body, this.#filled, offset, offset + n);
      this.#filled += n;
      offset += n;
      if (this.#filled === head.length) {
        const body = this.#body;
        this.#head = undefined;
        this.#body = EMPTY;
        this.#finish(head, body);
      }
    }
  }

  #finish(head: Head, body: Buffer): void {
    const request = this.#inFlight.shift();
    if (request === undefined) throw new Error(`unexpected ${head.status} response from the Runtime API`);
    this.#exchanges++;
    // Known before the caller's next request, so it goes on a new socket.
    if (head.headers.get('connection')?.toLowerCase() === 'close') this.#closing = true;
    if (this.#inFlight.length === 0) {
      this.#link.unref();
      if (this.#closing) this.#link.destroy();
    }
    request.resolve({ status: head.status, headers: head.headers, body });
  }
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const statusLine = lines[0] ?? '';
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (status === undefined) throw new Error(`malformed Runtime API status line '${statusLine.slice(0, 80)}'`);
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed Runtime API header line '${line.slice(0, 80)}'`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = headers.get('transfer-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new Error(`unsupported Runtime API Transfer-Encoding '${encoding}'`);
  }
  const length = Number(headers.get('content-length') ?? '0');
  if (!Number.isSafeInteger(length) || length < 0) throw new Error('malformed Runtime API Content-Length');
  return { status: Number(status), headers, length };
}
