/** API Gateway's repos on SQLite: document tables (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { ApiGatewayAccountSchema, ApiKeySchema, DeploymentSchema, RestApiSchema, StageSchema, UsagePlanSchema } from '../../services/apigateway/model.js';
import { DomainRecordSchema } from '../../services/apigateway/domains/records.js';
import type { ApiGatewayRepo } from '../apigateway-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteApiGatewayRepo = (db: Database.Database): ApiGatewayRepo => ({
  restApis: new SqliteDocumentRepo(db, 'apigw_rest_apis', RestApiSchema),
  deployments: new SqliteDocumentRepo(db, 'apigw_deployments', DeploymentSchema),
  stages: new SqliteDocumentRepo(db, 'apigw_stages', StageSchema),
  apiKeys: new SqliteDocumentRepo(db, 'apigw_api_keys', ApiKeySchema),
  usagePlans: new SqliteDocumentRepo(db, 'apigw_usage_plans', UsagePlanSchema),
  account: new SqliteDocumentRepo(db, 'apigw_account', ApiGatewayAccountSchema),
  domainNames: new SqliteDocumentRepo(db, 'apigw_domain_names', DomainRecordSchema),
});
