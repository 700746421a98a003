/**
 * The one HTTP port: every AWS API through the router, Selfless's own routes through the admin
 * server. Connection settings are fastify's defaults, which the API was served with before.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2Server, type Http2Session } from 'node:http2';
import { createServer as createTlsFrontServer, type TLSSocket } from 'node:tls';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { AdminServer } from './admin-server.js';
import { isAdminTarget } from './admin-server.js';
import type { AwsRouter } from './router.js';
import { trackConnections } from './connections.js';
import { nodeExchange, type Exchange } from './exchange.js';
import { LaneConnection, LaneConnections, type LaneHead } from './http1-lane.js';
import { refuseUpgrade, writeForbidden, type FrontDoors, type FrontDoorTarget } from './front-door.js';

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
    if (door !== undefined && doors.has(door.kind)) return serveDoor(nodeExchange(req, res), door);
    if (door === undefined && doors.mayBeDomain(req.headers.host, req.url ?? '/')) return serveDomain(nodeExchange(req, res), () => onwards(req, res));
    onwards(req, res);
  };
  const onwards = (req: IncomingMessage, res: ServerResponse) => {
    if (isAdminTarget(req.url ?? '/')) admin.handle(req, res);
    else router.handle(req, res);
  };
  const serveDoor = (ex: Exchange, door: FrontDoorTarget) => {
    doors.serve(ex, door).catch(() => ex.abort());
  };
  // A custom domain name is known only to the store: a Host that is none goes on to the AWS APIs.
  const serveDomain = (ex: Exchange, otherwise: () => void) => {
    doors
      .domainTarget(ex.headers.host, ex.url)
      .then((target) => {
        if (target === 'forbidden') writeForbidden(ex);
        else if (target) return doors.serve(ex, target);
        else otherwise();
      })
      .catch(() => ex.abort());
  };
  // WebSocket handshakes: only front doors (WebSocket APIs) take upgrades; anything else is refused.
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const door = doors.target(req.headers.host, req.url ?? '/');
    if (door === undefined && doors.mayBeDomain(req.headers.host, req.url ?? '/')) {
      upgradeDomain(req, socket, head).catch(() => socket.destroy());
      return;
    }
    if (door === undefined || !doors.has(door.kind)) {
      refuseUpgrade(socket, 404, 'Not Found', '{"message":"Not Found"}');
      return;
    }
    doors.upgrade(req, socket, head, door).catch(() => socket.destroy());
  };
  const upgradeDomain = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = await doors.domainTarget(req.headers.host, req.url ?? '/');
    if (target === 'forbidden') refuseUpgrade(socket, 403, 'Forbidden', '{"message":"Forbidden"}');
    else if (target) await doors.upgrade(req, socket, head, target);
    else refuseUpgrade(socket, 404, 'Not Found', '{"message":"Not Found"}');
  };
  // No limit on receiving a request, as under fastify: a large payload on a slow link is not cut off.
  // One HTTP/1 server per listener (connections handed over by the fronts below), one HTTP/2 server for both.
  const servers: Server[] = [createServer({ requestTimeout: 0 }, handle)];
  if (tls) servers.push(createServer({ requestTimeout: 0 }, handle));
  for (const server of servers) {
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.on('upgrade', upgrade);
  }
  const connections = servers.map(trackConnections);
  const h2 = http2Server(handle);
  // The AWS APIs' common requests on the plain port: the lean lane, node:http for everything else.
  // Front doors too. A request that may be for a custom domain stays with node:http, where a name that is none goes on to the other routes.
  const laneRoute = (head: LaneHead): ((exchange: Exchange) => void) | undefined => {
    const host = head.headers.host as string;
    const door = doors.target(host, head.url);
    if (door !== undefined) return doors.has(door.kind) ? (ex) => serveDoor(ex, door) : undefined;
    if (doors.mayBeDomain(host, head.url) || isAdminTarget(head.url)) return undefined;
    const route = router.laneRoute(head.method, head.url, head.headers);
    return route && ((exchange) => router.serveExchange(route, exchange));
  };
  const lanes = new LaneConnections();
  const http1 = servers[0]!;
  const lane = (socket: Socket, first: Buffer) =>
    new LaneConnection(socket, first, { route: laneRoute, handOff: (s, unread) => handOver(http1, s, unread), keepAliveMs: KEEP_ALIVE_TIMEOUT_MS }, lanes);
  const fronts = [cleartextFront(lane, h2.server)];
  if (tls) fronts.push(tlsFront(servers[1]!, h2.server, tls));
  const ports = [await listen(fronts[0]!, port, host)];
  if (tls) ports.push(await listen(fronts[1]!, tls.port, host));
  return {
    port: ports[0]!,
    tlsPort: ports[1],
    async close() {
      router.closing = true;
      const closed = fronts.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const tracked of connections) tracked.closeWhenIdle();
      lanes.closeWhenIdle();
      h2.closeSessions();
      await admin.close();
      await Promise.all(closed);
    },
  };
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** The HTTP/2 server both listeners hand HTTP/2 connections to, with the same handler; its sessions, to close them. */
function http2Server(handle: (req: IncomingMessage, res: ServerResponse) => void): { server: Http2Server; closeSessions(): void } {
  const server = createH2cServer((req, res) => handle(req as unknown as IncomingMessage, res as unknown as ServerResponse));
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return { server, closeSessions: () => sessions.forEach((s) => s.close()) };
}

/**
 * The plain port speaks HTTP/1.1 and cleartext HTTP/2 (prior knowledge), told apart by the first
 * bytes: the SDK v3's Kinesis client sends HTTP/2 by default.
 */
function cleartextFront(http1: (socket: Socket, first: Buffer) => void, h2: Http2Server): NetServer {
  // Each answer goes out in one write; without Nagle's wait for the client's delayed ACK (FACTS.md).
  return createNetServer({ noDelay: true }, (socket: Socket) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && head.length < H2_PREFACE.length) return; // not enough bytes to tell yet
      socket.off('data', onData);
      if (isH2) {
        h2.emit('connection', relay(socket, head));
        return;
      }
      http1(socket, head);
    };
    socket.on('data', onData);
  });
}

/** node:http takes over a connection, the bytes already read pushed back first. */
function handOver(http1: Server, socket: Socket, unread: Buffer): void {
  socket.pause();
  if (unread.length > 0) socket.unshift(unread);
  http1.emit('connection', socket);
  socket.resume();
}

/** The TLS port: HTTP/2 for clients that ask for it by ALPN, HTTP/1.1 for the others. */
function tlsFront(http1: Server, h2: Http2Server, tls: TlsListener): NetServer {
  return createTlsFrontServer({ cert: tls.certPem, key: tls.keyPem, ALPNProtocols: ['h2', 'http/1.1'], noDelay: true }, (socket: TLSSocket) => {
    (socket.alpnProtocol === 'h2' ? h2 : http1).emit('connection', socket);
  });
}

/**
 * The socket as a plain stream that begins with the bytes already read: node's HTTP/2 reads a real
 * socket through its native handle, which would miss them.
 */
function relay(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _enc, cb) => void socket.write(chunk, cb),
    final: (cb) => void socket.end(cb),
    destroy: (err, cb) => {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  duplex.push(head);
  socket.on('data', (d: Buffer) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  socket.on('error', (err) => duplex.destroy(err));
  return duplex;
}

async function listen(server: NetServer, port: number, host: string): Promise<number> {
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
