/** CodeDeploy's applications and their deployment groups (Lambda's compute platform only). */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { groupKey, groupPrefix, type CodeDeployStore } from '../../storage/codedeploy-repo.js';
import { CodeDeployErrors } from '../../wire/errors.js';
import { DEFAULT_LAMBDA_CONFIG, lambdaConfig } from './configs.js';
import type { AlarmConfig, ApplicationRecord, AutoRollback, DeploymentGroupRecord } from './model.js';

function parseArn(arn: string): { application: string; group?: string } {
  const m = /^arn:[^:]+:codedeploy:[^:]*:[^:]*:(application|deploymentgroup):(.+)$/.exec(arn);
  if (!m) throw CodeDeployErrors.invalidArn(arn);
  if (m[1] === 'application') return { application: m[2]! };
  const slash = m[2]!.indexOf('/');
  if (slash < 0) throw CodeDeployErrors.invalidArn(arn);
  return { application: m[2]!.slice(0, slash), group: m[2]!.slice(slash + 1) };
}

export interface GroupSettings {
  deploymentConfigName?: string;
  serviceRoleArn?: string;
  alarmConfiguration?: AlarmConfig;
  autoRollbackConfiguration?: AutoRollback;
  deploymentStyle?: { deploymentType: string; deploymentOption: string };
  triggerConfigurations?: unknown[];
}

