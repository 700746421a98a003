/**
 * The one HTTP port: every AWS API through the router, Selfless's own routes through the admin
 * server. Connection settings are fastify's defaults, which the API was served with before.
 */
import { createServer, type Server } from 'node:http';
import type { AdminServer } from './admin-server.js';
import { isAdminTarget } from './admin-server.js';
import type { AwsRouter } from './router.js';

export interface HttpServer {
  readonly port: number;
  /** Stops accepting; requests that still arrive get 503; resolves once every connection is gone. */
  close(): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export async function startHttpServer(router: AwsRouter, admin: AdminServer, port: number, host: string): Promise<HttpServer> {
  // No limit on receiving a request, as under fastify: a large payload on a slow link is not cut off.
  const server: Server = createServer({ requestTimeout: 0 }, (req, res) => {
    if (isAdminTarget(req.url ?? '/')) admin.handle(req, res);
    else router.handle(req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    async close() {
      router.closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await admin.close();
      await closed;
    },
  };
}
