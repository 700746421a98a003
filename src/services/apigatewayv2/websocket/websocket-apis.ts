/**
 * WebSocket APIs' connections: the handshake (the stage, the $connect route, which may refuse it),
 * messages routed by the API's RouteSelectionExpression to their integrations (with route responses
 * sent back), and $disconnect once the socket is gone, whoever closed it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { refuseUpgrade } from '../../../api/front-door.js';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { Account } from '../../../wire/arn.js';
import { Deployments } from '../http/deployed.js';
import { newApiRequestId } from '../http/request.js';
import type { ApiRecord } from '../records.js';
import { WsConnection } from './connection.js';
import { FrameScanner } from './frame-limit.js';
import { authorizeConnect } from './connect-authorizer.js';
import { connectEvent, disconnectEvent, messageEvent, type ConnectionFacts } from './events.js';
import { invokeRoute, WsDeployments, type DeployedWsApi } from './integration.js';
import type { ConnectionRegistry } from './registry.js';
import { selectRoute } from './route-selection.js';

/** A message may be 128 KB (in frames of 32 KB at most); a bigger one closes the connection with 1009, as API Gateway does. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface WebSocketApisDeps {
  store: ApiGatewayV2Store;
  invoker: Invoker;
  clock: Clock;
  logger: Logger;
  account: Account;
  registry: ConnectionRegistry;
  nodeId: string;
  /** Verifies SigV4 on handshakes of AWS_IAM $connect routes. */
  authenticator: Authenticator;
  /** The name functions call back for this API (`https://${domainName}/${stage}`). */
  callbackDomain(apiId: string): string;
}

/** Where a handshake goes: the API, and the path after its id (the stage). */
export interface UpgradeTarget {
  api: ApiRecord;
  path: string;
  query: string;
  /** The custom domain name the client connected through: the events' `domainName` (and Host), as on API Gateway. */
  domainName?: string;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };
const AUTH_MESSAGES = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal server error' } as const;

