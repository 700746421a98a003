/**
 * API Gateway: REST APIs (control plane and the execute-api front door that invokes functions), HTTP
 * APIs served by their front door, and WebSocket APIs, whose connections are held on this node.
 */
import { logGroupAccessLog } from '../services/apigateway/gateway/access-log.js';
import { createApiGatewaySystem } from '../services/apigateway/system.js';
import { ApiGatewayV2Service } from '../services/apigatewayv2/api-service.js';
import { HttpApiDoor } from '../services/apigatewayv2/http/http-api-door.js';
import { createWebSocketApis, nodeName } from '../services/apigatewayv2/websocket/system.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Logs } from './logs.js';
import type { PlatformOverrides } from './overrides.js';

export type Gateways = ReturnType<typeof createGateways>;

export function createGateways(
  { config, store, clock, logger, account, authenticator, addresses }: Foundation,
  { filteredLogs }: Logs,
  { invoker }: Invocation,
  overrides: PlatformOverrides,
) {
  const apigateway = createApiGatewaySystem({ repo: store.apigateway, invoker, clock: overrides.apigatewayClock ?? clock, logger, account, authenticator, accessLog: logGroupAccessLog(filteredLogs) });
  const apigatewayv2 = new ApiGatewayV2Service(store.apigatewayv2, clock);
  const httpApis = new HttpApiDoor({ store: store.apigatewayv2, invoker, authenticator, clock, logger, account, logs: filteredLogs });
  // Functions call WebSocket connections back on the listen port (TLS if any).
  const webSockets = createWebSocketApis({ store: store.apigatewayv2, invoker, authenticator, clock: overrides.apigatewayClock ?? clock, logger, account, callbackDomain: (apiId) => `${apiId}.execute-api.localhost:${addresses.callbackPort}`, nodeId: nodeName(config.dataDir) });
  return { apigateway, apigatewayv2, httpApis, webSockets };
}
