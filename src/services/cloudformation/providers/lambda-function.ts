/** AWS::Lambda::Function through Lambda's own operations. */
import { zipEntries } from '../../../code/zip-dir.js';
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import { NODE_CFN_RESPONSE, PYTHON_CFNRESPONSE } from './cfn-response.js';
import { bool, ignoreMissing, num, pick, tagMap } from './common.js';

const CONFIG = ['Role', 'Handler', 'Runtime', 'Description', 'Environment', 'Layers', 'DeadLetterConfig', 'TracingConfig', 'LoggingConfig', 'EphemeralStorage', 'VpcConfig', 'KMSKeyArn', 'ImageConfig', 'SnapStart', 'RuntimeManagementConfig', 'FileSystemConfigs'];

type Code = { ZipFile?: string; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string; ImageUri?: string };

/** Inline `ZipFile` text is packed as index.js (Node.js) or index.py (Python), as CloudFormation does. */
async function codeOf(props: Properties): Promise<Record<string, unknown>> {
  const code = (props['Code'] ?? {}) as Code;
  if (code.ImageUri !== undefined || props['PackageType'] === 'Image') throw CloudFormationErrors.validation('Container image functions (Code.ImageUri) are not supported by this server; use a .zip package');
  if (code.ZipFile !== undefined) {
    const runtime = String(props['Runtime'] ?? '');
    // CloudFormation puts its response module beside inline code, for custom resources.
    const files: Record<string, string> | undefined = runtime.startsWith('nodejs')
      ? { 'index.js': code.ZipFile, 'node_modules/cfn-response/index.js': NODE_CFN_RESPONSE }
      : runtime.startsWith('python')
        ? { 'index.py': code.ZipFile, 'cfnresponse.py': PYTHON_CFNRESPONSE }
        : undefined;
    if (!files) throw CloudFormationErrors.validation(`ZipFile can only be used with Node.js and Python runtimes, not ${runtime || 'no runtime'}`);
    return { ZipFile: await zipEntries(files) };
  }
  return pick(code as Properties, ['S3Bucket', 'S3Key', 'S3ObjectVersion']);
}

function configOf(props: Properties): Record<string, unknown> {
  const out = pick(props, CONFIG);
  if (props['KmsKeyArn'] !== undefined) out['KMSKeyArn'] = props['KmsKeyArn'];
  if (props['Timeout'] !== undefined) out['Timeout'] = num(props['Timeout']);
  if (props['MemorySize'] !== undefined) out['MemorySize'] = num(props['MemorySize']);
  // A number from a parameter or a Ref arrives as text; Lambda's model wants an integer.
  const storage = props['EphemeralStorage'] as { Size?: unknown } | undefined;
  if (storage?.Size !== undefined) out['EphemeralStorage'] = { ...storage, Size: num(storage.Size) };
  const mi = (props['CapacityProviderConfig'] as { LambdaManagedInstancesCapacityProviderConfig?: Record<string, unknown> } | undefined)?.LambdaManagedInstancesCapacityProviderConfig;
  if (mi) {
    const c: Record<string, unknown> = { CapacityProviderArn: mi['CapacityProviderArn'] };
    for (const k of ['PerExecutionEnvironmentMaxConcurrency', 'ExecutionEnvironmentMemoryGiBPerVCpu']) if (mi[k] !== undefined) c[k] = num(mi[k]);
    out['CapacityProviderConfig'] = { LambdaManagedInstancesCapacityProviderConfig: c };
  }
  return out;
}

/**
 * A function on a capacity provider runs only as a published version: CloudFormation publishes
 * `$LATEST.PUBLISHED` after each create or update (unless PublishToLatestPublished is false), then
 * applies FunctionScalingConfig to it.
 */
async function publishLatest(name: string, props: Properties, ctx: ResourceContext): Promise<void> {
  if (props['CapacityProviderConfig'] === undefined || bool(props['PublishToLatestPublished']) === false) return;
  await ctx.call('lambda', 'PublishVersion', { FunctionName: name, PublishTo: 'LATEST_PUBLISHED' });
  const scaling = props['FunctionScalingConfig'] as { MinExecutionEnvironments?: unknown; MaxExecutionEnvironments?: unknown } | undefined;
  if (scaling !== undefined) {
    await ctx.call('lambda', 'PutFunctionScalingConfig', {
      FunctionName: name,
      Qualifier: '$LATEST.PUBLISHED',
      FunctionScalingConfig: {
        ...(scaling.MinExecutionEnvironments !== undefined ? { MinExecutionEnvironments: num(scaling.MinExecutionEnvironments) } : {}),
        ...(scaling.MaxExecutionEnvironments !== undefined ? { MaxExecutionEnvironments: num(scaling.MaxExecutionEnvironments) } : {}),
      },
    });
  }
  await versionActive(name, '$LATEST.PUBLISHED', ctx);
}

