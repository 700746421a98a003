/** AWS::Scheduler::ScheduleGroup and AWS::Scheduler::Schedule, through EventBridge Scheduler's own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { gone, int, obj, onlyKnown, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const GROUP = 'AWS::Scheduler::ScheduleGroup';
const SCHEDULE = 'AWS::Scheduler::Schedule';
const NOT_FOUND = 'ResourceNotFoundException';

const group: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(GROUP, props, ['Name', 'Tags']);
    const name = str(props, 'Name') ?? ctx.physicalName(64);
    const tags = tagsOf(props, ctx);
    await ctx.call('scheduler', 'CreateScheduleGroup', { Name: name, ...(tags.length > 0 ? { Tags: tags } : {}) });
    return groupAttributes(ctx, name);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(GROUP, props, ['Name', 'Tags']);
    const arn = `arn:aws:scheduler:${ctx.region}:${ctx.accountId}:schedule-group/${name}`;
    await syncTags(ctx, props, previous, (Tags) => ctx.call('scheduler', 'TagResource', { ResourceArn: arn, Tags }), (TagKeys) => ctx.call('scheduler', 'UntagResource', { ResourceArn: arn, TagKeys }));
    return groupAttributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('scheduler', 'DeleteScheduleGroup', { Name: name }), NOT_FOUND);
  },
};

async function groupAttributes(ctx: ResourceContext, name: string) {
  const g = await ctx.call('scheduler', 'GetScheduleGroup', { Name: name });
  const iso = (s: unknown) => new Date(Number(s) * 1000).toISOString();
  return { physicalId: name, attributes: { Arn: g['Arn'], CreationDate: iso(g['CreationDate']), LastModificationDate: iso(g['LastModificationDate']), State: g['State'] } };
}

const SCHEDULE_PROPS = ['Name', 'GroupName', 'Description', 'ScheduleExpression', 'ScheduleExpressionTimezone', 'StartDate', 'EndDate', 'FlexibleTimeWindow', 'State', 'Target', 'KmsKeyArn'];
const TARGET_KEYS = ['Arn', 'RoleArn', 'Input', 'SqsParameters', 'RetryPolicy', 'DeadLetterConfig'];

function scheduleInput(name: string, props: Properties): Record<string, unknown> {
  if (props['KmsKeyArn'] !== undefined) throw new UnsupportedProperty(SCHEDULE, 'KmsKeyArn', 'Scheduler here keeps targets unencrypted.');
  const target = obj(props, 'Target') ?? {};
  for (const key of Object.keys(target)) if (!TARGET_KEYS.includes(key)) throw new UnsupportedProperty(SCHEDULE, `Target.${key}`, 'Scheduler here delivers to functions, queues and buses with these settings only.');
  const flex = obj(props, 'FlexibleTimeWindow') ?? { Mode: 'OFF' };
  const retry = obj(target, 'RetryPolicy');
  return {
    Name: name,
    ...(str(props, 'GroupName') !== undefined ? { GroupName: str(props, 'GroupName') } : {}),
    ScheduleExpression: str(props, 'ScheduleExpression') ?? '',
    ...(str(props, 'ScheduleExpressionTimezone') !== undefined ? { ScheduleExpressionTimezone: str(props, 'ScheduleExpressionTimezone') } : {}),
    ...(str(props, 'StartDate') !== undefined ? { StartDate: str(props, 'StartDate') } : {}),
    ...(str(props, 'EndDate') !== undefined ? { EndDate: str(props, 'EndDate') } : {}),
    ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
    ...(str(props, 'State') !== undefined ? { State: str(props, 'State') } : {}),
    FlexibleTimeWindow: { Mode: str(flex, 'Mode') ?? 'OFF', ...(int(flex, 'MaximumWindowInMinutes') !== undefined ? { MaximumWindowInMinutes: int(flex, 'MaximumWindowInMinutes') } : {}) },
    Target: {
      ...target,
      ...(retry
        ? {
            RetryPolicy: {
              ...(int(retry, 'MaximumRetryAttempts') !== undefined ? { MaximumRetryAttempts: int(retry, 'MaximumRetryAttempts') } : {}),
              ...(int(retry, 'MaximumEventAgeInSeconds') !== undefined ? { MaximumEventAgeInSeconds: int(retry, 'MaximumEventAgeInSeconds') } : {}),
            },
          }
        : {}),
    },
  };
}

const schedule: ResourceProvider = {
  replaceOn: ['Name', 'GroupName'],
  async create(props, ctx) {
    onlyKnown(SCHEDULE, props, SCHEDULE_PROPS);
    const name = str(props, 'Name') ?? ctx.physicalName(64);
    const out = await ctx.call('scheduler', 'CreateSchedule', scheduleInput(name, props));
    return { physicalId: name, attributes: { Arn: out['ScheduleArn'] } };
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(SCHEDULE, props, SCHEDULE_PROPS);
    // UpdateSchedule replaces the whole schedule, as CloudFormation's update does.
    const out = await ctx.call('scheduler', 'UpdateSchedule', scheduleInput(name, props));
    return { physicalId: name, attributes: { Arn: out['ScheduleArn'] } };
  },
  async delete(name, props, ctx) {
    const groupName = str(props, 'GroupName');
    await gone(ctx.call('scheduler', 'DeleteSchedule', { Name: name, ...(groupName !== undefined ? { GroupName: groupName } : {}) }), NOT_FOUND);
  },
};

export const schedulerProviders: Record<string, ResourceProvider> = { [GROUP]: group, [SCHEDULE]: schedule };
