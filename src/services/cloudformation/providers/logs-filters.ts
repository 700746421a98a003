/**
 * AWS::Logs::LogStream, MetricFilter and SubscriptionFilter, through CloudWatch Logs' own operations.
 * `Ref` is the stream's or filter's name; a filter without `FilterName` gets a generated one.
 */
import type { Properties, ResourceProvider } from '../provider.js';
import { gone, list, onlyKnown, str } from './props.js';

const NOT_FOUND = 'ResourceNotFoundException';
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });

const STREAM = 'AWS::Logs::LogStream';
const logStream: ResourceProvider = {
  replaceOn: ['LogGroupName', 'LogStreamName'],
  async create(props, ctx) {
    onlyKnown(STREAM, props, ['LogGroupName', 'LogStreamName']);
    const name = str(props, 'LogStreamName') ?? ctx.physicalName(512);
    await ctx.call('logs', 'CreateLogStream', { logGroupName: str(props, 'LogGroupName'), logStreamName: name });
    return { physicalId: name, attributes: {} };
  },
  async update(name) {
    return { physicalId: name, attributes: {} };
  },
  async delete(name, props, ctx) {
    await gone(ctx.call('logs', 'DeleteLogStream', { logGroupName: str(props, 'LogGroupName'), logStreamName: name }), NOT_FOUND);
  },
};

/** A filter is put whole (Put* creates or replaces it by name): create and update are the same call. */
function filterProvider(type: string, known: readonly string[], put: string, del: string, input: (props: Properties) => Record<string, unknown>): ResourceProvider {
  const putFilter = async (name: string, props: Properties, ctx: Parameters<ResourceProvider['create']>[1]) => {
    onlyKnown(type, props, known);
    await ctx.call('logs', put, { logGroupName: str(props, 'LogGroupName'), filterName: name, filterPattern: str(props, 'FilterPattern') ?? '', ...input(props) });
    return { physicalId: name, attributes: {} };
  };
  return {
    replaceOn: ['LogGroupName', 'FilterName'],
    create: (props, ctx) => putFilter(str(props, 'FilterName') ?? ctx.physicalName(512), props, ctx),
    update: (name, props, _previous, ctx) => putFilter(name, props, ctx),
    async delete(name, props, ctx) {
      await gone(ctx.call('logs', del, { logGroupName: str(props, 'LogGroupName'), filterName: name }), NOT_FOUND);
    },
  };
}

/** CloudFormation's transformations (`Dimensions: [{Key, Value}]`) as PutMetricFilter takes them (a map). */
const transformations = (props: Properties) =>
  list<Properties>(props, 'MetricTransformations').map((m) => ({
    metricName: str(m, 'MetricName'),
    metricNamespace: str(m, 'MetricNamespace'),
    metricValue: str(m, 'MetricValue'),
    ...setIf('defaultValue', m['DefaultValue'] === undefined ? undefined : Number(m['DefaultValue'])),
    ...setIf('unit', str(m, 'Unit')),
    ...(m['Dimensions'] !== undefined ? { dimensions: Object.fromEntries(list<Properties>(m, 'Dimensions').map((d) => [String(d['Key']), String(d['Value'])])) } : {}),
  }));

const metricFilter = filterProvider('AWS::Logs::MetricFilter', ['LogGroupName', 'FilterName', 'FilterPattern', 'MetricTransformations'], 'PutMetricFilter', 'DeleteMetricFilter', (props) => ({
  metricTransformations: transformations(props),
}));

const subscriptionFilter = filterProvider(
  'AWS::Logs::SubscriptionFilter',
  ['LogGroupName', 'FilterName', 'FilterPattern', 'DestinationArn', 'RoleArn', 'Distribution'],
  'PutSubscriptionFilter',
  'DeleteSubscriptionFilter',
  (props) => ({ destinationArn: str(props, 'DestinationArn'), ...setIf('roleArn', str(props, 'RoleArn')), ...setIf('distribution', str(props, 'Distribution')) }),
);

export const logsFilterProviders: Readonly<Record<string, ResourceProvider>> = {
  [STREAM]: logStream,
  'AWS::Logs::MetricFilter': metricFilter,
  'AWS::Logs::SubscriptionFilter': subscriptionFilter,
};
