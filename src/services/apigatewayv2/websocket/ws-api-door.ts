/**
 * WebSocket APIs' front door on the execute-api names: handshakes (HTTP upgrades) open connections,
 * and plain requests are the @connections management API. Other doors' APIs are not its own.
 */
import type { IncomingMessage } from 'node:http';
import type { Exchange } from '../../../api/exchange.js';
import type { Duplex } from 'node:stream';
import type { FrontDoor, FrontDoorTarget } from '../../../api/front-door.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { ConnectionsApi } from './management.js';
import { managementTarget } from './management.js';
import type { WebSocketApis } from './websocket-apis.js';

export class WebSocketApiDoor implements FrontDoor {
  readonly kind = 'execute-api' as const;

  constructor(
    private readonly store: ApiGatewayV2Store,
    private readonly apis: WebSocketApis,
    private readonly connections: ConnectionsApi,
  ) {}

  async serve(ex: Exchange, target: FrontDoorTarget): Promise<boolean> {
    const api = (await this.store.apis.get(target.id))?.value;
    if (!api || api.protocolType !== 'WEBSOCKET') return false;
    const connectionId = managementTarget(target.path);
    if (connectionId !== undefined) {
      await this.connections.serve(ex, api.apiId, connectionId);
      return true;
    }
    // A WebSocket API answers plain HTTP requests as it answers a refused handshake.
    ex.skipBody();
    ex.reply(403, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Forbidden' }), false);
    return true;
  }

  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: FrontDoorTarget): Promise<boolean> {
    const api = (await this.store.apis.get(target.id))?.value;
    if (!api || api.protocolType !== 'WEBSOCKET') return false;
    await this.apis.handshake(req, socket, head, { api, path: target.path, query: target.query, ...(target.domain ? { domainName: target.domain.name } : {}) });
    return true;
  }
}
