/**
 * The @connections management API (apigatewaymanagementapi 2018-11-29, rest-json) on a WebSocket
 * API's own names, as the SDK calls it with `endpoint: https://<domainName>/<stage>`:
 * POST (PostToConnection), GET (GetConnection), DELETE (DeleteConnection) `/<stage>/@connections/<id>`,
 * signed for `execute-api`. A connection whose socket another node holds is answered from its
 * stored record where that suffices (GetConnection); writing to it waits for the fleet's routing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../../api/request-body.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { ConnectionRegistry } from './registry.js';

/** PostToConnection's Data: at most 128 KB, as the model's `max` says. */
export const MAX_POST_BYTES = 128 * 1024;

const CONNECTIONS_PATH = /^(?:\/[^/]+)?\/@connections\/([^/]+)\/?$/;

/** The connection id a management path names, or undefined when the path is not one. */
export function managementTarget(path: string): string | undefined {
  const m = CONNECTIONS_PATH.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

export interface ManagementDeps {
  store: ApiGatewayV2Store;
  registry: ConnectionRegistry;
  authenticator: Authenticator;
  logger: Logger;
  nodeId: string;
}

type Answer = { status: number; body?: unknown; errorType?: string };

const gone = (): Answer => ({ status: 410, errorType: 'GoneException', body: { message: null } });
const forbidden = (message: string): Answer => ({ status: 403, errorType: 'ForbiddenException', body: { message } });

export class ConnectionsApi {
  constructor(private readonly d: ManagementDeps) {}

  async serve(req: IncomingMessage, res: ServerResponse, apiId: string, connectionId: string): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.answer(req, apiId, connectionId);
    } catch (err) {
      this.d.logger.error('@connections request failed', { apiId, connectionId, error: (err as Error)?.stack ?? String(err) });
      answer = { status: 500, errorType: 'InternalServerErrorException', body: { message: 'Internal server error' } };
    }
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
    });
    res.end(body);
  }

  private async answer(req: IncomingMessage, apiId: string, connectionId: string): Promise<Answer> {
    const method = req.method ?? 'GET';
    let body: Buffer;
    try {
      body = await readBody(req, MAX_POST_BYTES);
    } catch {
      return { status: 413, errorType: 'PayloadTooLargeException', body: { message: 'Message too long' } };
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    if (typeof req.headers['authorization'] !== 'string' && !raw.includes('X-Amz-Signature=')) return forbidden('Missing Authentication Token');
    try {
      await this.d.authenticator.authenticate({ method, path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: req.headers, body }, { service: 'execute-api' });
    } catch (err) {
      return forbidden((err as Error).message);
    }
    const live = this.d.registry.get(connectionId);
    const record = live ? undefined : (await this.d.store.connections.get(connectionId))?.value;
    if (!live && record && record.nodeId === this.d.nodeId) {
      // Left by this node before it restarted: its socket is gone.
      await this.d.store.connections.delete(connectionId);
      return gone();
    }
    if (live ? live.facts.apiId !== apiId || !live.isOpen : !record || record.apiId !== apiId) return gone();
    switch (method) {
      case 'POST':
        if (!live) return gone();
        try {
          await live.send(body);
        } catch {
          return gone();
        }
        return { status: 200 };
      case 'GET': {
        const connectedAt = live ? live.facts.connectedAt : record!.connectedAt;
        const lastActiveAt = live ? live.lastActiveAt : record!.connectedAt;
        const identity = live ? { sourceIp: live.facts.sourceIp, userAgent: live.facts.userAgent } : { sourceIp: record!.sourceIp, userAgent: record!.userAgent };
        return { status: 200, body: { connectedAt: new Date(connectedAt).toISOString(), identity, lastActiveAt: new Date(lastActiveAt).toISOString() } };
      }
      case 'DELETE':
        if (!live) return gone();
        live.close(1000, 'Connection closed');
        return { status: 204 };
      default:
        return forbidden('Missing Authentication Token');
    }
  }
}
