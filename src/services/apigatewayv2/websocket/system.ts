/** WebSocket APIs' parts composed: the connections of this node, the data plane and @connections, on one front door. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceBinding } from '../../../api/service.js';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Authenticator } from '../../../security/authenticator.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { Account } from '../../../wire/arn.js';
import { ConnectionsService } from './connections-service.js';
import { ConnectionsApi, managementBinding } from './management.js';
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
  /** This node's name in connection records: the same across its restarts, so it can clear what it left. */
  nodeId: string;
}

export function createWebSocketApis(d: WebSocketSystemDeps): { apis: WebSocketApis; door: WebSocketApiDoor; binding: ServiceBinding } {
  const registry = new LocalConnectionRegistry();
  const nodeId = d.nodeId;
  const apis = new WebSocketApis({ ...d, registry });
  const service = new ConnectionsService(d.store, registry, nodeId);
  const connections = new ConnectionsApi(service, d.authenticator, d.logger);
  return { apis, door: new WebSocketApiDoor(d.store, apis, connections), binding: managementBinding(service) };
}

/** A node's stable name: its host and data directory (each node of a fleet keeps its own). */
export function nodeName(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${dataDir}`).digest('hex').slice(0, 16);
}
