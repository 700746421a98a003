/** API Gateway's REST APIs put together: the control plane's services and the execute-api front door. */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import type { Account } from '../../wire/arn.js';
import type { ApiGatewayServices } from './binding.js';
import { KeyService } from './keys.js';
import { RestApiService } from './rest-apis.js';
import { StageService } from './stages.js';

export interface ApiGatewayDeps {
  repo: ApiGatewayRepo;
  clock: Clock;
  logger: Logger;
  account: Account;
}

export function createApiGatewaySystem(deps: ApiGatewayDeps): ApiGatewayServices {
  const apis = new RestApiService(deps.repo, deps.clock, deps.account);
  const stages = new StageService(deps.repo, apis, deps.clock);
  const keys = new KeyService(deps.repo, deps.clock);
  return { apis, stages, keys };
}
