/**
 * One HTTP port for every AWS-compatible API. REST-JSON operations (Lambda) are routed by method
 * and path from the service model; JSON-protocol operations (CloudWatch Logs, ...) by X-Amz-Target.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { Authenticator, Principal } from '../security/authenticator.js';
import { AwsError, Errors } from '../wire/errors.js';
import { decodeJsonInput, encodeJsonError, encodeJsonOutput } from '../wire/json-protocol.js';
import type { ServiceModel } from '../wire/model.js';
import {
  decodeRestJsonInput,
  encodeRestJsonError,
  encodeRestJsonOutput,
  type HttpResponseParts,
  type Input,
} from '../wire/rest-json.js';

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

const BODY_LIMIT = 80 * 1024 * 1024;

export function buildHttpServer(opts: HttpServerOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, forceCloseConnections: 'idle', return503OnClosing: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const send = (reply: FastifyReply, requestId: string, parts: HttpResponseParts) => {
    reply.code(parts.status).headers(parts.headers).header('x-amzn-RequestId', requestId);
    return reply.send(parts.body ?? '');
  };

  const fail = (err: unknown, model: ServiceModel, json: boolean): HttpResponseParts => {
    const aws = err instanceof AwsError ? err : undefined;
    if (!aws) opts.logger.error('unexpected error', { error: (err as Error)?.stack ?? String(err) });
    const e = aws ?? Errors.service();
    return json ? encodeJsonError(model, e) : encodeRestJsonError(model, e);
  };

  registerRestJson(app, opts, send, fail);
  registerJson(app, opts, send, fail);
  opts.admin(app);

  app.setNotFoundHandler((req, reply) => send(reply, newRequestId(), fail(Errors.unknownOperation(), opts.restJson.model, false)));
  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const e =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? Errors.requestTooLarge(BODY_LIMIT, 'this')
        : err.statusCode && err.statusCode < 500
          ? Errors.invalidRequestContent('Malformed request.')
          : Errors.service();
    return send(reply, newRequestId(), fail(e, opts.restJson.model, isJsonProtocol(req)));
  });
  return app;
}

const isJsonProtocol = (req: FastifyRequest) => typeof req.headers['x-amz-target'] === 'string';

type Send = (reply: FastifyReply, requestId: string, parts: HttpResponseParts) => FastifyReply;
type Fail = (err: unknown, model: ServiceModel, json: boolean) => HttpResponseParts;

function registerRestJson(app: FastifyInstance, opts: HttpServerOptions, send: Send, fail: Fail): void {
  const { model, handlers } = opts.restJson;
  // Several operations may share a method and path, told apart by a literal in the query (`?List=ALL`).
  const byRoute = new Map<string, { name: string; query?: [string, string] }[]>();
  for (const [name, op] of Object.entries(model.operations)) {
    const [path, literal] = op.http.requestUri.split('?');
    const key = `${op.http.method} ${path!.replace(/\{(\w+)\+?\}/g, ':$1')}`;
    const query = literal ? (literal.split('=') as [string, string]) : undefined;
    const list = byRoute.get(key) ?? [];
    list.push(query ? { name, query } : { name });
    list.sort((a, b) => (b.query ? 1 : 0) - (a.query ? 1 : 0));
    byRoute.set(key, list);
  }
  for (const [key, candidates] of byRoute) {
    const [method, url] = key.split(' ') as [string, string];
    app.route({
      method: method as 'GET',
      url,
      handler: async (req, reply) => {
        const requestId = newRequestId();
        const query = req.query as Record<string, string | string[] | undefined>;
        const chosen = candidates.find((c) => !c.query || query[c.query[0]] === c.query[1]) ?? candidates[candidates.length - 1]!;
        const op = model.operations[chosen.name]!;
        const handler = handlers[chosen.name];
        try {
          if (!handler) throw Errors.notImplemented(chosen.name);
          const principal = opts.authenticator.authenticate(req.headers);
          const input = decodeRestJsonInput(model, op, {
            params: req.params as Record<string, string>,
            query,
            headers: req.headers,
            body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          });
          const output = await handler(input, { requestId, principal });
          return send(reply, requestId, encodeRestJsonOutput(model, op, output));
        } catch (err) {
          return send(reply, requestId, fail(err, model, false));
        }
      },
    });
  }
}

function registerJson(app: FastifyInstance, opts: HttpServerOptions, send: Send, fail: Fail): void {
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
