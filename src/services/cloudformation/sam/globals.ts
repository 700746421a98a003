/**
 * The Globals section: properties given once for every resource of a SAM type, merged under each
 * resource's own (local wins for scalars and intrinsics, maps merge key by key, lists concatenate
 * global then local). `IgnoreGlobals` on a resource drops all ("*") or the named globals.
 */
import { SamCause } from './errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from './intrinsics.js';

const SUPPORTED: Record<string, readonly string[]> = {
  Function: [
    'Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig',
    'Environment', 'Tags', 'PropagateTags', 'Tracing', 'KmsKeyArn', 'AutoPublishAlias', 'AutoPublishAliasAllProperties',
    'Layers', 'DeploymentPreference', 'RolePath', 'PermissionsBoundary', 'ReservedConcurrentExecutions',
    'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'FileSystemConfigs',
    'CodeSigningConfigArn', 'Architectures', 'SnapStart', 'EphemeralStorage', 'FunctionUrlConfig',
    'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn', 'TenancyConfig', 'DurableConfig',
    'CapacityProviderConfig', 'FunctionScalingConfig', 'PublishToLatestPublished', 'VersionDeletionPolicy',
  ],
  Api: [
    'Auth', 'Name', 'DefinitionUri', 'CacheClusterEnabled', 'CacheClusterSize', 'MergeDefinitions', 'Variables',
    'EndpointConfiguration', 'MethodSettings', 'BinaryMediaTypes', 'MinimumCompressionSize', 'Cors',
    'GatewayResponses', 'AccessLogSetting', 'CanarySetting', 'TracingEnabled', 'OpenApiVersion', 'Domain',
    'AlwaysDeploy', 'PropagateTags', 'SecurityPolicy', 'EndpointAccessMode',
  ],
  HttpApi: [
    'Auth', 'AccessLogSettings', 'StageVariables', 'Tags', 'CorsConfiguration', 'DefaultRouteSettings', 'Domain',
    'RouteSettings', 'FailOnWarnings', 'PropagateTags',
  ],
  SimpleTable: ['SSESpecification'],
  StateMachine: ['PropagateTags'],
  LayerVersion: ['PublishLambdaVersion'],
  CapacityProvider: ['VpcConfig', 'OperatorRole', 'Tags', 'InstanceRequirements', 'ScalingConfig', 'KmsKeyArn', 'PropagateTags'],
  WebSocketApi: [
    'AccessLogSettings', 'ApiKeySelectionExpression', 'DefaultRouteSettings', 'DisableExecuteApiEndpoint',
    'DisableSchemaValidation', 'Domain', 'FailOnWarnings', 'IpAddressType', 'PropagateTags', 'RouteSelectionExpression',
    'RouteSettings', 'StageVariables', 'Tags',
  ],
};

const pyList = (items: readonly string[]): string => `[${items.map((s) => `'${s}'`).join(', ')}]`;

function globalsError(message: string): SamCause {
  return new SamCause(`'Globals' section is invalid. ${message}`);
}

/** Globals by SAM type name (`Function`, `Api`...), validated. */
export function parseGlobals(section: Json | undefined): Record<string, JsonObject> {
  if (section === undefined) return {};
  if (!isObject(section)) throw globalsError('It must be a non-empty dictionary');
  const out: Record<string, JsonObject> = {};
  for (const [name, props] of Object.entries(section)) {
    const supported = SUPPORTED[name];
    if (!supported) {
      throw globalsError(`'${name}' is not supported. Must be one of the following values - ${pyList(Object.keys(SUPPORTED).sort())}`);
    }
    if (!isObject(props)) throw globalsError('Value of ${section} must be a dictionary');
    for (const key of Object.keys(props)) {
      if (!supported.includes(key)) {
        throw globalsError(`'${key}' is not a supported property of '${name}'. Must be one of the following values - ${pyList(supported)}`);
      }
    }
    out[name] = props;
  }
  return out;
}

/** The resource's properties with the globals of its type merged in. */
export function mergeGlobals(logicalId: string, globals: JsonObject | undefined, local: JsonObject, ignore: Json | undefined): JsonObject {
  if (!globals) return local;
  let effective = globals;
  if (ignore) {
    if (ignore === '*') return local;
    if (!Array.isArray(ignore)) throw attributeError(logicalId, `Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals'.`);
    effective = { ...globals };
    for (const key of ignore) {
      if (typeof key !== 'string' || !(key in effective)) {
        throw attributeError(logicalId, `Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals' on item '${String(key)}'.`);
      }
      delete effective[key];
    }
  }
  return merge(effective, local) as JsonObject;
}

function attributeError(logicalId: string, message: string): SamCause {
  return new SamCause(`Resource with id [${logicalId}] is invalid. ${message}`);
}

type Token = 'primitive' | 'dict' | 'list';
const tokenOf = (v: Json): Token => (Array.isArray(v) ? 'list' : isObject(v) && !isIntrinsic(v) ? 'dict' : 'primitive');

function merge(global: Json, local: Json): Json {
  const g = tokenOf(global);
  if (g !== tokenOf(local) || g === 'primitive') return local;
  if (g === 'list') return [...(global as Json[]), ...(local as Json[])];
  const out: JsonObject = { ...(global as JsonObject) };
  for (const [k, v] of Object.entries(local as JsonObject)) out[k] = k in out ? merge(out[k]!, v) : v;
  return out;
}
