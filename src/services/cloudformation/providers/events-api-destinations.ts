/**
 * AWS::Events::Connection and AWS::Events::ApiDestination, through EventBridge's own operations.
 * `Ref` is the name; `Fn::GetAtt` gives `Arn` (and a connection's `SecretArn`), and `ArnForPolicy`,
 * the ARN without its trailing id, as IAM policies name it.
 */
import type { Properties, ResourceProvider } from '../provider.js';
import { gone, int, obj, onlyKnown, str } from './props.js';

const CONNECTION = 'AWS::Events::Connection';
const DESTINATION = 'AWS::Events::ApiDestination';
const CONNECTION_PROPS = ['Name', 'Description', 'AuthorizationType', 'AuthParameters'];
const DESTINATION_PROPS = ['Name', 'Description', 'ConnectionArn', 'InvocationEndpoint', 'HttpMethod', 'InvocationRateLimitPerSecond'];
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });
const forPolicy = (arn: string) => arn.slice(0, arn.lastIndexOf('/'));

/** Template values come as text too: IsValueSecret becomes a boolean wherever it is. */
function normalized(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalized);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'IsValueSecret' ? x === true || x === 'true' : normalized(x)]));
}

const connectionSettings = (props: Properties) => ({
  ...setIf('Description', str(props, 'Description')),
  ...setIf('AuthorizationType', str(props, 'AuthorizationType')),
  ...setIf('AuthParameters', obj(props, 'AuthParameters') === undefined ? undefined : normalized(obj(props, 'AuthParameters'))),
});

async function connectionProvisioned(name: string, ctx: Parameters<ResourceProvider['create']>[1]) {
  const d = await ctx.call('events', 'DescribeConnection', { Name: name });
  const arn = String(d['ConnectionArn']);
  return { physicalId: name, attributes: { Arn: arn, SecretArn: String(d['SecretArn']), ArnForPolicy: forPolicy(arn) } };
}

const connection: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(CONNECTION, props, CONNECTION_PROPS);
    const name = str(props, 'Name') ?? ctx.physicalName(64);
    await ctx.call('events', 'CreateConnection', { Name: name, ...connectionSettings(props) });
    return connectionProvisioned(name, ctx);
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(CONNECTION, props, CONNECTION_PROPS);
    await ctx.call('events', 'UpdateConnection', { Name: name, ...connectionSettings(props) });
    return connectionProvisioned(name, ctx);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('events', 'DeleteConnection', { Name: name }), 'ResourceNotFoundException');
  },
};

const destinationSettings = (props: Properties) => ({
  ...setIf('Description', str(props, 'Description')),
  ...setIf('ConnectionArn', str(props, 'ConnectionArn')),
  ...setIf('InvocationEndpoint', str(props, 'InvocationEndpoint')),
  ...setIf('HttpMethod', str(props, 'HttpMethod')),
  ...setIf('InvocationRateLimitPerSecond', int(props, 'InvocationRateLimitPerSecond')),
});
const destinationProvisioned = (name: string, answer: Record<string, unknown>) => {
  const arn = String(answer['ApiDestinationArn']);
  return { physicalId: name, attributes: { Arn: arn, ArnForPolicy: forPolicy(arn) } };
};

const destination: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(DESTINATION, props, DESTINATION_PROPS);
    const name = str(props, 'Name') ?? ctx.physicalName(64);
    return destinationProvisioned(name, await ctx.call('events', 'CreateApiDestination', { Name: name, ...destinationSettings(props) }));
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(DESTINATION, props, DESTINATION_PROPS);
    return destinationProvisioned(name, await ctx.call('events', 'UpdateApiDestination', { Name: name, ...destinationSettings(props) }));
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('events', 'DeleteApiDestination', { Name: name }), 'ResourceNotFoundException');
  },
};

export const eventsApiDestinationProviders: Readonly<Record<string, ResourceProvider>> = { [CONNECTION]: connection, [DESTINATION]: destination };