const LAMBDA_STYLE = { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };
const NO_ALARMS: AlarmConfig = { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
const NO_ROLLBACK: AutoRollback = { enabled: false, events: [] };
/** Pages of lists: CodeDeploy returns up to 100 names a call. */
export const PAGE = 100;

export class ApplicationService {
  constructor(
    private readonly store: CodeDeployStore,
    private readonly clock: Clock,
  ) {}

  async createApplication(name: string, computePlatform: string | undefined, tags: ApplicationRecord['tags']): Promise<ApplicationRecord> {
    if (!name) throw CodeDeployErrors.applicationNameRequired();
    if ((computePlatform ?? 'Server') !== 'Lambda') {
      throw CodeDeployErrors.invalidComputePlatform(`Selfless serves CodeDeploy for the Lambda compute platform only, not ${computePlatform ?? 'Server'}.`);
    }
    const app: ApplicationRecord = { id: randomUUID(), name, computePlatform: 'Lambda', createdAt: this.clock.now(), tags };
    if (!(await this.store.applications.create(name, app))) throw CodeDeployErrors.applicationExists(name);
    return app;
  }

  async application(name: string | undefined): Promise<ApplicationRecord> {
    if (!name) throw CodeDeployErrors.applicationNameRequired();
    const app = await this.store.applications.get(name);
    if (!app) throw CodeDeployErrors.applicationNotFound(name);
    return app.value;
  }

  async listApplications(after: string | undefined): Promise<{ names: string[]; next?: string }> {
    const page = await this.store.applications.list('', after, PAGE + 1);
    const names = page.slice(0, PAGE).map((a) => a.value.name);
    return page.length > PAGE ? { names, next: names[names.length - 1]! } : { names };
  }

  /** Deletes the application and its groups (CodeDeploy does; deleting a missing one succeeds). */
  async deleteApplication(name: string): Promise<void> {
    if (!name) throw CodeDeployErrors.applicationNameRequired();
    for (;;) {
      const groups = await this.store.groups.list(groupPrefix(name), undefined, PAGE);
      if (groups.length === 0) break;
      for (const g of groups) await this.store.groups.delete(groupKey(name, g.value.name));
    }
    await this.store.applications.delete(name);
  }

  async createGroup(applicationName: string, name: string, s: GroupSettings, tags: DeploymentGroupRecord['tags'] = []): Promise<DeploymentGroupRecord> {
    await this.application(applicationName);
    if (!name) throw CodeDeployErrors.deploymentGroupNameRequired();
    if (!s.serviceRoleArn) throw CodeDeployErrors.roleRequired();
    const group: DeploymentGroupRecord = {
      id: randomUUID(),
      applicationName,
      name,
      deploymentConfigName: DEFAULT_LAMBDA_CONFIG,
      serviceRoleArn: s.serviceRoleArn,
      alarmConfiguration: NO_ALARMS,
      autoRollbackConfiguration: NO_ROLLBACK,
      deploymentStyle: LAMBDA_STYLE,
      triggerConfigurations: [],
      tags,
    };
    const checked = this.apply(group, s);
    if (!(await this.store.groups.create(groupKey(applicationName, name), checked))) throw CodeDeployErrors.deploymentGroupExists(name, applicationName);
    return checked;
  }

  async group(applicationName: string | undefined, name: string | undefined): Promise<DeploymentGroupRecord> {
    const app = await this.application(applicationName);
    if (!name) throw CodeDeployErrors.deploymentGroupNameRequired();
    const g = await this.store.groups.get(groupKey(app.name, name));
    if (!g) throw CodeDeployErrors.deploymentGroupNotFound(name, app.name);
    return g.value;
  }

  async listGroups(applicationName: string, after: string | undefined): Promise<{ names: string[]; next?: string }> {
    await this.application(applicationName);
    const page = await this.store.groups.list(groupPrefix(applicationName), after === undefined ? undefined : groupKey(applicationName, after), PAGE + 1);
    const names = page.slice(0, PAGE).map((g) => g.value.name);
    return page.length > PAGE ? { names, next: names[names.length - 1]! } : { names };
  }

  /** Changes the group's settings, and its name when `newName` differs. */
  async updateGroup(applicationName: string, name: string, s: GroupSettings, newName?: string): Promise<DeploymentGroupRecord> {
    for (;;) {
      const current = await this.group(applicationName, name);
      const next = this.apply({ ...current, name: newName ?? name }, s);
      const key = groupKey(applicationName, name);
      if (newName !== undefined && newName !== name) {
        if (!(await this.store.groups.create(groupKey(applicationName, newName), next))) throw CodeDeployErrors.deploymentGroupExists(newName, applicationName);
        await this.store.groups.delete(key);
        return next;
      }
      const stored = await this.store.groups.get(key);
      if (stored && (await this.store.groups.update(key, next, stored.revision))) return next;
    }
  }

  /** Records a deployment's latest state on its group (lastAttemptedDeployment, lastSuccessfulDeployment). */
  async recordDeployment(applicationName: string, name: string, info: NonNullable<DeploymentGroupRecord['lastAttempted']>): Promise<void> {
    const key = groupKey(applicationName, name);
    for (let i = 0; i < 10; i++) {
      const stored = await this.store.groups.get(key);
      if (!stored) return;
      const next = { ...stored.value, lastAttempted: info, ...(info.status === 'Succeeded' ? { lastSucceeded: info } : {}) };
      if (await this.store.groups.update(key, next, stored.revision)) return;
    }
  }

  async deleteGroup(applicationName: string, name: string): Promise<void> {
    if (!applicationName) throw CodeDeployErrors.applicationNameRequired();
    if (!name) throw CodeDeployErrors.deploymentGroupNameRequired();
    await this.store.groups.delete(groupKey(applicationName, name));
  }

  /** Tags of an application or a group, by ARN (`...:application:NAME`, `...:deploymentgroup:APP/GROUP`). */
  async tags(arn: string): Promise<ApplicationRecord['tags']> {
    const target = parseArn(arn);
    return target.group === undefined ? (await this.application(target.application)).tags : (await this.group(target.application, target.group)).tags;
  }

  async tag(arn: string, add: ApplicationRecord['tags'], remove: readonly string[]): Promise<void> {
    const target = parseArn(arn);
    const merge = <T extends { tags: ApplicationRecord['tags'] }>(r: T): T => ({
      ...r,
      tags: [...r.tags.filter((t) => !remove.includes(t.key) && !add.some((x) => x.key === t.key)), ...add],
    });
    for (;;) {
      if (target.group === undefined) {
        const app = await this.store.applications.get(target.application);
        if (!app) throw CodeDeployErrors.applicationNotFound(target.application);
        if (await this.store.applications.update(target.application, merge(app.value), app.revision)) return;
      } else {
        await this.application(target.application);
        const key = groupKey(target.application, target.group);
        const g = await this.store.groups.get(key);
        if (!g) throw CodeDeployErrors.deploymentGroupNotFound(target.group, target.application);
        if (await this.store.groups.update(key, merge(g.value), g.revision)) return;
      }
    }
  }

  private apply(group: DeploymentGroupRecord, s: GroupSettings): DeploymentGroupRecord {
    const next = { ...group };
    if (s.deploymentConfigName !== undefined) {
      if (!lambdaConfig(s.deploymentConfigName)) throw CodeDeployErrors.deploymentConfigNotFound(s.deploymentConfigName);
      next.deploymentConfigName = s.deploymentConfigName;
    }
    if (s.serviceRoleArn !== undefined) next.serviceRoleArn = s.serviceRoleArn;
    if (s.alarmConfiguration !== undefined) {
      if (s.alarmConfiguration.alarms.length > 10) throw CodeDeployErrors.invalidAlarmConfig('A deployment group can watch at most 10 alarms.');
      next.alarmConfiguration = s.alarmConfiguration;
    }
    if (s.autoRollbackConfiguration !== undefined) {
      if (s.autoRollbackConfiguration.enabled && s.autoRollbackConfiguration.events.length === 0) {
        throw CodeDeployErrors.invalidAutoRollbackConfig('Auto rollback is enabled but no events are specified.');
      }
      next.autoRollbackConfiguration = s.autoRollbackConfiguration;
    }
    if (s.deploymentStyle !== undefined) {
      if (s.deploymentStyle.deploymentType !== 'BLUE_GREEN' || s.deploymentStyle.deploymentOption !== 'WITH_TRAFFIC_CONTROL') {
        throw CodeDeployErrors.invalidDeploymentStyle('A Lambda deployment group must be BLUE_GREEN WITH_TRAFFIC_CONTROL.');
      }
      next.deploymentStyle = s.deploymentStyle;
    }
    if (s.triggerConfigurations !== undefined) next.triggerConfigurations = s.triggerConfigurations;
    return next;
  }
}
