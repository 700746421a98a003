/**
 * CodeDeploy (JSON 1.1) for the Lambda compute platform: applications, deployment groups, the
 * predefined Lambda deployment configurations, and deployments carried out by Selfless's gradual
 * deployments (./deployments.ts), with lifecycle hooks reported through PutLifecycleEventHookExecutionStatus.
 */
import { timestampMs } from '../../wire/timestamp.js';
import { typedHandlers, type OperationHandler, type ServiceBinding } from '../../api/service.js';
import { codedeployServiceModel } from '../../wire/model.js';
import { CodeDeployErrors } from '../../wire/errors.js';
import { PAGE, type ApplicationService, type GroupSettings } from './application-service.js';
import { LAMBDA_CONFIGS, lambdaConfig } from './configs.js';
import type { CodeDeployDeployments } from './deployments.js';
import type { AlarmConfig, AutoRollback } from './model.js';
import { renderApplication, renderConfig, renderDeployment, renderGroup } from './render.js';
import type { CodedeployInputs } from '../../wire/inputs/codedeploy.js';

type WireTag = { Key?: string; Value?: string };
type WireAlarms = { enabled?: boolean; ignorePollAlarmFailure?: boolean; alarms?: { name?: string }[] };
type WireRollback = { enabled?: boolean; events?: AutoRollback['events'] };
type WireGroup = {
  applicationName: string;
  deploymentConfigName?: string;
  serviceRoleArn?: string;
  alarmConfiguration?: WireAlarms;
  autoRollbackConfiguration?: WireRollback;
  deploymentStyle?: { deploymentType?: string; deploymentOption?: string };
  triggerConfigurations?: unknown[];
};
type WireRevision = { revisionType?: string; appSpecContent?: { content?: string }; string?: { content?: string } };

