/**
 * The one HTTP port: every AWS API through the router, Selfless's own routes through the admin
 * server. Connection settings are fastify's defaults, which the API was served with before.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AdminServer } from './admin-server.js';
import { isAdminTarget } from './admin-server.js';
import type { AwsRouter } from './router.js';
import type { Duplex } from 'node:stream';
import { refuseUpgrade, type FrontDoors } from './front-door.js';

export interface HttpServer {
  readonly port: number;
  /** The TLS listener's port, when there is one. */
  readonly tlsPort: number | undefined;
  /** Stops accepting; requests that still arrive get 503; resolves once every connection is gone. */
  close(): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/** A TLS listener beside the plain one, serving the same routes. */
export interface TlsListener {
  port: number;
  certPem: string;
  keyPem: string;
}

export async function startHttpServer(
  router: AwsRouter,
  admin: AdminServer,
  doors: FrontDoors,
  port: number,
  host: string,
  tls?: TlsListener,
): Promise<HttpServer> {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const door = doors.target(req.headers.host, req.url ?? '/');
    if (door !== undefined && doors.has(door.kind)) {
      doors.serve(req, res, door).catch(() => res.destroy());
      return;
    }
    if (isAdminTarget(req.url ?? '/')) admin.handle(req, res);
    else router.handle(req, res);
  };
  // WebSocket handshakes: only front doors (WebSocket APIs) take upgrades; anything else is refused.
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const door = doors.target(req.headers.host, req.url ?? '/');
    if (door === undefined || !doors.has(door.kind)) {
      refuseUpgrade(socket, 404, 'Not Found', '{"message":"Not Found"}');
      return;
    }
    doors.upgrade(req, socket, head, door).catch(() => socket.destroy());
  };
  // No limit on receiving a request, as under fastify: a large payload on a slow link is not cut off.
  const servers: Server[] = [createServer({ requestTimeout: 0 }, handle)];
  if (tls) servers.push(createTlsServer({ requestTimeout: 0, cert: tls.certPem, key: tls.keyPem }, handle));
  const ports: number[] = [];
  for (const [i, server] of servers.entries()) {
    server.on('upgrade', upgrade);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    ports.push(await listen(server, i === 0 ? port : tls!.port, host));
  }
  return {
    port: ports[0]!,
    tlsPort: ports[1],
    async close() {
      router.closing = true;
      const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const server of servers) server.closeIdleConnections();
      await admin.close();
      await Promise.all(closed);
    },
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