/** A published managed-instances version is done once it is Active: its minimum environments have initialised. */
export async function versionActive(name: string, qualifier: string, ctx: ResourceContext): Promise<void> {
  const started = Date.now();
  for (;;) {
    const c = (await ctx.call('lambda', 'GetFunctionConfiguration', { FunctionName: name, Qualifier: qualifier })) as { State?: string; StateReason?: string };
    if (c.State === 'Failed') throw new Error(`Version ${qualifier} of function ${name} failed to become active: ${c.StateReason ?? 'no reason given'}`);
    if (c.State !== 'Pending') return;
    if (Date.now() - started > READY_WAIT_MS) throw new Error(`Version ${qualifier} of function ${name} did not become active in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lambda's wait: CloudFormation's handler reports a function done once it is Active and its last update Successful. */
const READY_WAIT_MS = 15 * 60_000;

async function describe(name: string, ctx: ResourceContext): Promise<Provisioned> {
  const started = Date.now();
  let c: { FunctionArn: string; State?: string; StateReason?: string; LastUpdateStatus?: string; LastUpdateStatusReason?: string };
  for (;;) {
    c = (await ctx.call('lambda', 'GetFunction', { FunctionName: name }))['Configuration'] as typeof c;
    if (c.State === 'Failed') throw new Error(`The function ${name} failed to become active: ${c.StateReason ?? 'no reason given'}`);
    if (c.LastUpdateStatus === 'Failed') throw new Error(`The update of function ${name} failed: ${c.LastUpdateStatusReason ?? 'no reason given'}`);
    if ((c.State === undefined || c.State === 'Active' || c.State === 'Inactive') && c.LastUpdateStatus !== 'InProgress') break;
    if (Date.now() - started > READY_WAIT_MS) throw new Error(`The function ${name} did not become active in time (state ${c.State})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { physicalId: name, attributes: { Arn: c.FunctionArn, 'SnapStartResponse.ApplyOn': 'None', 'SnapStartResponse.OptimizationStatus': 'Off' } };
}

async function setConcurrency(name: string, props: Properties, ctx: ResourceContext): Promise<void> {
  const reserved = props['ReservedConcurrentExecutions'];
  if (reserved === undefined) await ignoreMissing(ctx.call('lambda', 'DeleteFunctionConcurrency', { FunctionName: name }));
  else await ctx.call('lambda', 'PutFunctionConcurrency', { FunctionName: name, ReservedConcurrentExecutions: Number(reserved) });
}

export const lambdaFunction: ResourceProvider = {
  replaceOn: ['FunctionName', 'PackageType'],
  async create(props, ctx) {
    const name = String(props['FunctionName'] ?? ctx.physicalName(64));
    await ctx.call('lambda', 'CreateFunction', {
      FunctionName: name,
      ...configOf(props),
      Code: await codeOf(props),
      ...(props['Architectures'] !== undefined ? { Architectures: props['Architectures'] } : {}),
      Tags: tagMap(props, ctx),
    });
    if (props['ReservedConcurrentExecutions'] !== undefined) await setConcurrency(name, props, ctx);
    await describe(name, ctx);
    await publishLatest(name, props, ctx);
    return describe(name, ctx);
  },
  async update(name, props, previous, ctx) {
    const config = configOf(props);
    // Properties removed from the template go back to Lambda's defaults.
    for (const k of ['Description', 'Layers']) if (config[k] === undefined && previous[k] !== undefined) config[k] = k === 'Layers' ? [] : '';
    if (config['Environment'] === undefined && previous['Environment'] !== undefined) config['Environment'] = { Variables: {} };
    await ctx.call('lambda', 'UpdateFunctionConfiguration', { FunctionName: name, ...config });
    await describe(name, ctx); // Lambda refuses a code update while the configuration's is under way
    if (JSON.stringify(props['Code']) !== JSON.stringify(previous['Code']) || JSON.stringify(props['Architectures']) !== JSON.stringify(previous['Architectures'])) {
      await ctx.call('lambda', 'UpdateFunctionCode', { FunctionName: name, ...(await codeOf(props)), ...(props['Architectures'] !== undefined ? { Architectures: props['Architectures'] } : {}) });
    }
    if (props['ReservedConcurrentExecutions'] !== previous['ReservedConcurrentExecutions']) await setConcurrency(name, props, ctx);
    const arn = (await describe(name, ctx)).attributes['Arn'] as string;
    const tags = tagMap(props, ctx);
    const removed = Object.keys(tagMap(previous, ctx)).filter((k) => !(k in tags));
    if (removed.length > 0) await ctx.call('lambda', 'UntagResource', { Resource: arn, TagKeys: removed });
    if (Object.keys(tags).length > 0) await ctx.call('lambda', 'TagResource', { Resource: arn, Tags: tags });
    await publishLatest(name, props, ctx);
    return describe(name, ctx);
  },
  async delete(name, _props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteFunction', { FunctionName: name }));
  },
};
