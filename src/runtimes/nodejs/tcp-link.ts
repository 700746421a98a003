// The Runtime API client's TCP connection. `node:net` loads the stream modules with it: in a
// no-op environment that is ~0.6 MB of heap, ~1.2 MB of PSS and 3-6 ms of CPU at each start
// (measured on Node.js 18-24), most of what an idle environment holds above a bare `node`. Lambda's
// own Node.js runtime reaches the Runtime API through a native addon for the same reason. Here,
// where Node.js offers it without a warning, the connection is the TCP handle that `node:net`
// itself wraps (`process.binding('tcp_wrap')`, allowed and documentation-only deprecated in 18-24);
// anywhere else (a host name, `--pending-deprecation`, a Node.js without that handle) it is a
// `net.Socket`. Both speak the same bytes; the caller sees one interface.
import type net from 'node:net';
import { quietBinding } from './quiet-binding.js';

export interface LinkEvents {
  data(chunk: Buffer): void;
  /** Once, when the connection is gone; `error` is why, if not a clean end. */
  close(error: Error | undefined): void;
}

export interface TcpLink {
  /** Which connection this is: Node.js's TCP handle, or a net.Socket. */
  readonly kind: 'handle' | 'socket';
  /** Queued until connected; written in one system call when the socket takes it. */
  write(data: string): void;
  /** Keeps the process alive while a request is in flight (as a socket's ref does). */
  ref(): void;
  unref(): void;
  destroy(): void;
  readonly writable: boolean;
}

export function connectLink(host: string, port: number, events: LinkEvents): TcpLink {
  const family = ipFamily(host);
  const binding = family === 0 ? undefined : tcpBinding();
  return binding === undefined || family === 0 ? new NetLink(host, port, events) : new HandleLink(binding, host, family, port, events);
}

/** 4 or 6 for an IP literal, else 0 (without `node:net`'s isIP, which would load it). */
export function ipFamily(host: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return 4;
  if (/^[0-9a-f:.]+$/i.test(host) && host.includes(':')) return 6;
  return 0;
}

class NetLink implements TcpLink {
  readonly kind = 'socket';
  readonly #socket: net.Socket;

  constructor(host: string, port: number, events: LinkEvents) {
    const socket = (require('node:net') as typeof net).connect({ host, port });
    let failure: Error | undefined;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => events.data(chunk));
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => events.close(failure));
    this.#socket = socket;
  }

  write(data: string): void {
    this.#socket.write(data);
  }
  ref(): void {
    this.#socket.ref();
  }
  unref(): void {
    this.#socket.unref();
  }
  destroy(): void {
    this.#socket.destroy();
  }
  get writable(): boolean {
    return this.#socket.writable && !this.#socket.destroyed;
  }
}

// The parts of Node.js's TCP handle this link uses, as lib/net.js uses them.
interface ReqWrap {
  oncomplete: (status: number) => void;
  handle?: unknown;
  async?: boolean;
}
interface TcpHandle {
  connect(req: ReqWrap, address: string, port: number): number;
  connect6(req: ReqWrap, address: string, port: number): number;
  setNoDelay(enable: boolean): number;
  readStart(): number;
  writeUtf8String(req: ReqWrap, data: string): number;
  close(callback: () => void): void;
  ref(): void;
  unref(): void;
  /** Must stay a function (Node.js asserts it). */
  onread: (buffer: ArrayBuffer) => void;
}
interface TcpBinding {
  newHandle(): TcpHandle;
  newConnect(): ReqWrap;
  newWrite(): ReqWrap;
  /** nread of the last read (negative: an error or the end), and its offset in the buffer. */
  state: Int32Array;
  readBytes: number;
  offset: number;
  /** Whether the last write is still in flight (its oncomplete comes later). */
  writeAsync: number;
  eof: number;
  errname(code: number): string;
}

let cached: TcpBinding | null | undefined;

function tcpBinding(): TcpBinding | undefined {
  if (cached === undefined) cached = loadTcpBinding();
  return cached ?? undefined;
}

