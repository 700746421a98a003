/**
 * CodeDeploy's predefined Lambda deployment configurations, each carried out by one of Selfless's
 * gradual-deployment strategies (src/deployments/strategies.ts). Custom configurations are not served.
 */
export interface LambdaConfig {
  name: string;
  /** The strategy of src/deployments that shifts the traffic. */
  strategy: string;
  trafficRoutingConfig: { type: 'AllAtOnce' } | { type: 'TimeBasedCanary'; timeBasedCanary: { canaryPercentage: number; canaryInterval: number } } | { type: 'TimeBasedLinear'; timeBasedLinear: { linearPercentage: number; linearInterval: number } };
}

const canary = (minutes: number): LambdaConfig => ({
  name: `CodeDeployDefault.LambdaCanary10Percent${minutes}Minutes`,
  strategy: `Canary10Percent${minutes}Minutes`,
  trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: minutes } },
});
const linear = (minutes: number): LambdaConfig => ({
  name: `CodeDeployDefault.LambdaLinear10PercentEvery${minutes}Minute${minutes === 1 ? '' : 's'}`,
  strategy: `Linear10PercentEvery${minutes}Minute${minutes === 1 ? '' : 's'}`,
  trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: minutes } },
});

export const LAMBDA_CONFIGS: readonly LambdaConfig[] = [
  { name: 'CodeDeployDefault.LambdaAllAtOnce', strategy: 'AllAtOnce', trafficRoutingConfig: { type: 'AllAtOnce' } },
  canary(5),
  canary(10),
  canary(15),
  canary(30),
  linear(1),
  linear(2),
  linear(3),
  linear(10),
];

export const lambdaConfig = (name: string): LambdaConfig | undefined => LAMBDA_CONFIGS.find((c) => c.name === name);

/** The group's default when CreateDeploymentGroup names none, as CodeDeploy's for Lambda. */
export const DEFAULT_LAMBDA_CONFIG = 'CodeDeployDefault.LambdaAllAtOnce';
