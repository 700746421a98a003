/** API Gateway V2's repos on Sqlite: one document table per kind (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { ApiRecordSchema, AuthorizerRecordSchema, DeploymentRecordSchema, IntegrationRecordSchema, RouteRecordSchema, StageRecordSchema } from '../../services/apigatewayv2/records.js';
import { ConnectionRecordSchema } from '../../services/apigatewayv2/websocket/connection-record.js';
import type { ApiGatewayV2Store } from '../apigatewayv2-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteApiGatewayV2Store = (db: Database.Database): ApiGatewayV2Store => ({
  apis: new SqliteDocumentRepo(db, 'apigwv2_apis', ApiRecordSchema),
  routes: new SqliteDocumentRepo(db, 'apigwv2_routes', RouteRecordSchema),
  integrations: new SqliteDocumentRepo(db, 'apigwv2_integrations', IntegrationRecordSchema),
  authorizers: new SqliteDocumentRepo(db, 'apigwv2_authorizers', AuthorizerRecordSchema),
  stages: new SqliteDocumentRepo(db, 'apigwv2_stages', StageRecordSchema),
  deployments: new SqliteDocumentRepo(db, 'apigwv2_deployments', DeploymentRecordSchema),
  connections: new SqliteDocumentRepo(db, 'apigwv2_ws_connections', ConnectionRecordSchema),
});
