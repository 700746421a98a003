/**
 * API Gateway: REST APIs (control plane and the execute-api front door that invokes functions), HTTP
 * APIs served by their front door, and WebSocket APIs, whose connections are held on this node.
 */
import { logGroupAccessLog } from '../services/apigateway/gateway/access-log.js';
import { DomainNames } from '../services/apigateway/domains/domain-names.js';
import { domainRouter } from '../services/apigateway/domains/routing.js';
import { createApiGatewaySystem } from '../services/apigateway/system.js';
import { ApiGatewayV2Service } from '../services/apigatewayv2/api-service.js';
import { HttpApiDoor } from '../services/apigatewayv2/http/http-api-door.js';
import { createWebSocketApis, nodeName } from '../services/apigatewayv2/websocket/system.js';
import type { ApiGatewayRepo } from '../storage/apigateway-repo.js';
import type { ApiGatewayV2Store } from '../storage/apigatewayv2-repo.js';
import { CachedDocumentRepo } from '../storage/cached-document-repo.js';
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
  // Every execute-api request asks the REST APIs first (do they own the id, at that stage?), then the HTTP
  // and WebSocket APIs, which read their API and stage: all from memory, written through, read again after 10 s.
  const cached = { now: () => clock.monotonic() };
  const restRepo: ApiGatewayRepo = { ...store.apigateway, restApis: new CachedDocumentRepo(store.apigateway.restApis, cached), stages: new CachedDocumentRepo(store.apigateway.stages, cached) };
  const apigateway = createApiGatewaySystem({ repo: restRepo, invoker, clock: overrides.apigatewayClock ?? clock, logger, account, authenticator, accessLog: logGroupAccessLog(filteredLogs) });
  const v2Store: ApiGatewayV2Store = { ...store.apigatewayv2, apis: new CachedDocumentRepo(store.apigatewayv2.apis, cached), stages: new CachedDocumentRepo(store.apigatewayv2.stages, cached) };
  const apigatewayv2 = new ApiGatewayV2Service(v2Store, clock);
  const httpApis = new HttpApiDoor({ store: v2Store, invoker, authenticator, clock, logger, account, logs: filteredLogs });
  // Functions call WebSocket connections back on the listen port (TLS if any).
  const webSockets = createWebSocketApis({ store: v2Store, invoker, authenticator, clock: overrides.apigatewayClock ?? clock, logger, account, callbackDomain: (apiId) => `${apiId}.execute-api.localhost:${addresses.callbackPort}`, nodeId: nodeName(config.dataDir) });
  // Custom domain names (v1 and v2 share them): read on every request that may be on one, so cached as the APIs are.
  const domainNames = new DomainNames({
    repo: new CachedDocumentRepo(store.apigateway.domainNames, cached),
    clock,
    region: config.region,
    targets: {
      apiExists: async (apiId, kinds) => (await apigateway.apis.exists(apiId)) || (kinds === 'any' && (await v2Store.apis.get(apiId)) !== undefined),
      stageExists: async (apiId, stage) => (await apigateway.stages.findStage(apiId, stage)) !== undefined || (await v2Store.stages.get(`${apiId}/${stage}`)) !== undefined,
    },
  });
  return { apigateway, apigatewayv2, httpApis, webSockets, domainNames, domainRouter: domainRouter(domainNames) };
}
