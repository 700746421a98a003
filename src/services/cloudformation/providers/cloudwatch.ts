/**
 * AWS::CloudWatch::Alarm (through PutMetricAlarm, which says what Selfless can evaluate), ::CompositeAlarm and
 * ::Dashboard, through CloudWatch's own operations.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, gone, int, json, list, onlyKnown, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const ALARM = 'AWS::CloudWatch::Alarm';
const KNOWN = [
  'AlarmName', 'AlarmDescription', 'ActionsEnabled', 'AlarmActions', 'OKActions', 'InsufficientDataActions', 'ComparisonOperator',
  'DatapointsToAlarm', 'Dimensions', 'EvaluationPeriods', 'ExtendedStatistic', 'MetricName', 'Metrics', 'Namespace', 'Period',
  'Statistic', 'Threshold', 'TreatMissingData', 'Unit', 'Tags', 'EvaluateLowSampleCountPercentile', 'ThresholdMetricId',
];

function alarmInput(name: string, props: Properties): Record<string, unknown> {
  for (const key of ['EvaluateLowSampleCountPercentile', 'ThresholdMetricId', 'Unit']) {
    if (props[key] !== undefined) throw new UnsupportedProperty(ALARM, key, 'Selfless evaluates alarms without it.');
  }
  const optional = (key: string, value: unknown) => (value !== undefined ? { [key]: value } : {});
  const threshold = props['Threshold'];
  return {
    AlarmName: name,
    ...optional('AlarmDescription', str(props, 'AlarmDescription')),
    ...optional('ActionsEnabled', bool(props, 'ActionsEnabled')),
    ...optional('AlarmActions', props['AlarmActions'] === undefined ? undefined : list<string>(props, 'AlarmActions').map(String)),
    ...optional('OKActions', props['OKActions'] === undefined ? undefined : list<string>(props, 'OKActions').map(String)),
    ...optional('InsufficientDataActions', props['InsufficientDataActions'] === undefined ? undefined : list<string>(props, 'InsufficientDataActions').map(String)),
    ComparisonOperator: str(props, 'ComparisonOperator') ?? '',
    ...optional('DatapointsToAlarm', int(props, 'DatapointsToAlarm')),
    ...optional('Dimensions', props['Dimensions'] === undefined ? undefined : list<Record<string, unknown>>(props, 'Dimensions').map((d) => ({ Name: String(d['Name']), Value: String(d['Value']) }))),
    EvaluationPeriods: int(props, 'EvaluationPeriods') ?? 0,
    ...optional('ExtendedStatistic', str(props, 'ExtendedStatistic')),
    ...optional('MetricName', str(props, 'MetricName')),
    ...optional('Metrics', props['Metrics']),
    ...optional('Namespace', str(props, 'Namespace')),
    ...optional('Period', int(props, 'Period')),
    ...optional('Statistic', str(props, 'Statistic')),
    ...optional('Threshold', threshold === undefined ? undefined : Number(threshold)),
    ...optional('TreatMissingData', str(props, 'TreatMissingData')),
  };
}

const attributes = (ctx: ResourceContext, name: string) => ({ physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}` } });

const alarm: ResourceProvider = {
  replaceOn: ['AlarmName'],
  async create(props, ctx) {
    onlyKnown(ALARM, props, KNOWN);
    const name = str(props, 'AlarmName') ?? ctx.physicalName(255);
    const tags = tagsOf(props, ctx);
    await ctx.call('monitoring', 'PutMetricAlarm', { ...alarmInput(name, props), ...(tags.length > 0 ? { Tags: tags } : {}) });
    return attributes(ctx, name);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(ALARM, props, KNOWN);
    // PutMetricAlarm replaces the whole alarm, as CloudFormation's update does.
    await ctx.call('monitoring', 'PutMetricAlarm', alarmInput(name, props));
    const { Arn: arn } = attributes(ctx, name).attributes;
    await syncTags(ctx, props, previous, (Tags) => ctx.call('monitoring', 'TagResource', { ResourceARN: arn, Tags }), (TagKeys) => ctx.call('monitoring', 'UntagResource', { ResourceARN: arn, TagKeys }));
    return attributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('monitoring', 'DeleteAlarms', { AlarmNames: [name] }), 'ResourceNotFound');
  },
};

const DASHBOARD = 'AWS::CloudWatch::Dashboard';
const COMPOSITE = 'AWS::CloudWatch::CompositeAlarm';
const COMPOSITE_KNOWN = [
  'AlarmName', 'AlarmRule', 'AlarmDescription', 'ActionsEnabled', 'AlarmActions', 'OKActions', 'InsufficientDataActions',
  'ActionsSuppressor', 'ActionsSuppressorWaitPeriod', 'ActionsSuppressorExtensionPeriod', 'Tags',
];

const putDashboard = (ctx: ResourceContext, name: string, props: Properties) =>
  ctx.call('monitoring', 'PutDashboard', { DashboardName: name, DashboardBody: json(props, 'DashboardBody') ?? '' });

const dashboard: ResourceProvider = {
  replaceOn: ['DashboardName'],
  async create(props, ctx) {
    onlyKnown(DASHBOARD, props, ['DashboardName', 'DashboardBody']);
    // A dashboard without a name gets a generated one (letters, digits, dashes), as CloudFormation names it.
    const name = str(props, 'DashboardName') ?? ctx.physicalName(255).replace(/[^A-Za-z0-9_-]/g, '-');
    await putDashboard(ctx, name, props);
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(DASHBOARD, props, ['DashboardName', 'DashboardBody']);
    await putDashboard(ctx, name, props);
    return { physicalId: name, attributes: {} };
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('monitoring', 'DeleteDashboards', { DashboardNames: [name] }), 'DashboardNotFoundError', 'ResourceNotFound');
  },
};

function compositeInput(name: string, props: Properties): Record<string, unknown> {
  const optional = (key: string, value: unknown) => (value !== undefined ? { [key]: value } : {});
  const actions = (key: string) => optional(key, props[key] === undefined ? undefined : list<string>(props, key).map(String));
  return {
    AlarmName: name,
    AlarmRule: str(props, 'AlarmRule') ?? '',
    ...optional('AlarmDescription', str(props, 'AlarmDescription')),
    ...optional('ActionsEnabled', bool(props, 'ActionsEnabled')),
    ...actions('AlarmActions'),
    ...actions('OKActions'),
    ...actions('InsufficientDataActions'),
    ...optional('ActionsSuppressor', str(props, 'ActionsSuppressor')),
    ...optional('ActionsSuppressorWaitPeriod', int(props, 'ActionsSuppressorWaitPeriod')),
    ...optional('ActionsSuppressorExtensionPeriod', int(props, 'ActionsSuppressorExtensionPeriod')),
  };
}

const compositeAttributes = (ctx: ResourceContext, name: string) => ({ physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}` } });

const composite: ResourceProvider = {
  replaceOn: ['AlarmName'],
  async create(props, ctx) {
    onlyKnown(COMPOSITE, props, COMPOSITE_KNOWN);
    const name = str(props, 'AlarmName') ?? ctx.physicalName(255);
    const tags = tagsOf(props, ctx);
    await ctx.call('monitoring', 'PutCompositeAlarm', { ...compositeInput(name, props), ...(tags.length > 0 ? { Tags: tags } : {}) });
    return compositeAttributes(ctx, name);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(COMPOSITE, props, COMPOSITE_KNOWN);
    // PutCompositeAlarm replaces the whole definition, as CloudFormation's update does; the state is kept.
    await ctx.call('monitoring', 'PutCompositeAlarm', compositeInput(name, props));
    const { Arn: arn } = compositeAttributes(ctx, name).attributes;
    await syncTags(ctx, props, previous, (Tags) => ctx.call('monitoring', 'TagResource', { ResourceARN: arn, Tags }), (TagKeys) => ctx.call('monitoring', 'UntagResource', { ResourceARN: arn, TagKeys }));
    return compositeAttributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('monitoring', 'DeleteAlarms', { AlarmNames: [name] }), 'ResourceNotFound');
  },
};


export const cloudwatchProviders: Record<string, ResourceProvider> = { [ALARM]: alarm, [COMPOSITE]: composite, [DASHBOARD]: dashboard };
