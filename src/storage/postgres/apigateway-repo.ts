/** API Gateway's repos on PostgreSQL: document tables (see document-repo.ts). */
import type { Db } from './db.js';
import { ApiGatewayAccountSchema, ApiKeySchema, DeploymentSchema, RestApiSchema, StageSchema, UsagePlanSchema } from '../../services/apigateway/model.js';
import { DomainRecordSchema } from '../../services/apigateway/domains/records.js';
import type { ApiGatewayRepo } from '../apigateway-repo.js';
import { PostgresDocumentRepo } from './document-repo.js';

export const postgresApiGatewayRepo = (db: Db): ApiGatewayRepo => ({
  restApis: new PostgresDocumentRepo(db, 'apigw_rest_apis', RestApiSchema),
  deployments: new PostgresDocumentRepo(db, 'apigw_deployments', DeploymentSchema),
  stages: new PostgresDocumentRepo(db, 'apigw_stages', StageSchema),
  apiKeys: new PostgresDocumentRepo(db, 'apigw_api_keys', ApiKeySchema),
  usagePlans: new PostgresDocumentRepo(db, 'apigw_usage_plans', UsagePlanSchema),
  account: new PostgresDocumentRepo(db, 'apigw_account', ApiGatewayAccountSchema),
  domainNames: new PostgresDocumentRepo(db, 'apigw_domain_names', DomainRecordSchema),
});
