/** API Gateway V2's repos on Postgres: one document table per kind (see document-repo.ts). */
import type { Db } from './db.js';
import { ApiRecordSchema, AuthorizerRecordSchema, DeploymentRecordSchema, IntegrationRecordSchema, RouteRecordSchema, StageRecordSchema } from '../../services/apigatewayv2/records.js';
import { ConnectionRecordSchema } from '../../services/apigatewayv2/websocket/connection-record.js';
import type { ApiGatewayV2Store } from '../apigatewayv2-repo.js';
import { PostgresDocumentRepo } from './document-repo.js';

export const postgresApiGatewayV2Store = (db: Db): ApiGatewayV2Store => ({
  apis: new PostgresDocumentRepo(db, 'apigwv2_apis', ApiRecordSchema),
  routes: new PostgresDocumentRepo(db, 'apigwv2_routes', RouteRecordSchema),
  integrations: new PostgresDocumentRepo(db, 'apigwv2_integrations', IntegrationRecordSchema),
  authorizers: new PostgresDocumentRepo(db, 'apigwv2_authorizers', AuthorizerRecordSchema),
  stages: new PostgresDocumentRepo(db, 'apigwv2_stages', StageRecordSchema),
  deployments: new PostgresDocumentRepo(db, 'apigwv2_deployments', DeploymentRecordSchema),
  connections: new PostgresDocumentRepo(db, 'apigwv2_ws_connections', ConnectionRecordSchema),
});
