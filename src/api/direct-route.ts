/**
 * A REST-JSON route served straight on node:http, ahead of fastify: on a warm Invoke, fastify's
 * routing, content-type parsing, hooks and Reply cost about a sixth of the server's CPU.
 * A request is taken only when fastify would surely route it to the same operation with the same
 * params, query and body. Anything unusual (an odd percent-encoding, a label over find-my-way's
 * length limit, a content type fastify refuses, a server that is closing) is left to fastify, which
 * keeps every route, so every answer stays what it was. The route must not overlap another one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { HttpRequestParts, HttpResponseParts } from '../wire/rest-json.js';
import { renderResponse } from './http-response.js';
import { readBody } from './request-body.js';
import type { RestJsonDispatch, RestJsonRoute } from './rest-json-dispatch.js';

export interface DirectRouteOptions {
  route: RestJsonRoute;
  dispatch: RestJsonDispatch;
  /** Answers a request whose body could not be read, as the fastify error handler does. */
  failRequest(err: unknown, headers: IncomingMessage['headers']): HttpResponseParts;
  closing(): boolean;
  logger: Logger;
}

/** True when it took the request; false leaves it to fastify. */
export type DirectRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

type Target = Pick<HttpRequestParts, 'params' | 'query'>;

export function directRoute(opts: DirectRouteOptions): DirectRoute {
  const match = targetMatcher(opts.route.path);

  const serve = async (req: IncomingMessage, res: ServerResponse, target: Target) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      // The rest of the body may still be coming: this connection cannot carry another request.
      return send(res, newRequestId(), opts.failRequest(err, req.headers), true);
    }
    const { requestId, parts } = await opts.dispatch(opts.route, { ...target, headers: req.headers, body });
    send(res, requestId, parts, false);
  };

  return (req, res) => {
    if (req.method !== opts.route.method || opts.closing()) return false;
    const target = match(req.url ?? '');
    if (!target || !fastifyAcceptsContentType(req.headers['content-type'])) return false;
    serve(req, res, target).catch((err: unknown) => {
      opts.logger.error('direct route failed', { error: (err as Error)?.stack ?? String(err) });
      res.destroy();
    });
    return true;
  };
}

function send(res: ServerResponse, requestId: string, parts: HttpResponseParts, close: boolean): void {
  if (res.destroyed) return; // the client went away
  const wire = renderResponse(requestId, parts);
  res.writeHead(wire.status, close ? { connection: 'close', ...wire.headers } : wire.headers);
  res.end(wire.body);
}

/**
 * The longest path label served, here and by fastify's router (its `maxParamLength`): room for any
 * ARN the model allows, percent-encoded. find-my-way's default, 100, refused full ARNs of long names.
 */
export const MAX_LABEL_LENGTH = 1024;

/**
 * Matches raw request targets against a model path such as `/2015-03-31/functions/{FunctionName}/invocations`,
 * giving each label percent-decoded and the query as fastify parses it (a string, or an array when repeated).
 */
function targetMatcher(template: string): (url: string) => Target | undefined {
  const segments = template.split('/');
  const labels = segments.map((s) => {
    if (s.endsWith('+}')) throw new Error(`greedy labels are not served directly: ${template}`);
    return /^\{(\w+)\}$/.exec(s)?.[1];
  });
  return (url) => {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.includes('#')) return undefined;
    const parts = path.split('/');
    if (parts.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const label = labels[i];
      if (label === undefined) {
        if (parts[i] !== segments[i]) return undefined;
        continue;
      }
      const value = decodeLabel(parts[i]!);
      if (value === undefined) return undefined;
      params[label] = value;
    }
    const query = q === -1 ? Object.create(null) : parseQuery(url.slice(q + 1));
    return query ? { params, query } : undefined;
  };
}

/** For a well-formed segment, what find-my-way's decoding (decodeURI, then the reserved characters) gives. */
function decodeLabel(raw: string): string | undefined {
  if (raw === '') return undefined;
  let value = raw;
  if (raw.includes('%')) {
    try {
      value = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return value.length > MAX_LABEL_LENGTH ? undefined : value;
}

/**
 * URLSearchParams agrees with fastify's parser (fast-querystring) on a well-formed query: `+` is
 * a space, repeated keys make an array. They differ on bad escapes and a leading `?`: left to fastify.
 */
function parseQuery(qs: string): Record<string, string | string[]> | undefined {
  if (qs.startsWith('?')) return undefined;
  if (qs.includes('%')) {
    try {
      decodeURIComponent(qs);
    } catch {
      return undefined;
    }
  }
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(qs)) {
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[key] = [seen, value];
  }
  return query;
}

/** fastify answers a content type it cannot parse with 415, which the error handler makes a 400. */
const MEDIA_TYPE = /^[\t ]*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+[\t ]*(?:;|$)/;
const fastifyAcceptsContentType = (type: string | undefined) => type === undefined || MEDIA_TYPE.test(type);