const toTags = (tags: WireTag[] | undefined) => (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
const toAlarms = (a: WireAlarms): AlarmConfig => ({ enabled: a.enabled ?? false, ignorePollAlarmFailure: a.ignorePollAlarmFailure ?? false, alarms: (a.alarms ?? []).map((x) => x.name ?? '') });
const toRollback = (r: WireRollback): AutoRollback => ({ enabled: r.enabled ?? false, events: r.events ?? [] });

function settings(i: WireGroup): GroupSettings {
  return {
    ...(i.deploymentConfigName !== undefined ? { deploymentConfigName: i.deploymentConfigName } : {}),
    ...(i.serviceRoleArn !== undefined ? { serviceRoleArn: i.serviceRoleArn } : {}),
    ...(i.alarmConfiguration ? { alarmConfiguration: toAlarms(i.alarmConfiguration) } : {}),
    ...(i.autoRollbackConfiguration ? { autoRollbackConfiguration: toRollback(i.autoRollbackConfiguration) } : {}),
    ...(i.deploymentStyle ? { deploymentStyle: { deploymentType: i.deploymentStyle.deploymentType ?? '', deploymentOption: i.deploymentStyle.deploymentOption ?? '' } } : {}),
    ...(i.triggerConfigurations ? { triggerConfigurations: i.triggerConfigurations } : {}),
  };
}

function revisionOf(r: WireRevision | undefined): { revisionType: string; content: string } {
  if (!r) throw CodeDeployErrors.revisionRequired();
  const content = r.revisionType === 'AppSpecContent' ? r.appSpecContent?.content : r.revisionType === 'String' ? r.string?.content : undefined;
  if (r.revisionType !== 'AppSpecContent' && r.revisionType !== 'String') {
    throw CodeDeployErrors.invalidRevision(`Selfless serves Lambda deployments from an AppSpec given inline (AppSpecContent or String), not from ${r.revisionType ?? 'no revision type'}.`);
  }
  if (!content) throw CodeDeployErrors.invalidRevision('The revision has no AppSpec content.');
  return { revisionType: r.revisionType, content };
}

/** A list page's token: the offset of the next item. */
const offsetOf = (token: string | undefined): number => {
  if (token === undefined) return 0;
  const n = Number(token);
  if (!Number.isInteger(n) || n < 0) throw CodeDeployErrors.invalidNextToken();
  return n;
};

export function codedeployBinding(apps: ApplicationService, deployments: CodeDeployDeployments): ServiceBinding {
  const handlers: Record<string, OperationHandler> = typedHandlers<CodedeployInputs>({
    async CreateApplication(i) {
      const app = await apps.createApplication(i.applicationName, i.computePlatform, toTags(i.tags));
      return { applicationId: app.id };
    },
    async GetApplication(input) {
      return { application: renderApplication(await apps.application(input.applicationName)) };
    },
    async BatchGetApplications(input) {
      const names = input.applicationNames;
      return { applicationsInfo: await Promise.all(names.map(async (n) => renderApplication(await apps.application(n)))) };
    },
    async ListApplications(input) {
      const page = await apps.listApplications(input.nextToken);
      return { applications: page.names, nextToken: page.next };
    },
    async DeleteApplication(input) {
      await apps.deleteApplication(input.applicationName);
      return {};
    },
    async CreateDeploymentGroup(i) {
      return { deploymentGroupId: (await apps.createGroup(i.applicationName, i.deploymentGroupName, settings(i), toTags(i.tags))).id };
    },
    async GetDeploymentGroup(i) {
      return { deploymentGroupInfo: renderGroup(await apps.group(i.applicationName, i.deploymentGroupName)) };
    },
    async UpdateDeploymentGroup(i) {
      await apps.updateGroup(i.applicationName, i.currentDeploymentGroupName, settings(i), i.newDeploymentGroupName);
      return { hooksNotCleanedUp: [] };
    },
    async DeleteDeploymentGroup(i) {
      await apps.deleteGroup(i.applicationName, i.deploymentGroupName);
      return { hooksNotCleanedUp: [] };
    },
    async ListDeploymentGroups(i) {
      const page = await apps.listGroups(i.applicationName, i.nextToken);
      return { applicationName: i.applicationName, deploymentGroups: page.names, nextToken: page.next };
    },
    async GetDeploymentConfig(input) {
      const name = input.deploymentConfigName;
      const config = lambdaConfig(name);
      if (!config) throw CodeDeployErrors.deploymentConfigNotFound(name);
      return { deploymentConfigInfo: renderConfig(config) };
    },
    async ListDeploymentConfigs() {
      return { deploymentConfigsList: LAMBDA_CONFIGS.map((c) => c.name) };
    },
    async CreateDeployment(i) {
      if (!i.deploymentGroupName) throw CodeDeployErrors.deploymentGroupNameRequired();
      const d = await deployments.create({
        applicationName: i.applicationName,
        deploymentGroupName: i.deploymentGroupName,
        revision: revisionOf(i.revision),
        ...(i.deploymentConfigName !== undefined ? { deploymentConfigName: i.deploymentConfigName } : {}),
        ...(i.description !== undefined ? { description: i.description } : {}),
        ...(i.autoRollbackConfiguration ? { autoRollbackConfiguration: toRollback(i.autoRollbackConfiguration) } : {}),
        ...(i.overrideAlarmConfiguration ? { overrideAlarmConfiguration: toAlarms(i.overrideAlarmConfiguration) } : {}),
      });
      return { deploymentId: d.id };
    },
    async GetDeployment(input) {
      return { deploymentInfo: renderDeployment(await deployments.get(input.deploymentId)) };
    },
    async BatchGetDeployments(input) {
      const ids = input.deploymentIds;
      return { deploymentsInfo: await Promise.all(ids.map(async (id) => renderDeployment(await deployments.get(id)))) };
    },
    async ListDeployments(i) {
      if (i.deploymentGroupName !== undefined && i.applicationName === undefined) throw CodeDeployErrors.applicationNameRequired();
      if (i.applicationName !== undefined && i.deploymentGroupName !== undefined) await apps.group(i.applicationName, i.deploymentGroupName);
      else if (i.applicationName !== undefined) await apps.application(i.applicationName);
      const all = await deployments.list({
        ...(i.applicationName !== undefined ? { applicationName: i.applicationName } : {}),
        ...(i.deploymentGroupName !== undefined ? { deploymentGroupName: i.deploymentGroupName } : {}),
        ...(i.includeOnlyStatuses ? { statuses: i.includeOnlyStatuses } : {}),
        ...(i.createTimeRange?.start !== undefined ? { createdFrom: timestampMs(i.createTimeRange.start) } : {}),
        ...(i.createTimeRange?.end !== undefined ? { createdTo: timestampMs(i.createTimeRange.end) } : {}),
      });
      const from = offsetOf(i.nextToken);
      const page = all.slice(from, from + PAGE);
      return { deployments: page.map((d) => d.id), nextToken: from + PAGE < all.length ? String(from + PAGE) : undefined };
    },
    async StopDeployment(i) {
      return deployments.stop(i.deploymentId, i.autoRollbackEnabled);
    },
    async TagResource(i) {
      await apps.tag(i.ResourceArn, toTags(i.Tags), []);
      return {};
    },
    async UntagResource(i) {
      await apps.tag(i.ResourceArn, [], i.TagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const tags = await apps.tags(input.ResourceArn);
      return { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) };
    },
    async PutLifecycleEventHookExecutionStatus(i) {
      return { lifecycleEventHookExecutionId: await deployments.hookStatus(i.deploymentId, i.lifecycleEventHookExecutionId, i.status) };
    },
  });
  return { models: [codedeployServiceModel], handlers };
}
