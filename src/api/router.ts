/**
 * The one way into every AWS API. A request's protocol is told from what clients send: an
 * `X-Amz-Target` header is the JSON protocol; a method and path that a REST model routes is
 * REST-JSON; a form body (or a GET with `Action`) is the query protocol; `smithy-protocol: rpc-v2-cbor`
 * on a `.../service/S/operation/O` path is RPC v2 CBOR; anything else is an unknown REST route. Then one pipeline for all: read the body, find the operation, authenticate, decode,
 * run the handler, encode; every error in the protocol's own shape.
 * Invoke is the hot path: no per-request framework objects, the route found in one tree walk.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { credentialScope, SignatureRefused, type Authenticated, type Authenticator, type Principal } from '../security/authenticator.js';
import { AwsError, Errors, ProtocolErrors, signatureError } from '../wire/errors.js';
import type { ProtocolName, ServiceModel } from '../wire/model.js';
import { JsonProtocol } from '../wire/protocols/json.js';
import type { AwsRequest, Protocol, ResponseParts } from '../wire/protocols/protocol.js';
import { isQueryRequest, QueryProtocol } from '../wire/protocols/query.js';
import { RestJsonProtocol } from '../wire/protocols/rest-json.js';
import { RestXmlProtocol } from '../wire/protocols/rest-xml.js';
import { isRpcV2CborRequest, RpcV2CborProtocol } from '../wire/protocols/rpc-v2-cbor.js';
import type { RouteMatch } from '../wire/protocols/rest-routes.js';
import { isStoreUnreachable } from '../storage/unreachable.js';
import { FORWARDED_HEADER, FORWARDED_TO_HEADER, ForwardTo, type Forwarding } from '../fleet/forwarding.js';
import { readBody } from './request-body.js';
import { send } from './respond.js';
import { nodeExchange, type Exchange } from './exchange.js';
import type { BrowserRoutes, Input, OperationHandler, RequestContext, ServiceBinding } from './service.js';

/** A request for the one pipeline (every protocol but rest-xml's): its protocol, its REST route if found, and its target. */
export interface ServeRoute {
  kind: 'serve';
  protocol: Protocol;
  match: RouteMatch | undefined;
  target: Pick<AwsRequest, 'method' | 'path' | 'query'>;
}

type Route =
  | ServeRoute
  | { kind: 'browser'; target: Pick<AwsRequest, 'method' | 'path' | 'query'> }
  | { kind: 'rest-xml'; target: Pick<AwsRequest, 'method' | 'path' | 'query'>; signedPath: string };

/** Who calls an operation from inside the server: the server's own account, no keys. */
const INTERNAL_PRINCIPAL: Principal = { accessKeyId: undefined, sessionToken: undefined };

export interface RouterOptions {
  services: readonly ServiceBinding[];
  authenticator: Authenticator;
  logger: Logger;
  /** On a node of a fleet: requests forwarded by peers are recognised, and handlers may forward theirs. */
  forwarding?: Forwarding;
}

export class AwsRouter {
  private readonly restJson: RestJsonProtocol;
  private readonly json: JsonProtocol;
  private readonly query: QueryProtocol;
  private readonly restXml: RestXmlProtocol;
  private readonly cbor: RpcV2CborProtocol;
  private readonly handlers = new Map<ServiceModel, Readonly<Record<string, OperationHandler>>>();
  /** Handlers by the service's endpoint prefix (`sqs`, `lambda`...), for calls from inside the server. */
  private readonly byPrefix = new Map<string, Readonly<Record<string, OperationHandler>>>();
  /** The models those handlers serve, by the same keys: a call's input is checked against its operation's. */
  private readonly modelsByPrefix = new Map<string, readonly ServiceModel[]>();
  /** The rest-xml service's browser requests (S3's CORS preflights and form uploads). */
  private readonly browser: BrowserRoutes | undefined;
  /** Set when the server begins to close: requests still arriving get 503 and their connection closed. */
  closing = false;

