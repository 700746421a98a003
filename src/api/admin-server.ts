/**
 * Selfless's own routes, beside the AWS APIs: `/_selfless/...` (admin) and `/metrics` (Prometheus).
 * None is an AWS protocol, none is on the invoke hot path, and
 * their handlers are written against fastify, which they keep; the AWS router hands them over.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { ProtocolErrors } from '../wire/errors.js';
import { sendAdminError } from './admin-errors.js';
import { BODY_LIMIT, bodyTooLarge, malformedRequest } from './request-body.js';

export interface AdminServer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

const PREFIXES = ['/_selfless/', '/_selfless-code/'];

/** Whether a request target is one of Selfless's own routes. */
export const isAdminTarget = (url: string): boolean =>
  PREFIXES.some((p) => url.startsWith(p)) || url === '/metrics' || url.startsWith('/metrics?');

export interface AdminOptions {
  /**
   * Answer `/_selfless/...` only to peers on this machine. Set when signatures are verified: the
   * admin routes are not AWS APIs and carry no signature, so they must not be what a listener beyond
   * loopback opens to everyone. `/metrics` stays reachable.
   */
  loopbackOnly?: boolean;
}

const LOOPBACK_PEER = /^(127\.|::1$|::ffff:127\.)/;

export async function startAdminServer(register: (app: FastifyInstance) => void, opts: AdminOptions = {}): Promise<AdminServer> {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: true });
  if (opts.loopbackOnly) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/_selfless/') && !LOOPBACK_PEER.test(req.socket.remoteAddress ?? '')) return sendAdminError(reply, ProtocolErrors.adminLoopbackOnly());
      return undefined;
    });
  }
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  register(app);
  app.setNotFoundHandler((_req, reply) => sendAdminError(reply, ProtocolErrors.unknownRoute()));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, _req, reply) =>
    sendAdminError(reply, err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? bodyTooLarge() : err.statusCode && err.statusCode < 500 ? malformedRequest() : err),
  );
  await app.ready();
  return { handle: (req, res) => app.routing(req, res), close: () => app.close() };
}
