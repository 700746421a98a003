/** Lambda's other resource types: Version, Alias, Permission, EventSourceMapping, LayerVersion, LayerVersionPermission, Url, EventInvokeConfig. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, ignoreMissing, num, pick, tagMap } from './common.js';
import { versionActive } from './lambda-function.js';

/** `name`, `name:qualifier` or an ARN with a qualifier: the function and the qualifier apart. */
function splitQualified(fn: string): { FunctionName: string; Qualifier?: string } {
  if (fn.startsWith('arn:')) {
    const parts = fn.split(':');
    return parts.length > 7 ? { FunctionName: parts.slice(0, 7).join(':'), Qualifier: parts[7]! } : { FunctionName: fn };
  }
  const [name, q] = fn.split(':');
  return q === undefined ? { FunctionName: name! } : { FunctionName: name!, Qualifier: q };
}

const routing = (props: Properties) => {
  const weights = (props['RoutingConfig'] as { AdditionalVersionWeights?: { FunctionVersion: string; FunctionWeight: number }[] } | undefined)?.AdditionalVersionWeights;
  return weights === undefined ? {} : { RoutingConfig: { AdditionalVersionWeights: Object.fromEntries(weights.map((w) => [String(w.FunctionVersion), Number(w.FunctionWeight)])) } };
};

/** FunctionScalingConfig of a version of a function on a capacity provider. */
async function putScaling(props: Properties, version: string, ctx: ResourceContext): Promise<void> {
  const scaling = props['FunctionScalingConfig'] as { MinExecutionEnvironments?: unknown; MaxExecutionEnvironments?: unknown } | undefined;
  if (scaling === undefined) return;
  const config: Record<string, unknown> = {};
  for (const k of ['MinExecutionEnvironments', 'MaxExecutionEnvironments'] as const) if (scaling[k] !== undefined) config[k] = num(scaling[k]);
  await ctx.call('lambda', 'PutFunctionScalingConfig', { FunctionName: String(props['FunctionName']), Qualifier: version, FunctionScalingConfig: config });
}

export const lambdaVersion: ResourceProvider = {
  replaceOn: ['FunctionName', 'Description', 'CodeSha256'],
  async create(props, ctx) {
    const out = await ctx.call('lambda', 'PublishVersion', { FunctionName: String(props['FunctionName']), ...pick(props, ['Description', 'CodeSha256']) });
    const arn = String(out['FunctionArn']);
    await putScaling(props, String(out['Version']), ctx);
    await versionActive(String(props['FunctionName']), String(out['Version']), ctx);
    return { physicalId: arn, attributes: { Version: String(out['Version']), FunctionArn: arn } };
  },
  async update(arn, props, _previous, ctx) {
    await putScaling(props, arn.split(':').pop()!, ctx);
    return { physicalId: arn, attributes: { Version: arn.split(':').pop()!, FunctionArn: arn } };
  },
  async delete(arn, _props, ctx) {
    const { FunctionName, Qualifier } = splitQualified(arn);
    await ignoreMissing(ctx.call('lambda', 'DeleteFunction', { FunctionName, ...(Qualifier ? { Qualifier } : {}) }));
  },
};

export const lambdaAlias: ResourceProvider = {
  replaceOn: ['FunctionName', 'Name'],
  async create(props, ctx) {
    const out = await ctx.call('lambda', 'CreateAlias', { FunctionName: String(props['FunctionName']), Name: String(props['Name']), FunctionVersion: String(props['FunctionVersion']), ...pick(props, ['Description']), ...routing(props) });
    const arn = String(out['AliasArn']);
    return { physicalId: arn, attributes: { AliasArn: arn } };
  },
  async update(arn, props, _previous, ctx) {
    await ctx.call('lambda', 'UpdateAlias', { FunctionName: String(props['FunctionName']), Name: String(props['Name']), FunctionVersion: String(props['FunctionVersion']), Description: String(props['Description'] ?? ''), RoutingConfig: routing(props).RoutingConfig ?? { AdditionalVersionWeights: {} } });
    return { physicalId: arn, attributes: { AliasArn: arn } };
  },
  async delete(_arn, props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteAlias', { FunctionName: String(props['FunctionName']), Name: String(props['Name']) }));
  },
};