  constructor(private readonly opts: RouterOptions) {
    const byProtocol: Record<ProtocolName, ServiceModel[]> = { 'rest-json': [], json: [], query: [], 'rest-xml': [], 'smithy-rpc-v2-cbor': [] };
    for (const service of opts.services) {
      for (const model of service.models) {
        const protocol = model.metadata.protocol as ProtocolName;
        if (!byProtocol[protocol]) throw new Error(`no protocol module serves ${protocol} (${model.metadata.endpointPrefix})`);
        byProtocol[protocol].push(model);
        this.handlers.set(model, service.handlers);
        // By endpoint prefix (`sqs`), and by the model's own name where two share a prefix (`apigatewayv2`).
        const uid = (model.metadata as { uid?: string }).uid?.replace(/-\d{4}-\d{2}-\d{2}$/, '');
        for (const key of [model.metadata.endpointPrefix, uid]) {
          if (key === undefined || this.byPrefix.has(key)) continue;
          this.byPrefix.set(key, service.handlers);
          this.modelsByPrefix.set(key, service.models);
        }
      }
    }
    this.browser = opts.services.find((s) => s.browser && s.models.some((m) => m.metadata.protocol === 'rest-xml'))?.browser;
    this.restJson = new RestJsonProtocol(byProtocol['rest-json']);
    this.json = new JsonProtocol(byProtocol.json);
    this.query = new QueryProtocol(byProtocol.query);
    this.restXml = new RestXmlProtocol(byProtocol['rest-xml']);
    this.cbor = new RpcV2CborProtocol(byProtocol['smithy-rpc-v2-cbor']);
  }

  /**
   * An operation called from inside the server (CloudFormation's resource providers): the same
   * handler a client reaches, with its input already in the handler's shape, and no signature. The
   * input is checked against the operation's model as a client's is, and refused with the same error.
   */
  async call(endpointPrefix: string, operation: string, input: Input, ctx: Partial<RequestContext> = {}): Promise<Input> {
    const handler = this.byPrefix.get(endpointPrefix)?.[operation];
    if (!handler) throw ProtocolErrors.notImplemented(operation);
    const model = this.modelsByPrefix.get(endpointPrefix)?.find((m) => Object.hasOwn(m.operations, operation));
    if (model) this.protocolOf(model).check(model, model.operations[operation]!, input);
    return handler(input, { requestId: ctx.requestId ?? newRequestId(), principal: ctx.principal ?? INTERNAL_PRINCIPAL, runHere: true, ...(ctx.traceHeader ? { traceHeader: ctx.traceHeader } : {}) });
  }

  private protocolOf(model: ServiceModel): Protocol {
    const byName: Record<ProtocolName, Protocol> = { 'rest-json': this.restJson, json: this.json, query: this.query, 'rest-xml': this.restXml, 'smithy-rpc-v2-cbor': this.cbor };
    return byName[model.metadata.protocol as ProtocolName];
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const route = this.route(method, url, req.headers);
    const failed = (err: unknown) => {
      this.opts.logger.error('request failed', { error: (err as Error)?.stack ?? String(err) });
      res.destroy();
    };
    if (route.kind === 'browser') this.serveBrowser(this.browser!, req, res, route.target).catch(failed);
    else if (route.kind === 'rest-xml') this.serveRestXml(req, res, route.target, route.signedPath).catch(failed);
    else this.serve(route, nodeExchange(req, res)).catch(failed);
  }

  /**
   * The route of a request the lean HTTP/1.1 lane read, when the pipeline below serves it (every
   * protocol but rest-xml's, whose bodies stream); undefined leaves the request to node:http.
   */
  laneRoute(method: string, url: string, headers: IncomingHttpHeaders): ServeRoute | undefined {
    const route = this.route(method, url, headers);
    return route.kind === 'serve' ? route : undefined;
  }

  /** Serves a request the lean lane read, on the route laneRoute gave. */
  serveExchange(route: ServeRoute, exchange: Exchange): void {
    this.serve(route, exchange).catch((err: unknown) => {
      this.opts.logger.error('request failed', { error: (err as Error)?.stack ?? String(err) });
      exchange.abort();
    });
  }

