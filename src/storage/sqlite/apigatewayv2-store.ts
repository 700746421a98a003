/** API Gateway V2's repos on Sqlite: one document table per kind (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { ApiRecordSchema, AuthorizerRecordSchema, DeploymentRecordSchema, IntegrationRecordSchema, RouteRecordSchema, StageRecordSchema } from '../../services/apigatewayv2/records.js';
import type { ApiGatewayV2Store } from '../apigatewayv2-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteApiGatewayV2Store = (db: Database.Database): ApiGatewayV2Store => ({
  apis: new SqliteDocumentRepo(db, 'apigw_apis', ApiRecordSchema),
  routes: new SqliteDocumentRepo(db, 'apigw_routes', RouteRecordSchema),
  integrations: new SqliteDocumentRepo(db, 'apigw_integrations', IntegrationRecordSchema),
  authorizers: new SqliteDocumentRepo(db, 'apigw_authorizers', AuthorizerRecordSchema),
  stages: new SqliteDocumentRepo(db, 'apigw_stages', StageRecordSchema),
  deployments: new SqliteDocumentRepo(db, 'apigw_deployments', DeploymentRecordSchema),
});