export const lambdaPermission: ResourceProvider = {
  replaceOn: ['Action', 'FunctionName', 'Principal', 'SourceArn', 'SourceAccount', 'EventSourceToken', 'FunctionUrlAuthType', 'PrincipalOrgID'],
  async create(props, ctx) {
    const id = ctx.physicalName(100);
    const { FunctionName, Qualifier } = splitQualified(String(props['FunctionName']));
    await ctx.call('lambda', 'AddPermission', { FunctionName, ...(Qualifier ? { Qualifier } : {}), StatementId: id, ...pick(props, ['Action', 'Principal', 'SourceArn', 'SourceAccount', 'EventSourceToken', 'FunctionUrlAuthType', 'PrincipalOrgID']) });
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id) {
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(id, props, ctx) {
    const { FunctionName, Qualifier } = splitQualified(String(props['FunctionName']));
    await ignoreMissing(ctx.call('lambda', 'RemovePermission', { FunctionName, ...(Qualifier ? { Qualifier } : {}), StatementId: id }));
  },
};

const ESM_SETTINGS = ['BatchSize', 'Enabled', 'MaximumBatchingWindowInSeconds', 'FilterCriteria', 'FunctionResponseTypes', 'ScalingConfig', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'ParallelizationFactor', 'DestinationConfig', 'TumblingWindowInSeconds', 'Topics', 'Queues'];
const esmConfig = (props: Properties) => {
  const out = pick(props, ESM_SETTINGS);
  for (const k of ['BatchSize', 'MaximumBatchingWindowInSeconds', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor', 'TumblingWindowInSeconds']) if (out[k] !== undefined) out[k] = num(out[k]);
  for (const k of ['Enabled', 'BisectBatchOnFunctionError']) if (out[k] !== undefined) out[k] = bool(out[k]);
  const scaling = out['ScalingConfig'] as { MaximumConcurrency?: unknown } | undefined;
  if (scaling?.MaximumConcurrency !== undefined) out['ScalingConfig'] = { ...scaling, MaximumConcurrency: num(scaling.MaximumConcurrency) };
  return out;
};
const esmAttributes = (out: Record<string, unknown>) => ({ Id: String(out['UUID']), EventSourceMappingArn: String(out['EventSourceMappingArn'] ?? '') });

export const lambdaEventSourceMapping: ResourceProvider = {
  replaceOn: ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'SelfManagedEventSource', 'AmazonManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig'],
  async create(props, ctx) {
    const tags = tagMap(props, ctx);
    const out = await ctx.call('lambda', 'CreateEventSourceMapping', {
      FunctionName: String(props['FunctionName']),
      ...pick(props, ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp']),
      ...esmConfig(props),
      ...(Object.keys(tags).length > 0 ? { Tags: tags } : {}),
    });
    return { physicalId: String(out['UUID']), attributes: esmAttributes(out) };
  },
  async update(uuid, props, previous, ctx) {
    const out = await ctx.call('lambda', 'UpdateEventSourceMapping', { UUID: uuid, FunctionName: String(props['FunctionName']), ...esmConfig(props) });
    const arn = String(out['EventSourceMappingArn']);
    const tags = tagMap(props, ctx);
    const removed = Object.keys(tagMap(previous, ctx)).filter((k) => !(k in tags));
    if (removed.length > 0) await ctx.call('lambda', 'UntagResource', { Resource: arn, TagKeys: removed });
    if (Object.keys(tags).length > 0) await ctx.call('lambda', 'TagResource', { Resource: arn, Tags: tags });
    return { physicalId: uuid, attributes: esmAttributes(out) };
  },
  async delete(uuid, _props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteEventSourceMapping', { UUID: uuid }));
  },
};

export const lambdaLayerVersion: ResourceProvider = {
  replaceOn: ['Content', 'CompatibleRuntimes', 'CompatibleArchitectures', 'Description', 'LayerName', 'LicenseInfo'],
  async create(props, ctx) {
    const out = await ctx.call('lambda', 'PublishLayerVersion', {
      LayerName: String(props['LayerName'] ?? ctx.physicalName(64)),
      Content: pick((props['Content'] ?? {}) as Properties, ['S3Bucket', 'S3Key', 'S3ObjectVersion']),
      ...pick(props, ['CompatibleRuntimes', 'CompatibleArchitectures', 'Description', 'LicenseInfo']),
    });
    const arn = String(out['LayerVersionArn']);
    return { physicalId: arn, attributes: { LayerVersionArn: arn } };
  },
  async update(arn) {
    return { physicalId: arn, attributes: { LayerVersionArn: arn } };
  },
  async delete(arn, _props, ctx) {
    const parts = arn.split(':');
    await ignoreMissing(ctx.call('lambda', 'DeleteLayerVersion', { LayerName: parts[6]!, VersionNumber: Number(parts[7]) }));
  },
};

/** A layer version's ARN (`arn:...:layer:name:3`): the layer and the version apart. */
function splitLayerVersion(arn: string): { LayerName: string; VersionNumber: number } {
  const at = arn.lastIndexOf(':');
  return { LayerName: arn.slice(0, at), VersionNumber: Number(arn.slice(at + 1)) };
}

/**
 * A statement in a layer version's policy (AddLayerVersionPermission), named after the resource. Ref and
 * Id are the layer version's ARN and the statement id joined by `#`, as AWS defines them. Every property
 * replaces the statement.
 */
export const lambdaLayerVersionPermission: ResourceProvider = {
  replaceOn: ['Action', 'LayerVersionArn', 'OrganizationId', 'Principal'],
  async create(props, ctx) {
    const layerVersionArn = String(props['LayerVersionArn']);
    const statementId = ctx.physicalName(100);
    await ctx.call('lambda', 'AddLayerVersionPermission', { ...splitLayerVersion(layerVersionArn), StatementId: statementId, ...pick(props, ['Action', 'Principal', 'OrganizationId']) });
    const id = `${layerVersionArn}#${statementId}`;
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id) {
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(id, _props, ctx) {
    const hash = id.lastIndexOf('#');
    await ignoreMissing(ctx.call('lambda', 'RemoveLayerVersionPermission', { ...splitLayerVersion(id.slice(0, hash)), StatementId: id.slice(hash + 1) }));
  },
};

const urlTarget = (props: Properties) => ({ FunctionName: String(props['TargetFunctionArn']), ...(props['Qualifier'] !== undefined ? { Qualifier: String(props['Qualifier']) } : {}) });
const urlAttributes = (out: Record<string, unknown>) => ({ FunctionUrl: String(out['FunctionUrl']), FunctionArn: String(out['FunctionArn']) });

export const lambdaUrl: ResourceProvider = {
  replaceOn: ['TargetFunctionArn', 'Qualifier'],
  async create(props, ctx) {
    const out = await ctx.call('lambda', 'CreateFunctionUrlConfig', { ...urlTarget(props), ...pick(props, ['AuthType', 'Cors', 'InvokeMode']) });
    return { physicalId: String(out['FunctionArn']), attributes: urlAttributes(out) };
  },
  async update(id, props, _previous, ctx) {
    const out = await ctx.call('lambda', 'UpdateFunctionUrlConfig', { ...urlTarget(props), ...pick(props, ['AuthType', 'Cors', 'InvokeMode']) });
    return { physicalId: id, attributes: urlAttributes(out) };
  },
  async delete(_id, props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteFunctionUrlConfig', urlTarget(props)));
  },
};

const invokeTarget = (props: Properties) => ({ FunctionName: String(props['FunctionName']), Qualifier: String(props['Qualifier']) });
const invokeConfig = (props: Properties) => {
  const out = pick(props, ['DestinationConfig']);
  for (const k of ['MaximumEventAgeInSeconds', 'MaximumRetryAttempts']) if (props[k] !== undefined) out[k] = num(props[k]);
  return out;
};

export const lambdaEventInvokeConfig: ResourceProvider = {
  replaceOn: ['FunctionName', 'Qualifier'],
  async create(props, ctx: ResourceContext) {
    await ctx.call('lambda', 'PutFunctionEventInvokeConfig', { ...invokeTarget(props), ...invokeConfig(props) });
    return { physicalId: `${String(props['FunctionName'])}:${String(props['Qualifier'])}`, attributes: {} };
  },
  async update(id, props, _previous, ctx) {
    await ctx.call('lambda', 'PutFunctionEventInvokeConfig', { ...invokeTarget(props), ...invokeConfig(props) });
    return { physicalId: id, attributes: {} };
  },
  async delete(_id, props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteFunctionEventInvokeConfig', invokeTarget(props)));
  },
};
