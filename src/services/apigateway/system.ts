/** API Gateway's REST APIs put together: the control plane's services and the execute-api front door. */
import type { Invoker } from '../../invoke/invoker.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Authenticator } from '../../security/authenticator.js';
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import type { Account } from '../../wire/arn.js';
import type { ApiGatewayServices } from './binding.js';
import type { AccessLogSink } from './gateway/access-log.js';
import { Authorizers } from './gateway/authorizer.js';
import { RestApiDoor } from './gateway/door.js';
import { invokerCaller } from './gateway/lambda-target.js';
import { UsageMeter } from './gateway/usage.js';
import { KeyService } from './keys.js';
import { AccountService } from './account.js';
import { RestApiService } from './rest-apis.js';
import { StageService } from './stages.js';

export interface ApiGatewayDeps {
  repo: ApiGatewayRepo;
  invoker: Invoker;
  /** Usage plan throttles and quotas, authorizer caches and dates. */
  clock: Clock;
  logger: Logger;
  account: Account;
  /** Verifies the signatures of AWS_IAM methods' requests. */
  authenticator: Authenticator;
  /** Where access log lines go (a stage's accessLogSettings); the server log unless told otherwise. */
  accessLog?: AccessLogSink;
}

export interface ApiGatewaySystem extends ApiGatewayServices {
  door: RestApiDoor;
}

export function createApiGatewaySystem(deps: ApiGatewayDeps): ApiGatewaySystem {
  const apis = new RestApiService(deps.repo, deps.clock, deps.account);
  const stages = new StageService(deps.repo, apis, deps.clock);
  const keys = new KeyService(deps.repo, deps.clock);
  // Integration timeouts are real time: a test's stepped clock must not time out an invocation.
  const lambda = invokerCaller(deps.invoker, systemClock);
  const door = new RestApiDoor({
    apis,
    stages,
    keys,
    meter: new UsageMeter(deps.clock),
    authorizers: new Authorizers(lambda, deps.clock, deps.account),
    lambda,
    timers: systemClock,
    account: deps.account,
    authenticator: deps.authenticator,
    clock: deps.clock,
    logger: deps.logger,
    accessLog: deps.accessLog ?? ((destinationArn, line) => deps.logger.info('execute-api access', { destinationArn, line })),
  });
  return { apis, stages, keys, account: new AccountService(deps.repo), door };
}
