/**
 * The @connections management API (apigatewaymanagementapi 2018-11-29, rest-json) on a WebSocket
 * API's own names, as the SDK calls it with `endpoint: https://<domainName>/<stage>`:
 * POST (PostToConnection), GET (GetConnection), DELETE (DeleteConnection) `/<stage>/@connections/<id>`,
 * signed for `execute-api`; and `managementBinding`, the same operations through the router on the
 * server's base address (`/@connections/<id>`, for a client configured by AWS_ENDPOINT_URL).
 */
import type { ServiceBinding } from '../../../api/service.js';
import type { Exchange } from '../../../api/exchange.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import { ApiGatewayManagementErrors, AwsError } from '../../../wire/errors.js';
import { apigatewaymanagementapiServiceModel } from '../../../wire/model.js';
import type { ConnectionInfo, ConnectionsService } from './connections-service.js';

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

/** GetConnection's answer: ISO 8601 times, as the model's `__timestampIso8601` members are written. */
const wireInfo = (c: ConnectionInfo) => {
  const t = (ms: number) => new Date(ms).toISOString();
  return { connectedAt: t(c.connectedAt), identity: { sourceIp: c.sourceIp, userAgent: c.userAgent }, lastActiveAt: t(c.lastActiveAt) };
};

export class ConnectionsApi {
  constructor(
    private readonly service: ConnectionsService,
    private readonly authenticator: Authenticator,
    private readonly logger: Logger,
  ) {}

  async serve(ex: Exchange, apiId: string, connectionId: string): Promise<void> {
    let status = 200;
    let body: unknown;
    let errorType: string | undefined;
    try {
      ({ status, body } = await this.answer(ex, apiId, connectionId));
    } catch (err) {
      if (err instanceof AwsError) {
        status = err.status;
        errorType = err.kind.name;
        body = { message: err.message === '' ? null : err.message };
      } else {
        this.logger.error('@connections request failed', { apiId, connectionId, error: (err as Error)?.stack ?? String(err) });
        status = 500;
        errorType = 'InternalServerErrorException';
        body = { message: 'Internal server error' };
      }
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    // Over its limit, the body may be partly unread: the connection cannot carry another request.
    ex.reply(status, headers, body === undefined ? '' : JSON.stringify(body), status === 413);
  }

  private async answer(ex: Exchange, apiId: string, connectionId: string): Promise<{ status: number; body?: unknown }> {
    const method = ex.method;
    let body: Buffer;
    try {
      body = await ex.body(MAX_POST_BYTES);
    } catch {
      throw ApiGatewayManagementErrors.payloadTooLarge('Message too long');
    }
    const raw = ex.url;
    const q = raw.indexOf('?');
    if (typeof ex.headers['authorization'] !== 'string' && !raw.includes('X-Amz-Signature=')) throw ApiGatewayManagementErrors.forbidden('Missing Authentication Token');
    try {
      await this.authenticator.authenticate({ method, path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: ex.headers, body }, { service: 'execute-api' });
    } catch (err) {
      throw ApiGatewayManagementErrors.forbidden((err as Error).message);
    }
    switch (method) {
      case 'POST':
        await this.service.post(connectionId, body, apiId);
        return { status: 200 };
      case 'GET':
        return { status: 200, body: wireInfo(await this.service.describe(connectionId, apiId)) };
      case 'DELETE':
        await this.service.close(connectionId, apiId);
        return { status: 204 };
      default:
        throw ApiGatewayManagementErrors.forbidden('Missing Authentication Token');
    }
  }
}

/** The same operations through the router, on the base address: connection ids are unique across APIs. */
export function managementBinding(service: ConnectionsService): ServiceBinding {
  return {
    models: [apigatewaymanagementapiServiceModel],
    handlers: {
      PostToConnection: async (i) => {
        const data = i['Data'];
        const bytes = Buffer.isBuffer(data) ? data : data instanceof Uint8Array ? Buffer.from(data) : Buffer.from(String(data ?? ''));
        if (bytes.length > MAX_POST_BYTES) throw ApiGatewayManagementErrors.payloadTooLarge('Message too long');
        await service.post(String(i['ConnectionId']), bytes);
        return {};
      },
      GetConnection: async (i) => {
        const c = wireInfo(await service.describe(String(i['ConnectionId'])));
        return { ConnectedAt: c.connectedAt, Identity: { SourceIp: c.identity.sourceIp, UserAgent: c.identity.userAgent }, LastActiveAt: c.lastActiveAt };
      },
      DeleteConnection: async (i) => {
        await service.close(String(i['ConnectionId']));
        return {};
      },
    },
  };
}
