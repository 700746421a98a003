/** CodeDeploy's wire shapes (camelCase, timestamps in epoch seconds) from its records. */
import type { LambdaConfig } from './configs.js';
import type { AlarmConfig, ApplicationRecord, AutoRollback, CodeDeployDeployment, DeploymentGroupRecord } from './model.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
/** The configurations are CodeDeploy's own: a fixed creation time, as AWS shows for its predefined ones. */
const PREDEFINED_CREATED = Date.UTC(2017, 10, 1) / 1000;

export const renderApplication = (a: ApplicationRecord) => ({
  applicationId: a.id,
  applicationName: a.name,
  createTime: seconds(a.createdAt),
  linkedToGitHub: false,
  computePlatform: a.computePlatform,
});

const alarms = (c: AlarmConfig) => ({ enabled: c.enabled, ignorePollAlarmFailure: c.ignorePollAlarmFailure, alarms: c.alarms.map((name) => ({ name })) });
const rollback = (c: AutoRollback) => ({ enabled: c.enabled, events: c.events });
const last = (l: DeploymentGroupRecord['lastAttempted']) => l && { deploymentId: l.deploymentId, status: l.status, createTime: seconds(l.createdAt), endTime: seconds(l.endedAt) };

export const renderGroup = (g: DeploymentGroupRecord) => ({
  applicationName: g.applicationName,
  deploymentGroupId: g.id,
  deploymentGroupName: g.name,
  deploymentConfigName: g.deploymentConfigName,
  ec2TagFilters: [],
  onPremisesInstanceTagFilters: [],
  autoScalingGroups: [],
  serviceRoleArn: g.serviceRoleArn,
  triggerConfigurations: g.triggerConfigurations,
  alarmConfiguration: alarms(g.alarmConfiguration),
  autoRollbackConfiguration: rollback(g.autoRollbackConfiguration),
  deploymentStyle: g.deploymentStyle,
  lastAttemptedDeployment: last(g.lastAttempted),
  lastSuccessfulDeployment: last(g.lastSucceeded),
  computePlatform: 'Lambda',
  terminationHookEnabled: false,
});

export const renderConfig = (c: LambdaConfig) => ({
  deploymentConfigId: c.name.replace('CodeDeployDefault.', '').toLowerCase(),
  deploymentConfigName: c.name,
  createTime: PREDEFINED_CREATED,
  computePlatform: 'Lambda',
  trafficRoutingConfig: c.trafficRoutingConfig,
});

/** A Lambda deployment has one target, the function: the overview counts it in its state. */
function overview(d: CodeDeployDeployment) {
  const counts = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  if (d.status === 'Created') counts.Pending = 1;
  else if (d.status === 'InProgress') counts.InProgress = 1;
  else if (d.status === 'Succeeded') counts.Succeeded = 1;
  else counts.Failed = 1;
  return counts;
}

/** The revision as GetDeployment returns it: the digest, never the content (as AWS documents). */
const revision = (r: CodeDeployDeployment['revision']) =>
  r.revisionType === 'String' ? { revisionType: 'String', string: { sha256: r.sha256 } } : { revisionType: 'AppSpecContent', appSpecContent: { sha256: r.sha256 } };

export const renderDeployment = (d: CodeDeployDeployment) => ({
  applicationName: d.applicationName,
  deploymentGroupName: d.deploymentGroupName,
  deploymentConfigName: d.deploymentConfigName,
  deploymentId: d.id,
  revision: revision(d.revision),
  status: d.status,
  errorInformation: d.error,
  createTime: seconds(d.createdAt),
  startTime: seconds(d.startedAt),
  completeTime: seconds(d.completedAt),
  deploymentOverview: overview(d),
  description: d.description,
  creator: d.creator,
  ignoreApplicationStopFailures: false,
  autoRollbackConfiguration: rollback(d.autoRollbackConfiguration),
  updateOutdatedInstancesOnly: false,
  rollbackInfo: d.rollback,
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  instanceTerminationWaitTimeStarted: false,
  fileExistsBehavior: 'DISALLOW',
  deploymentStatusMessages: [],
  computePlatform: 'Lambda',
  overrideAlarmConfiguration: alarms(d.alarmConfiguration),
});
