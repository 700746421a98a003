/**
 * API Gateway V2's store: documents with compare-and-set (see DocumentRepo), one kind per repo. Keys:
 * APIs by id; every other resource by `<apiId>/<id>` (stages by name), so an API's resources list by prefix.
 * Implemented in ./sqlite/ and ./postgres/ on one table, tested by test/storage/apigatewayv2.test.ts.
 */
import type { ApiRecord, AuthorizerRecord, DeploymentRecord, IntegrationRecord, RouteRecord, StageRecord } from '../services/apigatewayv2/records.js';
import type { ConnectionRecord } from '../services/apigatewayv2/websocket/connection-record.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface ApiGatewayV2Store {
  readonly apis: DocumentRepo<ApiRecord>;
  readonly routes: DocumentRepo<RouteRecord>;
  readonly integrations: DocumentRepo<IntegrationRecord>;
  readonly authorizers: DocumentRepo<AuthorizerRecord>;
  readonly stages: DocumentRepo<StageRecord>;
  readonly deployments: DocumentRepo<DeploymentRecord>;
  /** WebSocket connections open now, by connection id. */
  readonly connections: DocumentRepo<ConnectionRecord>;
}