  /** Where a request goes, told from its head alone. */
  private route(method: string, url: string, headers: IncomingHttpHeaders): Route {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    // Read once: the signature's scope in the Authorization header names the service the client signed for.
    const signedFor = credentialScope(headers)?.service;
    // A preflight goes to the URL the page will call, a presigned one's query included; a form upload is never signed itself.
    const unsigned = () => signedFor === undefined && (!query.includes('X-Amz-Credential=') || credentialScope(headers, query) === undefined);
    if (this.browser && (method === 'OPTIONS' || unsigned()) && this.browser.claims(method, this.restXml.pathOf(headers, path), headers)) {
      return { kind: 'browser', target: { method, path: this.restXml.pathOf(headers, path), query } };
    }
    if (this.restXml.claims(headers, signedFor, query)) {
      return { kind: 'rest-xml', target: { method, path: this.restXml.pathOf(headers, path), query }, signedPath: path };
    }
    let protocol: Protocol = this.restJson;
    let match: RouteMatch | undefined;
    if (typeof headers['x-amz-target'] === 'string') protocol = this.json;
    else if (isRpcV2CborRequest(method, path, headers['smithy-protocol'])) protocol = this.cbor;
    else if ((match = this.restJson.match(method, path, signedFor)) === undefined && isQueryRequest(method, headers['content-type'], query)) protocol = this.query;
    return { kind: 'serve', protocol, match, target: { method, path, query } };
  }

  private async serve(route: ServeRoute, ex: Exchange): Promise<void> {
    const { protocol, match, target } = route;
    const fromPeer = this.opts.forwarding?.trusted(ex.headers[FORWARDED_HEADER]);
    const requestId = fromPeer ?? newRequestId();
    if (this.closing) return ex.send(requestId, protocol.error(ProtocolErrors.serviceUnavailable(), undefined, requestId), true);
    let body: Buffer;
    try {
      body = await ex.body();
    } catch (err) {
      // The rest of the body may still be coming: this connection cannot carry another request.
      return ex.send(requestId, protocol.error(this.known(err, undefined), undefined, requestId), true);
    }
    const signingService = protocol === this.query ? credentialScope(ex.headers, target.query)?.service : undefined;
    // Field by field, not `{ ...target, … }`: on Node.js 20 every object that a spread begins and more properties follow gets a hidden class of its own.
    const request: AwsRequest = { method: target.method, path: target.path, query: target.query, headers: ex.headers, body, signingService };
    const resolved = match !== undefined ? this.restJson.resolveMatch(request, match) : protocol.resolve(request);
    // The caller first, even for an operation that does not exist: a stranger learns nothing of the API.
    let principal: Principal;
    try {
      principal = await this.authenticate(protocol, request);
    } catch (err) {
      const model = 'error' in resolved ? resolved.model : resolved.call.model;
      return ex.send(requestId, protocol.error(this.known(err, model), model, requestId), this.closing);
    }
    if ('error' in resolved) return ex.send(requestId, protocol.error(resolved.error, resolved.model, requestId), this.closing);
    const { model, operation } = resolved.call;
    try {
      const handler = this.handlers.get(model)?.[operation.name];
      if (!handler) throw ProtocolErrors.notImplemented(operation.name);
      const trace = ex.headers['x-amzn-trace-id'];
      const ctx: RequestContext = { requestId, principal, ...(typeof trace === 'string' ? { traceHeader: trace } : {}) };
      if (fromPeer !== undefined) ctx.runHere = true;
      const output = await handler(resolved.call.input(), ctx);
      if (output instanceof ForwardTo) return await this.relay(output, { method: target.method, url: ex.url, headers: ex.headers, body }, requestId, ex);
      ex.send(requestId, protocol.encode(resolved.call, output, requestId), this.closing);
    } catch (err) {
      ex.send(requestId, protocol.error(this.known(err, model), model, requestId), this.closing);
    }
  }

