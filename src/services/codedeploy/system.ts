/** CodeDeploy's parts, composed: applications and groups, deployments on Selfless's gradual deployments, the binding. */
import type { DeploymentService } from '../../deployments/deployment-service.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { CodeDeployStore } from '../../storage/codedeploy-repo.js';
import { parseFunctionRef, type Account } from '../../wire/arn.js';
import type { FunctionRef } from '../../wire/arn.js';
import { ApplicationService } from './application-service.js';
import { codedeployBinding } from './binding.js';
import { CodeDeployDeployments } from './deployments.js';

export interface CodeDeploySystemDeps {
  store: CodeDeployStore;
  traffic: DeploymentService;
  /** An Event invoke of a hook function (name or ARN). */
  invokeAsync: (ref: FunctionRef, payload: Buffer) => Promise<unknown>;
  clock: Clock;
  /** Time for deployments (hooks' hour, traffic steps), as src/deployments has. */
  deploymentClock: Clock;
  logger: Logger;
  account: Account;
}

export function createCodeDeploySystem(d: CodeDeploySystemDeps) {
  const apps = new ApplicationService(d.store, d.clock);
  const deployments = new CodeDeployDeployments(d.store, apps, d.traffic, (fn, payload) => d.invokeAsync(parseFunctionRef(d.account, fn), payload), d.deploymentClock, d.logger);
  return {
    apps,
    deployments,
    binding: codedeployBinding(apps, deployments),
    restore: () => deployments.restore(),
    stop: () => deployments.shutdown(),
  };
}
