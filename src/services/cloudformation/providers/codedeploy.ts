/**
 * AWS::CodeDeploy::Application and AWS::CodeDeploy::DeploymentGroup (Lambda's compute platform),
 * through CodeDeploy's own operations: what SAM's DeploymentPreference emits. Ref is the name of each.
 * Alias updates under `UpdatePolicy.CodeDeployLambdaAliasUpdate` are ./codedeploy-alias-update.ts.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, list, obj, onlyKnown, str, syncTags, tagsOf } from './props.js';

const APPLICATION = 'AWS::CodeDeploy::Application';
const GROUP = 'AWS::CodeDeploy::DeploymentGroup';
const GROUP_PROPS = [
  'ApplicationName', 'DeploymentGroupName', 'DeploymentConfigName', 'ServiceRoleArn', 'AlarmConfiguration',
  'AutoRollbackConfiguration', 'DeploymentStyle', 'TriggerConfigurations', 'Tags',
];

const arn = (ctx: ResourceContext, tail: string) => `arn:aws:codedeploy:${ctx.region}:${ctx.accountId}:${tail}`;
const wireTags = (tags: { Key: string; Value: string }[]) => tags.map((t) => ({ Key: t.Key, Value: t.Value }));

const application: ResourceProvider = {
  replaceOn: ['ApplicationName', 'ComputePlatform'],
  async create(props, ctx) {
    onlyKnown(APPLICATION, props, ['ApplicationName', 'ComputePlatform', 'Tags']);
    const name = str(props, 'ApplicationName') ?? ctx.physicalName(100);
    const tags = tagsOf(props, ctx);
    await ctx.call('codedeploy', 'CreateApplication', { applicationName: name, computePlatform: str(props, 'ComputePlatform') ?? 'Server', ...(tags.length > 0 ? { tags: wireTags(tags) } : {}) });
    return { physicalId: name, attributes: { ApplicationName: name } };
  },
  async update(name, props, previous, ctx) {
    onlyKnown(APPLICATION, props, ['ApplicationName', 'ComputePlatform', 'Tags']);
    const resource = arn(ctx, `application:${name}`);
    await syncTags(ctx, props, previous, (Tags) => ctx.call('codedeploy', 'TagResource', { ResourceArn: resource, Tags }), (TagKeys) => ctx.call('codedeploy', 'UntagResource', { ResourceArn: resource, TagKeys }));
    return { physicalId: name, attributes: { ApplicationName: name } };
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('codedeploy', 'DeleteApplication', { applicationName: name }), 'ApplicationDoesNotExistException');
  },
};

/** The group's settings as CodeDeploy's API takes them, from the template's PascalCase. */
function groupSettings(props: Properties): Record<string, unknown> {
  const alarms = obj(props, 'AlarmConfiguration');
  const rollback = obj(props, 'AutoRollbackConfiguration');
  const style = obj(props, 'DeploymentStyle');
  return {
    ...(str(props, 'DeploymentConfigName') !== undefined ? { deploymentConfigName: str(props, 'DeploymentConfigName') } : {}),
    serviceRoleArn: str(props, 'ServiceRoleArn') ?? '',
    alarmConfiguration: alarms
      ? {
          enabled: bool(alarms, 'Enabled') ?? false,
          ignorePollAlarmFailure: bool(alarms, 'IgnorePollAlarmFailure') ?? false,
          alarms: list<Record<string, unknown>>(alarms, 'Alarms').map((a) => ({ name: String(a['Name']) })),
        }
      : { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
    autoRollbackConfiguration: rollback ? { enabled: bool(rollback, 'Enabled') ?? false, events: list<string>(rollback, 'Events').map(String) } : { enabled: false, events: [] },
    ...(style ? { deploymentStyle: { deploymentType: str(style, 'DeploymentType'), deploymentOption: str(style, 'DeploymentOption') } } : {}),
    triggerConfigurations: list(props, 'TriggerConfigurations'),
  };
}

const group: ResourceProvider = {
  replaceOn: ['ApplicationName', 'DeploymentGroupName'],
  async create(props, ctx) {
    onlyKnown(GROUP, props, GROUP_PROPS);
    const name = str(props, 'DeploymentGroupName') ?? ctx.physicalName(100);
    const tags = tagsOf(props, ctx);
    await ctx.call('codedeploy', 'CreateDeploymentGroup', {
      applicationName: str(props, 'ApplicationName') ?? '',
      deploymentGroupName: name,
      ...groupSettings(props),
      ...(tags.length > 0 ? { tags: wireTags(tags) } : {}),
    });
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, previous, ctx) {
    onlyKnown(GROUP, props, GROUP_PROPS);
    const app = str(props, 'ApplicationName') ?? '';
    if (GROUP_PROPS.some((p) => p !== 'Tags' && changed(props, previous, p))) {
      await ctx.call('codedeploy', 'UpdateDeploymentGroup', { applicationName: app, currentDeploymentGroupName: name, ...groupSettings(props) });
    }
    const resource = arn(ctx, `deploymentgroup:${app}/${name}`);
    await syncTags(ctx, props, previous, (Tags) => ctx.call('codedeploy', 'TagResource', { ResourceArn: resource, Tags }), (TagKeys) => ctx.call('codedeploy', 'UntagResource', { ResourceArn: resource, TagKeys }));
    return { physicalId: name, attributes: {} };
  },
  async delete(name, props, ctx) {
    await gone(ctx.call('codedeploy', 'DeleteDeploymentGroup', { applicationName: str(props, 'ApplicationName') ?? '', deploymentGroupName: name }), 'ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException');
  },
};

export const codedeployProviders: Record<string, ResourceProvider> = {
  [APPLICATION]: application,
  [GROUP]: group,
};
