/**
 * One HTTP port for every AWS-compatible API. REST-JSON operations (Lambda) are routed by method
 * and path from the service model; JSON-protocol operations (CloudWatch Logs, ...) by X-Amz-Target.
 * Invoke, the hot path, is served by a direct route ahead of fastify (direct-route.ts).
 */
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { Authenticator, Principal } from '../security/authenticator.js';
import { AwsError, Errors } from '../wire/errors.js';
import { decodeJsonInput, encodeJsonOutput } from '../wire/json-protocol.js';
import type { ServiceModel } from '../wire/model.js';
import type { HttpResponseParts, Input } from '../wire/rest-json.js';
import { directRoute, MAX_LABEL_LENGTH, type DirectRoute } from './direct-route.js';
import { failWith, isJsonProtocol, renderResponse, type Fail } from './http-response.js';
import { BODY_LIMIT, bodyTooLarge, malformedRequest } from './request-body.js';
import { restJsonDispatcher, restJsonRoutes, type RestJsonDispatch, type RestJsonRoute } from './rest-json-dispatch.js';

export interface RequestContext {
  requestId: string;
  principal: Principal;
}

export type OperationHandler = (input: Input, ctx: RequestContext) => Promise<Input>;

export interface ServiceBinding {
  model: ServiceModel;
  handlers: Readonly<Record<string, OperationHandler>>;
}

export interface HttpServerOptions {
  restJson: ServiceBinding;
  json: readonly ServiceBinding[];
  /** Selfless's own routes (not AWS APIs), mounted under /_selfless/. */
  admin(app: FastifyInstance): void;
  authenticator: Authenticator;
  logger: Logger;
}

/** Served ahead of fastify: the operations whose per-request cost matters. */
const DIRECT_OPERATIONS = ['Invoke'];

export function buildHttpServer(opts: HttpServerOptions): FastifyInstance {
  const fail = failWith(opts.logger);
  const failRequest = (err: unknown, headers: IncomingMessage['headers']) => fail(err, opts.restJson.model, isJsonProtocol(headers));
  const routes = restJsonRoutes(opts.restJson.model);
  const dispatch = restJsonDispatcher(opts.restJson, opts.authenticator, fail);
  let closing = false;
  const direct = routes
    .filter((route) => route.candidates.some((c) => DIRECT_OPERATIONS.includes(c.name)))
    .map((route) => directRoute({ route, dispatch, failRequest, closing: () => closing, logger: opts.logger }));

  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: MAX_LABEL_LENGTH },
    logger: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // fastify hands its own options over, its defaults filled in (typed loosely as a record).
    serverFactory: (handler, options) => nodeServer(options as unknown as NodeServerOptions, direct, handler),
  });
  // While closing, the direct routes step aside so that fastify answers 503 as it does on every route.
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  registerRestJson(app, routes, dispatch);
  registerJson(app, opts, fail);
  opts.admin(app);

  app.setNotFoundHandler((req, reply) => send(reply, newRequestId(), fail(Errors.unknownOperation(), opts.restJson.model, false)));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const e = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? bodyTooLarge() : err.statusCode && err.statusCode < 500 ? malformedRequest() : Errors.service();
    return send(reply, newRequestId(), failRequest(e, req.headers));
  });
  return app;
}

interface NodeServerOptions {
  http?: ServerOptions;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

/** The server fastify would have made (same timeouts), with the direct routes ahead of it. */
function nodeServer(
  options: NodeServerOptions,
  direct: readonly DirectRoute[],
  fastify: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const server = createServer(options.http ?? {}, (req, res) => {
    for (const route of direct) if (route(req, res)) return;
    fastify(req, res);
  });
  server.keepAliveTimeout = options.keepAliveTimeout;
  server.requestTimeout = options.requestTimeout;
  server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}

function send(reply: FastifyReply, requestId: string, parts: HttpResponseParts): FastifyReply {
  const wire = renderResponse(requestId, parts);
  return reply.code(wire.status).headers(wire.headers).send(wire.body);
}

function registerRestJson(app: FastifyInstance, routes: readonly RestJsonRoute[], dispatch: RestJsonDispatch): void {
  for (const route of routes) {
    app.route({
      method: route.method as 'GET',
      url: route.path.replace(/\{(\w+)\+?\}/g, ':$1'),
      handler: async (req, reply) => {
        const { requestId, parts } = await dispatch(route, {
          params: req.params as Record<string, string>,
          query: req.query as Record<string, string | string[] | undefined>,
          headers: req.headers,
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        return send(reply, requestId, parts);
      },
    });
  }
}

function registerJson(app: FastifyInstance, opts: HttpServerOptions, fail: Fail): void {
  const byPrefix = new Map(opts.json.map((s) => [s.model.metadata.targetPrefix!, s]));
  app.post('/', async (req, reply) => {
    const requestId = newRequestId();
    const target = req.headers['x-amz-target'];
    const [prefix, operation] = typeof target === 'string' ? target.split('.') : [];
    const service = prefix ? byPrefix.get(prefix) : undefined;
    const model = service?.model ?? opts.json[0]?.model ?? opts.restJson.model;
    try {
      const op = service && operation ? service.model.operations[operation] : undefined;
      if (!service || !op) throw new AwsError('UnknownOperationException', 400, `Unknown operation ${String(target)}`);
      const handler = service.handlers[operation!];
      if (!handler) throw Errors.notImplemented(operation!);
      const principal = opts.authenticator.authenticate(req.headers);
      const input = decodeJsonInput(service.model, op, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const output = await handler(input, { requestId, principal });
      return send(reply, requestId, encodeJsonOutput(service.model, output));
    } catch (err) {
      return send(reply, requestId, fail(err, model, true));
    }
  });
}
