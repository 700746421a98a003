/** API Gateway's (REST APIs) store interface: document tables. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { ApiGatewayAccountRecord, ApiKeyRecord, DeploymentRecord, RestApiRecord, StageRecord, UsagePlanRecord } from '../services/apigateway/model.js';
import type { DomainRecord } from '../services/apigateway/domains/records.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface ApiGatewayRepo {
  /** By API id. */
  readonly restApis: DocumentRepo<RestApiRecord>;
  /** By `<api id>/<deployment id>`. */
  readonly deployments: DocumentRepo<DeploymentRecord>;
  /** By `<api id>/<stage name>`. */
  readonly stages: DocumentRepo<StageRecord>;
  /** By key id. */
  readonly apiKeys: DocumentRepo<ApiKeyRecord>;
  /** By plan id. */
  readonly usagePlans: DocumentRepo<UsagePlanRecord>;
  /** The account's settings (GetAccount/UpdateAccount), under the one key `account`. */
  readonly account: DocumentRepo<ApiGatewayAccountRecord>;
  /** Custom domain names (shared with API Gateway v2) with their mappings, by lower-cased name. */
  readonly domainNames: DocumentRepo<DomainRecord>;
}
