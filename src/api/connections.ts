/**
 * The HTTP/1 connections handed to a server by a front (rather than accepted by its own listener,
 * so node's own idle-connection tracking never starts): which are idle, to close them at shutdown
 * instead of waiting out a client's keep-alive.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionTracker {
  /** Closes every idle connection now, and each busy one as soon as its last response is sent. */
  closeWhenIdle(): void;
}

export function trackConnections(server: Server): ConnectionTracker {
  /** Each open connection and how many of its requests are still being answered. */
  const open = new Map<Socket, number>();
  let closing = false;
  const settle = (socket: Socket) => {
    if (closing && open.get(socket) === 0) socket.destroySoon();
  };
  server.on('connection', (socket: Socket) => {
    open.set(socket, 0);
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (!open.has(socket)) return;
    open.set(socket, open.get(socket)! + 1);
    res.once('close', () => {
      if (!open.has(socket)) return;
      open.set(socket, open.get(socket)! - 1);
      settle(socket);
    });
  });
  // A socket taken over by an upgrade (WebSocket) belongs to its handler from then on.
  server.on('upgrade', (req: IncomingMessage) => open.delete(req.socket));
  return {
    closeWhenIdle() {
      closing = true;
      for (const socket of open.keys()) settle(socket);
    },
  };
}
