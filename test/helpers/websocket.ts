/**
 * A real `ws` client for WebSocket API tests: connects to the server's address with the Host a
 * host-based name needs (Node cannot resolve `*.execute-api.localhost`), queues what it receives,
 * and reports a refused handshake by its HTTP status.
 */
import WebSocket from 'ws';

export interface Client {
  ws: WebSocket;
  /** The next message not yet taken (text as a string, binary as a Buffer). */
  next(): Promise<string | Buffer>;
  /** Resolves with the close code once the connection is closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<{ code: number; reason: string }>;
}

export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake refused: ${status} ${body}`);
  }
}

/** Connects to `url` (ws://127.0.0.1:port/...), sending `host` as Host when given. */
export function connect(url: string, host?: string, headers: Record<string, string> = {}, tls: { ca?: Buffer } = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers: { ...(host ? { Host: host } : {}), ...headers }, perMessageDeflate: false, ...tls });
  const queue: (string | Buffer)[] = [];
  const waiting: ((m: string | Buffer) => void)[] = [];
  ws.on('message', (data: Buffer, binary: boolean) => {
    const m = binary ? data : data.toString('utf8');
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))),
        closed,
        close() {
          ws.close(1000, 'bye');
          return closed;
        },
      }),
    );
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => reject(new Refused(res.statusCode ?? 0, body)));
    });
    ws.once('error', reject);
  });
}

/** Parses a text message as JSON. */
export async function nextJson(c: Client): Promise<Record<string, any>> {
  const m = await c.next();
  return JSON.parse(typeof m === 'string' ? m : m.toString('utf8')) as Record<string, any>;
}
