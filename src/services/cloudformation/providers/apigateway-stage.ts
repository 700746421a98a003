/**
 * AWS::ApiGateway::Stage: a REST API's stage, with its `MethodSettings` and `AccessLogSetting` applied
 * through UpdateStage's patch operations, as the console and CloudFormation apply them. What the front
 * door does with them: a method's (or `/*` `*`'s) throttling is enforced (429 past the rate and
 * burst), access log lines in the given format go to the given CloudWatch Logs group; logging level,
 * data trace, metrics and caching settings are stored and shown by GetStage only.
 */
import type { Properties, ResourceProvider } from '../provider.js';
import { tagMap } from './common.js';
import { bool, changed, gone, list, obj, onlyKnown, str, UnsupportedProperty } from './props.js';

const STAGE = 'AWS::ApiGateway::Stage';
const NOT_FOUND = 'NotFoundException';
const STAGE_PROPS = ['RestApiId', 'StageName', 'DeploymentId', 'Description', 'Variables', 'TracingEnabled', 'CacheClusterEnabled', 'Tags', 'MethodSettings', 'AccessLogSetting'];

type Patch = { op: string; path: string; value?: string };

/** A method setting's template name and the tail of its patch path. */
const METHOD_SETTINGS: Readonly<Record<string, string>> = {
  ThrottlingBurstLimit: 'throttling/burstLimit',
  ThrottlingRateLimit: 'throttling/rateLimit',
  LoggingLevel: 'logging/loglevel',
  DataTraceEnabled: 'logging/dataTrace',
  MetricsEnabled: 'metrics/enabled',
  CachingEnabled: 'caching/enabled',
  CacheTtlInSeconds: 'caching/ttlInSeconds',
};

/**
 * The template's method settings as patch path → value: `ResourcePath` comes encoded (`/~1pets`), `/`
 * for the root and `/*` with `HttpMethod: '*'` for every method.
 */
function methodSettings(props: Properties): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of list<Properties>(props, 'MethodSettings')) {
    onlyKnown(`${STAGE} MethodSettings`, m, ['ResourcePath', 'HttpMethod', 'CacheDataEncrypted', ...Object.keys(METHOD_SETTINGS)]);
    if (m['CacheDataEncrypted'] !== undefined) throw new UnsupportedProperty(STAGE, 'MethodSettings.CacheDataEncrypted', 'stage caches are not served.');
    const path = str(m, 'ResourcePath') ?? '/*';
    const prefix = `${path === '/' ? '/~1' : path}/${str(m, 'HttpMethod') ?? '*'}`;
    for (const [name, tail] of Object.entries(METHOD_SETTINGS)) if (m[name] !== undefined) out.set(`${prefix}/${tail}`, String(m[name]));
  }
  return out;
}

/** Patches taking the stage's method settings and access log from what it had to what the template says. */
export function settingsPatches(props: Properties, previous: Properties): Patch[] {
  const ops: Patch[] = [];
  const want = methodSettings(props);
  const had = methodSettings(previous);
  for (const path of had.keys()) if (!want.has(path)) ops.push({ op: 'remove', path });
  for (const [path, value] of want) if (had.get(path) !== value) ops.push({ op: 'replace', path, value });
  if (changed(props, previous, 'AccessLogSetting')) {
    const log = obj(props, 'AccessLogSetting');
    if (log) onlyKnown(`${STAGE} AccessLogSetting`, log, ['DestinationArn', 'Format']);
    const arn = log && str(log, 'DestinationArn');
    if (!arn) ops.push({ op: 'remove', path: '/accessLogSettings' });
    else {
      if (!arn.includes(':log-group:')) throw new UnsupportedProperty(STAGE, 'AccessLogSetting.DestinationArn', 'only CloudWatch Logs groups are served as destinations.');
      ops.push({ op: 'replace', path: '/accessLogSettings/destinationArn', value: arn });
      ops.push({ op: 'replace', path: '/accessLogSettings/format', value: str(log, 'Format') ?? '$context.requestId' });
    }
  }
  return ops;
}

const variablesOf = (props: Properties): Record<string, string> => Object.fromEntries(Object.entries(obj(props, 'Variables') ?? {}).map(([k, v]) => [k, String(v)]));
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });

export const stageProvider: ResourceProvider = {
  replaceOn: ['RestApiId', 'StageName'],
  async create(props, ctx) {
    onlyKnown(STAGE, props, STAGE_PROPS);
    const restApiId = str(props, 'RestApiId');
    const stageName = str(props, 'StageName') ?? ctx.physicalName(128);
    const patchOperations = settingsPatches(props, {});
    const tags = tagMap(props, ctx);
    await ctx.call('apigateway', 'CreateStage', {
      restApiId,
      stageName,
      deploymentId: str(props, 'DeploymentId'),
      ...setIf('description', str(props, 'Description')),
      ...(props['Variables'] !== undefined ? { variables: variablesOf(props) } : {}),
      ...setIf('tracingEnabled', bool(props, 'TracingEnabled')),
      ...setIf('cacheClusterEnabled', bool(props, 'CacheClusterEnabled')),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    });
    if (patchOperations.length > 0) {
      await ctx.call('apigateway', 'UpdateStage', { restApiId, stageName, patchOperations }).catch(async (err: unknown) => {
        await ctx.call('apigateway', 'DeleteStage', { restApiId, stageName }).catch(() => undefined);
        throw err;
      });
    }
    return { physicalId: stageName, attributes: {} };
  },
  async update(stageName, props, previous, ctx) {
    onlyKnown(STAGE, props, STAGE_PROPS);
    const ops: Patch[] = [];
    if (changed(props, previous, 'DeploymentId')) ops.push({ op: 'replace', path: '/deploymentId', value: str(props, 'DeploymentId') ?? '' });
    if (changed(props, previous, 'Description')) ops.push({ op: 'replace', path: '/description', value: str(props, 'Description') ?? '' });
    if (changed(props, previous, 'TracingEnabled')) ops.push({ op: 'replace', path: '/tracingEnabled', value: String(bool(props, 'TracingEnabled') ?? false) });
    if (changed(props, previous, 'CacheClusterEnabled')) ops.push({ op: 'replace', path: '/cacheClusterEnabled', value: String(bool(props, 'CacheClusterEnabled') ?? false) });
    if (changed(props, previous, 'Variables')) {
      const want = variablesOf(props);
      const had = variablesOf(previous);
      for (const k of Object.keys(had)) if (!(k in want)) ops.push({ op: 'remove', path: `/variables/${k}` });
      for (const [k, v] of Object.entries(want)) if (had[k] !== v) ops.push({ op: 'replace', path: `/variables/${k}`, value: v });
    }
    ops.push(...settingsPatches(props, previous));
    if (ops.length > 0) await ctx.call('apigateway', 'UpdateStage', { restApiId: str(props, 'RestApiId'), stageName, patchOperations: ops });
    return { physicalId: stageName, attributes: {} };
  },
  async delete(stageName, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteStage', { restApiId: str(props, 'RestApiId'), stageName }), NOT_FOUND);
  },
};
