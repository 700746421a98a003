/** A local HTTP server on port 0 that plays an API and its OAuth token endpoint, recording what it gets. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() on arrival. */
  at: number;
}

export type Responder = (req: ReceivedRequest) => { status: number; body?: unknown };

export class WebhookServer {
  readonly received: ReceivedRequest[] = [];
  /** By path prefix; the longest prefix answers, else 200. */
  readonly routes = new Map<string, Responder>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://127.0.0.1');
        const r: ReceivedRequest = { method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(r);
        const prefix = [...this.routes.keys()].filter((p) => r.path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
        const answer = prefix !== undefined ? this.routes.get(prefix)!(r) : { status: 200, body: { ok: true } };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  to(prefix: string): ReceivedRequest[] {
    return this.received.filter((r) => r.path.startsWith(prefix));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
