/** WebSocket APIs' parts composed: the connections of this node, the data plane and @connections, on one front door. */
import { randomUUID } from 'node:crypto';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { Account } from '../../../wire/arn.js';
import { ConnectionsApi } from './management.js';
import { LocalConnectionRegistry } from './registry.js';
import { WebSocketApis } from './websocket-apis.js';
import { WebSocketApiDoor } from './ws-api-door.js';

export interface WebSocketSystemDeps {
  store: ApiGatewayV2Store;
  invoker: Invoker;
  authenticator: Authenticator;
  clock: Clock;
  logger: Logger;
  account: Account;
  callbackDomain(apiId: string): string;
}

export function createWebSocketApis(d: WebSocketSystemDeps): { apis: WebSocketApis; door: WebSocketApiDoor } {
  const registry = new LocalConnectionRegistry();
  const nodeId = randomUUID();
  const apis = new WebSocketApis({ ...d, registry, nodeId });
  const connections = new ConnectionsApi({ store: d.store, registry, authenticator: d.authenticator, logger: d.logger, nodeId });
  return { apis, door: new WebSocketApiDoor(d.store, apis, connections) };
}
