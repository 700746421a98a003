/** Alarms, CloudWatch's reading of metrics, and the deployments that watch them (gradual ones and CodeDeploy's). */
import { AlarmActions } from '../alarms/actions.js';
import { AlarmService } from '../alarms/alarm-service.js';
import { CompositeAlarmService } from '../alarms/composite-service.js';
import { DeploymentService } from '../deployments/deployment-service.js';
import { createCodeDeploySystem } from '../services/codedeploy/system.js';
import { MetricSource } from '../telemetry/cloudwatch/metric-source.js';
import type { Events } from './events.js';
import { FLEET_ROLES, type Fleet } from './fleet.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';
import type { PlatformOverrides } from './overrides.js';

export type Monitoring = ReturnType<typeof createMonitoring>;

export function createMonitoring(
  { store, clock, scaledClock, logger, account }: Foundation,
  { versions, aliases }: Lambda,
  { metrics, sources, health }: Invocation,
  { asyncSystem }: Events,
  { member }: Fleet,
  overrides: PlatformOverrides,
) {
  const alarmActions = new AlarmActions(asyncSystem.destinations, logger);
  const compositeAlarms = new CompositeAlarmService({ repo: store.compositeAlarms, alarms: store.alarms, actions: alarmActions, clock: overrides.alarmClock ?? clock, logger, account });
  const alarms = new AlarmService({
    repo: store.alarms,
    metrics: store.metrics,
    flushMetrics: () => metrics.flush(),
    actions: alarmActions,
    clock: overrides.alarmClock ?? clock,
    logger,
    account,
    // One node of a fleet evaluates the alarms: the one holding the lease.
    evaluatesHere: () => member.holds(FLEET_ROLES.alarms),
    // Composite alarms follow their children's changes as they happen.
    onStateChange: (name) => compositeAlarms.alarmChanged(name),
  });
  // CloudWatch: Lambda's metrics and those callers publish (PutMetricData, EMF lines), read through one source.
  const metricSource = new MetricSource({ lambdaPoints: store.metrics, flushLambda: () => metrics.flush(), custom: store.customMetrics, functionNames: () => sources.functionNames(), clock });
  const deployments = new DeploymentService(store.deployments, versions, aliases, health, (names) => alarms.alarmStates(names), overrides.deploymentClock ?? scaledClock, logger);
  // One node of a fleet steps the gradual deployments: the one holding their lease, which takes on
  // those another node started or left when it died.
  deployments.runOnlyWhile(() => member.holds(FLEET_ROLES.deployments));
  member.afterEachBeat(() => deployments.adopt());
  // Its hooks are Event invokes; its traffic shifts are the gradual deployments above.
  const codedeploy = createCodeDeploySystem({
    store: store.codedeploy,
    traffic: deployments,
    invokeAsync: (ref, payload) => asyncSystem.events.submitRef(ref, payload),
    clock,
    deploymentClock: overrides.deploymentClock ?? scaledClock,
    logger,
    account,
  });
  return { alarms, compositeAlarms, metricSource, deployments, codedeploy };
}
