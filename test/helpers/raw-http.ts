/** A raw HTTP/1.1 keep-alive connection for tests: what is written is exactly what the server reads. */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  /** Lower-cased names; repeated ones joined. */
  headers: Record<string, string>;
  body: string;
}

/** A raw keep-alive connection that reads answers in order, bodies framed by length or in chunks. */
export class RawConnection {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  private async more(): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
  }

  async answer(): Promise<Answer> {
    let end: number;
    while ((end = this.buf.indexOf('\r\n\r\n')) < 0) await this.more();
    const [statusLine, ...lines] = this.buf.toString('latin1', 0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    this.buf = this.buf.subarray(end + 4);
    const status = Number(statusLine!.split(' ')[1]);
    const body: Buffer[] = [];
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        let eol: number;
        while ((eol = this.buf.indexOf('\r\n')) < 0) await this.more();
        const size = parseInt(this.buf.toString('latin1', 0, eol), 16);
        while (this.buf.length < eol + 2 + size + 2) await this.more();
        body.push(this.buf.subarray(eol + 2, eol + 2 + size));
        this.buf = this.buf.subarray(eol + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      while (this.buf.length < length) await this.more();
      body.push(this.buf.subarray(0, length));
      this.buf = this.buf.subarray(length);
    }
    return { status, headers, body: Buffer.concat(body).toString('utf8') };
  }

  close(): void {
    this.socket.destroy();
  }
}