export class WebSocketApis {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  private readonly stages: Deployments;
  private readonly deployments: WsDeployments;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly d: WebSocketApisDeps) {
    this.stages = new Deployments(d.store);
    this.deployments = new WsDeployments(d.store);
  }

  async handshake(req: IncomingMessage, socket: Duplex, head: Buffer, t: UpgradeTarget): Promise<void> {
    if (!isHandshake(req)) return refuse(socket, 400, { message: 'Bad Request' });
    const selected = t.api.disableExecuteApiEndpoint ? undefined : await this.stages.selectStage(t.api.apiId, t.path);
    const deployed = selected?.stage.deploymentId && selected.routePath === '/' ? await this.deployments.deployed(t.api.apiId, selected.stage.deploymentId) : undefined;
    if (!selected || !deployed) return refuse(socket, 403, { message: 'Forbidden' });
    const stage = selected.stage;
    const facts: ConnectionFacts = {
      connectionId: newApiRequestId(),
      apiId: t.api.apiId,
      stage: stage.stageName,
      connectedAt: this.d.clock.now(),
      domainName: t.domainName ?? this.d.callbackDomain(t.api.apiId),
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: String(req.headers['user-agent'] ?? ''),
      stageVariables: stage.stageVariables,
    };
    const route = deployed.routes.get('$connect');
    const handshake = { rawHeaders: req.rawHeaders, headers: req.headers, query: t.query };
    if (route?.authorizationType === 'AWS_IAM' && !(await this.signedByCaller(req))) return refuse(socket, 403, { message: 'Forbidden' });
    if (route?.authorizationType === 'CUSTOM') {
      const authorizer = route.authorizerId === undefined ? undefined : deployed.authorizers.get(route.authorizerId);
      const auth = authorizer ? await this.track(authorizeConnect(this.d, authorizer, facts, handshake)) : ({ ok: false, status: 500 } as const);
      if (!auth.ok) return refuse(socket, auth.status, { message: AUTH_MESSAGES[auth.status] });
      facts.authorizer = auth.context;
    }
    if (route) {
      const out = await this.track(invokeRoute(this.d, deployed, route, connectEvent(facts, handshake, facts.connectedAt), stage.stageVariables));
      if (out.kind !== 'ok') {
        this.d.logger.warn('WebSocket $connect failed', { apiId: t.api.apiId, connectionId: facts.connectionId, reason: out.kind === 'error' ? out.reason : 'timeout' });
        return refuse(socket, 500, { message: 'Internal server error' });
      }
      if (out.statusCode !== undefined && (out.statusCode < 200 || out.statusCode > 299)) return refuse(socket, 403, { message: 'Forbidden' });
    }
    if (socket.destroyed) return;
    const record = {
      connectionId: facts.connectionId,
      apiId: facts.apiId,
      stage: facts.stage,
      connectedAt: facts.connectedAt,
      sourceIp: facts.sourceIp,
      userAgent: facts.userAgent,
      nodeId: this.d.nodeId,
    };
    await this.d.store.connections.create(facts.connectionId, record);
    // The client may have gone while $connect ran: then there is no connection to keep.
    if (socket.destroyed) {
      await this.d.store.connections.delete(facts.connectionId);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws, socket, facts, deployed, t.api.routeSelectionExpression));
  }

  /** AWS_IAM on $connect: the handshake is SigV4-signed for `execute-api` (headers or a presigned URL). */
  private async signedByCaller(req: IncomingMessage): Promise<boolean> {
    const raw = req.url ?? '/';
    if (typeof req.headers['authorization'] !== 'string' && !raw.includes('X-Amz-Signature=')) return false;
    const q = raw.indexOf('?');
    try {
      await this.d.authenticator.authenticate({ method: 'GET', path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: req.headers, body: Buffer.alloc(0) }, { service: 'execute-api' });
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets the connections this node held before it restarted: their sockets died with it. */
  async start(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await this.d.store.connections.list('', after, 500);
      for (const r of page) if (r.value.nodeId === this.d.nodeId) await this.d.store.connections.delete(r.value.connectionId);
      if (page.length < 500) return;
      after = page[page.length - 1]!.value.connectionId;
    }
  }

  /** Closes every connection (shutdown): each gets its close frame and its $disconnect. */
  async close(): Promise<void> {
    const open = this.d.registry.all();
    for (const c of open) c.close(1001, 'Going away');
    // A client that never answers the close frame is cut off after a moment.
    const cut = setTimeout(() => open.forEach((c) => c.terminate()), 2000);
    const deadline = Date.now() + 10_000;
    while ((this.d.registry.all().length > 0 || this.pending.size > 0) && Date.now() < deadline) {
      await Promise.race([...this.pending, new Promise((r) => setTimeout(r, 20))]);
    }
    clearTimeout(cut);
  }

  private opened(ws: WebSocket, socket: Duplex, facts: ConnectionFacts, api: DeployedWsApi, selection: string): void {
    const conn = new WsConnection(facts, ws, this.d.clock);
    this.d.registry.add(conn);
    // Before ws reads them: a frame over 32 KB closes the connection, and its message goes nowhere.
    const frames = new FrameScanner();
    socket.prependListener('data', (chunk: Buffer) => {
      if (conn.isOpen && frames.push(chunk)) conn.close(1009, 'Frame size too large');
    });
    ws.on('message', (data, isBinary) => {
      if (!Buffer.isBuffer(data)) return; // binaryType stays 'nodebuffer': anything else is not a client frame
      this.spawn(this.message(conn, api, selection, data, isBinary));
    });
    // An oversized message: ws has already sent close 1009; 'close' follows.
    ws.on('error', (err) => this.d.logger.debug('WebSocket connection error', { connectionId: facts.connectionId, error: err.message }));
    ws.on('close', (code, reason) => this.spawn(this.gone(conn, api, code, reason.toString('utf8'))));
  }

  private async message(conn: WsConnection, api: DeployedWsApi, selection: string, data: Buffer, binary: boolean): Promise<void> {
    if (!conn.isOpen) return;
    conn.touch();
    const requestId = newApiRequestId();
    const f = conn.facts;
    const key = selectRoute(selection, binary ? undefined : data.toString('utf8'), new Set(api.routes.keys()));
    const route = key === undefined ? undefined : api.routes.get(key);
    const reply = (message: string) => conn.send(JSON.stringify({ message, connectionId: f.connectionId, requestId })).catch(() => undefined);
    if (!route) return reply('Forbidden');
    const out = await invokeRoute(this.d, api, route, messageEvent(f, route.routeKey, data, binary, newApiRequestId(), this.d.clock.now(), requestId), f.stageVariables);
    if (out.kind === 'timeout') return reply('Endpoint request timed out');
    if (out.kind === 'error') {
      this.d.logger.warn('WebSocket route failed', { apiId: f.apiId, routeKey: route.routeKey, reason: out.reason });
      return reply('Internal server error');
    }
    // A two-way route (RouteResponseSelectionExpression `$default`) sends the integration's body back.
    if (route.routeResponseSelectionExpression === '$default' && out.body !== undefined && conn.isOpen) {
      await conn.send(out.isBase64Encoded ? Buffer.from(out.body, 'base64') : out.body, out.isBase64Encoded).catch(() => undefined);
    }
  }

  private async gone(conn: WsConnection, api: DeployedWsApi, code: number, reason: string): Promise<void> {
    if (!conn.closed()) return;
    const f = conn.facts;
    this.d.registry.remove(f.connectionId);
    await this.d.store.connections.delete(f.connectionId);
    const route = api.routes.get('$disconnect');
    if (!route) return;
    const out = await invokeRoute(this.d, api, route, disconnectEvent(f, code, reason, this.d.clock.now()), f.stageVariables);
    if (out.kind !== 'ok') this.d.logger.warn('WebSocket $disconnect failed', { apiId: f.apiId, connectionId: f.connectionId, reason: out.kind === 'error' ? out.reason : 'timeout' });
  }

  /** Work the shutdown waits for. */
  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  private spawn(p: Promise<unknown>): void {
    this.track(p).catch((err: unknown) => this.d.logger.error('WebSocket API failure', { error: (err as Error)?.stack ?? String(err) }));
  }
}

function isHandshake(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    /^[+/0-9A-Za-z]{22}==$/.test(String(req.headers['sec-websocket-key'] ?? '')) &&
    req.headers['sec-websocket-version'] === '13'
  );
}

/** Answers the handshake with an HTTP error, as API Gateway refuses a connection, and hangs up. */
function refuse(socket: Duplex, status: number, body: unknown): void {
  refuseUpgrade(socket, status, STATUS_TEXT[status] ?? 'Error', JSON.stringify(body));
}