  /** Sends the request to the node a handler chose and gives its answer back as it came, its body as it arrives. */
  private async relay(to: ForwardTo, request: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }, requestId: string, ex: Exchange): Promise<void> {
    const answer = await this.opts.forwarding!.send(to.node, request, requestId);
    if (ex.gone) return void answer.body.destroy();
    await ex.relay(answer.status, { ...answer.headers, [FORWARDED_TO_HEADER]: to.node.id }, answer.body, this.closing);
  }

  /**
   * The same pipeline for rest-xml (S3), in the order its streamed bodies need: the operation is found
   * from the request's head, and an operation that streams its input gets the request unread. The
   * signature is checked over the path as sent (`signedPath`), not the bucket-first path routes use.
   */
  private async serveRestXml(req: IncomingMessage, res: ServerResponse, target: Pick<AwsRequest, 'method' | 'path' | 'query'>, signedPath: string): Promise<void> {
    const protocol = this.restXml;
    const requestId = newRequestId();
    if (this.closing) return send(res, requestId, protocol.error(ProtocolErrors.serviceUnavailable(), undefined, requestId), true);
    const head: AwsRequest = { ...target, headers: req.headers, body: Buffer.alloc(0), signingService: 's3' };
    const resolved = protocol.resolve(head);
    if ('error' in resolved) return send(res, requestId, protocol.error(resolved.error, resolved.model, requestId), true);
    const { model, operation } = resolved.call;
    let request = head;
    if (protocol.streamsInput(model, operation)) request = { ...head, stream: req };
    else {
      try {
        request = { ...head, body: await readBody(req) };
      } catch (err) {
        return send(res, requestId, protocol.error(this.known(err, model), model, requestId), true);
      }
    }
    let principal: Principal;
    try {
      const { stream, ...caller } = await this.authenticate(protocol, { ...request, path: signedPath });
      principal = caller;
      // A streamed body is read through the check of the hash it was signed with, when one was.
      if (stream) request = { ...request, stream };
    } catch (err) {
      return send(res, requestId, protocol.error(this.known(err, model), model, requestId), true);
    }
    const call = protocol.resolve(request);
    if ('error' in call) return send(res, requestId, protocol.error(call.error, call.model, requestId), true);
    const cors = async (parts: ResponseParts): Promise<ResponseParts> => {
      if (req.headers.origin === undefined || !this.browser) return parts;
      const headers = await this.browser.crossOrigin(target.method, target.path, req.headers).catch(() => ({}));
      return { ...parts, headers: { ...parts.headers, ...headers } };
    };
    try {
      const handler = this.handlers.get(model)?.[operation.name];
      if (!handler) throw ProtocolErrors.notImplemented(operation.name);
      const output = await handler(call.call.input(), { requestId, principal });
      send(res, requestId, await cors(protocol.encode(call.call, output, requestId)), this.closing);
    } catch (err) {
      // A streamed body the handler did not read to its end leaves the connection unusable.
      send(res, requestId, await cors(protocol.error(this.known(err, model), model, requestId)), this.closing || !req.readableEnded);
    }
  }

  /** A browser's request outside the model (a CORS preflight, a form upload), its errors in rest-xml's shape. */
  private async serveBrowser(browser: BrowserRoutes, req: IncomingMessage, res: ServerResponse, target: Pick<AwsRequest, 'method' | 'path' | 'query'>): Promise<void> {
    const requestId = newRequestId();
    if (this.closing) return send(res, requestId, this.restXml.error(ProtocolErrors.serviceUnavailable(), undefined, requestId), true);
    let parts;
    try {
      parts = await browser.serve(req, target, requestId);
    } catch (err) {
      parts = this.restXml.error(this.known(err, undefined), undefined, requestId);
    }
    const cors = req.headers.origin !== undefined && target.method !== 'OPTIONS' ? await browser.crossOrigin(target.method, target.path, req.headers).catch(() => ({})) : {};
    send(res, requestId, { ...parts, headers: { ...parts.headers, ...cors } }, this.closing || !req.readableEnded);
  }

  /** The caller, or the protocol's own error for a signature that does not hold. */
  private async authenticate(protocol: Protocol, request: AwsRequest): Promise<Authenticated> {
    try {
      return await this.opts.authenticator.authenticate(request);
    } catch (err) {
      if (!(err instanceof SignatureRefused)) throw err;
      // RPC v2 CBOR services are JSON services first (CloudWatch): they refuse signatures alike.
      const name =
        protocol === this.query ? 'query' : protocol === this.json || protocol === this.cbor ? 'json' : protocol === this.restXml ? 'rest-xml' : 'rest-json';
      throw signatureError(name, err.problem, err.message);
    }
  }

  /** An AwsError as it is; anything else is logged and becomes the service's internal error. */
  private known(err: unknown, model: ServiceModel | undefined): AwsError {
    if (err instanceof AwsError) return err;
    if (isStoreUnreachable(err)) {
      this.opts.logger.warn('store unreachable', { error: (err as Error).message });
      return ProtocolErrors.storeUnreachable();
    }
    this.opts.logger.error('unexpected error', { error: (err as Error)?.stack ?? String(err) });
    return model?.shapes[Errors.service.kind.name]?.exception ? Errors.service() : ProtocolErrors.internalFailure();
  }
}