function loadTcpBinding(): TcpBinding | null {
  const tcp = quietBinding('tcp_wrap');
  const stream = quietBinding('stream_wrap');
  const uv = quietBinding('uv') ?? {};
  if (tcp === undefined || stream === undefined) return null;
  const { TCP, TCPConnectWrap, constants } = tcp as { TCP?: unknown; TCPConnectWrap?: unknown; constants?: { SOCKET?: unknown } };
  const { WriteWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync } = stream;
  if (
    typeof TCP !== 'function' || typeof TCPConnectWrap !== 'function' || typeof constants?.SOCKET !== 'number' ||
    typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array) ||
    typeof kReadBytesOrError !== 'number' || typeof kArrayBufferOffset !== 'number' || typeof kLastWriteWasAsync !== 'number' ||
    typeof TCP.prototype.connect !== 'function' || typeof TCP.prototype.writeUtf8String !== 'function'
  ) {
    return null;
  }
  const socketType = constants.SOCKET;
  const errname = typeof uv['errname'] === 'function' ? (uv['errname'] as (code: number) => string) : (code: number) => `error ${code}`;
  return {
    newHandle: () => new (TCP as new (type: number) => TcpHandle)(socketType),
    newConnect: () => new (TCPConnectWrap as new () => ReqWrap)(),
    newWrite: () => new (WriteWrap as new () => ReqWrap)(),
    state: streamBaseState,
    readBytes: kReadBytesOrError,
    offset: kArrayBufferOffset,
    writeAsync: kLastWriteWasAsync,
    eof: typeof uv['UV_EOF'] === 'number' ? uv['UV_EOF'] : -4095,
    errname,
  };
}

const ignoreRead = (): void => {};

type LinkState = 'connecting' | 'open' | 'closing' | 'closed';

/** A TCP connection on Node.js's own handle: connect, read, write and close as lib/net.js does them. */
class HandleLink implements TcpLink {
  readonly kind = 'handle';
  readonly #binding: TcpBinding;
  readonly #handle: TcpHandle;
  readonly #events: LinkEvents;
  readonly #where: string;
  #state: LinkState = 'connecting';
  #queued = '';
  /** Requests the handle has not completed; kept reachable until it does. */
  readonly #requests = new Set<ReqWrap>();

  constructor(binding: TcpBinding, host: string, family: 4 | 6, port: number, events: LinkEvents) {
    this.#binding = binding;
    this.#events = events;
    this.#where = `${host}:${port}`;
    const handle = binding.newHandle();
    this.#handle = handle;
    handle.onread = (buffer) => this.#onRead(buffer);
    const req = binding.newConnect();
    req.oncomplete = (status) => {
      this.#requests.delete(req);
      this.#onConnect(status);
    };
    this.#requests.add(req);
    const err = family === 6 ? handle.connect6(req, host, port) : handle.connect(req, host, port);
    if (err < 0) {
      this.#requests.delete(req);
      process.nextTick(() => this.#fail('connect', err));
    }
  }

  get writable(): boolean {
    return this.#state === 'connecting' || this.#state === 'open';
  }

  write(data: string): void {
    if (this.#state === 'connecting') this.#queued += data;
    else if (this.#state === 'open') this.#write(data);
  }

  ref(): void {
    if (this.#state !== 'closed') this.#handle.ref();
  }

  unref(): void {
    if (this.#state !== 'closed') this.#handle.unref();
  }

  destroy(): void {
    this.#close(undefined);
  }

  #onConnect(status: number): void {
    if (this.#state !== 'connecting') return;
    if (status < 0) return this.#fail('connect', status);
    this.#state = 'open';
    this.#handle.setNoDelay(true);
    const err = this.#handle.readStart();
    if (err < 0) return this.#fail('read', err);
    const queued = this.#queued;
    this.#queued = '';
    if (queued !== '') this.#write(queued);
  }

  #write(data: string): void {
    const req = this.#binding.newWrite();
    req.handle = this.#handle;
    req.async = false;
    req.oncomplete = (status) => {
      this.#requests.delete(req);
      if (status < 0) this.#fail('write', status);
    };
    this.#requests.add(req);
    const err = this.#handle.writeUtf8String(req, data);
    if (err < 0) {
      this.#requests.delete(req);
      this.#fail('write', err);
    }
    // A write the kernel took at once never completes later: nothing to keep.
    else if (this.#binding.state[this.#binding.writeAsync] === 0) this.#requests.delete(req);
  }

  #onRead(buffer: ArrayBuffer): void {
    const { state, readBytes, offset } = this.#binding;
    const nread = state[readBytes]!;
    if (nread > 0) {
      this.#events.data(Buffer.from(buffer, state[offset]!, nread));
    } else if (nread < 0) {
      if (nread === this.#binding.eof) this.#close(undefined);
      else this.#fail('read', nread);
    }
  }

  #fail(what: string, code: number): void {
    const name = this.#binding.errname(code);
    const error = Object.assign(new Error(`${what} ${name} ${this.#where}`), { code: name, syscall: what });
    this.#close(error);
  }

  #close(error: Error | undefined): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#state = 'closing';
    this.#queued = '';
    this.#handle.onread = ignoreRead;
    this.#handle.close(() => {
      this.#state = 'closed';
      this.#requests.clear();
      this.#events.close(error);
    });
  }
}
