/**
 * AWS::ApiGateway::RestApi, Resource, Method, Authorizer and Deployment, through API Gateway's own operations (the
 * resources the Serverless Framework and hand-written templates make for `http` events).
 */
import { AwsError } from '../../../wire/errors.js';
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { tagMap } from './common.js';
import { definitionChanged, definitionOf } from './definition-body.js';
import { bool, changed, gone, int, json, list, obj, onlyKnown, orUndo, str, syncTags, UnsupportedProperty } from './props.js';

const REST_API = 'AWS::ApiGateway::RestApi';
const NOT_FOUND = 'NotFoundException';

const REST_API_PROPS = [
  'Name', 'Description', 'EndpointConfiguration', 'Policy', 'BinaryMediaTypes', 'MinimumCompressionSize', 'ApiKeySourceType', 'DisableExecuteApiEndpoint', 'Tags',
  'Body', 'BodyS3Location', 'FailOnWarnings', 'Mode', 'Parameters',
];
/** A policy given as `""` (the Serverless Framework's default) is no policy. */
const policyOf = (props: Properties): string | undefined => {
  const p = json(props, 'Policy');
  return p === '' ? undefined : p;
};
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });

function refuseEndpointExtras(props: Properties): void {
  if (list(obj(props, 'EndpointConfiguration') ?? {}, 'VpcEndpointIds').length > 0) throw new UnsupportedProperty(REST_API, 'EndpointConfiguration.VpcEndpointIds', 'private APIs are not served.');
}

async function restApiAttributes(ctx: ResourceContext, id: string) {
  const api = await ctx.call('apigateway', 'GetRestApi', { restApiId: id });
  return { physicalId: id, attributes: { RestApiId: id, RootResourceId: api['rootResourceId'] } };
}

/** UpdateRestApi patch operations for the properties that changed. */
function restApiPatches(props: Properties, previous: Properties): { op: string; path: string; value?: string }[] {
  const ops: { op: string; path: string; value?: string }[] = [];
  const replace = (path: string, v: string | undefined) => ops.push({ op: 'replace', path, value: v ?? '' });
  if (changed(props, previous, 'Name')) replace('/name', str(props, 'Name'));
  if (changed(props, previous, 'Description')) replace('/description', str(props, 'Description'));
  if (changed(props, previous, 'Policy')) replace('/policy', policyOf(props));
  if (changed(props, previous, 'ApiKeySourceType')) replace('/apiKeySource', str(props, 'ApiKeySourceType') ?? 'HEADER');
  if (changed(props, previous, 'MinimumCompressionSize')) replace('/minimumCompressionSize', str(props, 'MinimumCompressionSize'));
  if (changed(props, previous, 'DisableExecuteApiEndpoint')) replace('/disableExecuteApiEndpoint', String(bool(props, 'DisableExecuteApiEndpoint') ?? false));
  if (changed(props, previous, 'BinaryMediaTypes')) {
    const want = list<string>(props, 'BinaryMediaTypes');
    const had = list<string>(previous, 'BinaryMediaTypes');
    // Patch paths escape `/` in a media type as `~1`.
    const path = (t: string) => `/binaryMediaTypes/${t.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    for (const t of had) if (!want.includes(t)) ops.push({ op: 'remove', path: path(t) });
    for (const t of want) if (!had.includes(t)) ops.push({ op: 'add', path: path(t) });
  }
  return ops;
}

/** A REST API made from its inline definition, then given the template's other settings. */
async function importRestApi(props: Properties, body: Buffer, ctx: ResourceContext) {
  const imported = await ctx.call('apigateway', 'ImportRestApi', { body, ...setIf('failOnWarnings', bool(props, 'FailOnWarnings')) });
  const id = String(imported['id']);
  return orUndo(
    async () => {
      const patchOperations = restApiPatches(props, {});
      if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateRestApi', { restApiId: id, patchOperations });
      const tags = tagMap(props, ctx);
      if (Object.keys(tags).length > 0) await ctx.call('apigateway', 'TagResource', { resourceArn: `arn:aws:apigateway:${ctx.region}::/restapis/${id}`, tags });
      return restApiAttributes(ctx, id);
    },
    () => ctx.call('apigateway', 'DeleteRestApi', { restApiId: id }),
  );
}

const restApi: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    onlyKnown(REST_API, props, REST_API_PROPS);
    refuseEndpointExtras(props);
    // An OpenAPI definition (SAM's `Api` puts one here, inline or as its `DefinitionUri` in S3).
    const body = await definitionOf(REST_API, props, ctx);
    if (body) return importRestApi(props, body, ctx);
    const types = list<string>(obj(props, 'EndpointConfiguration') ?? {}, 'Types');
    const tags = tagMap(props, ctx);
    const created = await ctx.call('apigateway', 'CreateRestApi', {
      name: str(props, 'Name') ?? ctx.physicalName(128),
      ...setIf('description', str(props, 'Description')),
      ...setIf('policy', policyOf(props)),
      ...setIf('binaryMediaTypes', props['BinaryMediaTypes'] === undefined ? undefined : list<string>(props, 'BinaryMediaTypes')),
      ...setIf('minimumCompressionSize', int(props, 'MinimumCompressionSize')),
      ...setIf('apiKeySource', str(props, 'ApiKeySourceType')),
      ...setIf('disableExecuteApiEndpoint', bool(props, 'DisableExecuteApiEndpoint')),
      ...(types.length > 0 ? { endpointConfiguration: { types } } : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    });
    const id = String(created['id']);
    return { physicalId: id, attributes: { RestApiId: id, RootResourceId: created['rootResourceId'] } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(REST_API, props, REST_API_PROPS);
    refuseEndpointExtras(props);
    if (changed(props, previous, 'EndpointConfiguration')) throw new UnsupportedProperty(REST_API, 'EndpointConfiguration', 'changing the endpoint type of an API is not served.');
    const body = definitionChanged(props, previous) ? await definitionOf(REST_API, props, ctx) : undefined;
    if (body) {
      await ctx.call('apigateway', 'PutRestApi', { restApiId: id, body, mode: str(props, 'Mode') === 'merge' ? 'merge' : 'overwrite', ...setIf('failOnWarnings', bool(props, 'FailOnWarnings')) });
    }
    const patchOperations = restApiPatches(props, previous);
    if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateRestApi', { restApiId: id, patchOperations });
    const resourceArn = `arn:aws:apigateway:${ctx.region}::/restapis/${id}`;
    await syncTags(
      ctx,
      props,
      previous,
      (tags) => ctx.call('apigateway', 'TagResource', { resourceArn, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])) }),
      (tagKeys) => ctx.call('apigateway', 'UntagResource', { resourceArn, tagKeys }),
    );
    return restApiAttributes(ctx, id);
  },
  async delete(id, _props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteRestApi', { restApiId: id }), NOT_FOUND);
  },
};

const RESOURCE = 'AWS::ApiGateway::Resource';
const resource: ResourceProvider = {
  replaceOn: ['RestApiId', 'ParentId', 'PathPart'],
  async create(props, ctx) {
    onlyKnown(RESOURCE, props, ['RestApiId', 'ParentId', 'PathPart']);
    const created = await ctx.call('apigateway', 'CreateResource', { restApiId: str(props, 'RestApiId'), parentId: str(props, 'ParentId'), pathPart: str(props, 'PathPart') });
    const id = String(created['id']);
    return { physicalId: id, attributes: { ResourceId: id } };
  },
  async update(id, props) {
    onlyKnown(RESOURCE, props, ['RestApiId', 'ParentId', 'PathPart']);
    return { physicalId: id, attributes: { ResourceId: id } };
  },
  async delete(id, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteResource', { restApiId: str(props, 'RestApiId'), resourceId: id }), NOT_FOUND);
  },
};

const METHOD = 'AWS::ApiGateway::Method';
const METHOD_PROPS = ['RestApiId', 'ResourceId', 'HttpMethod', 'AuthorizationType', 'AuthorizerId', 'AuthorizationScopes', 'ApiKeyRequired', 'OperationName', 'RequestParameters', 'RequestModels', 'RequestValidatorId', 'Integration', 'MethodResponses'];
const INTEGRATION_PROPS = ['Type', 'Uri', 'IntegrationHttpMethod', 'Credentials', 'RequestParameters', 'RequestTemplates', 'PassthroughBehavior', 'ContentHandling', 'TimeoutInMillis', 'CacheNamespace', 'CacheKeyParameters', 'IntegrationResponses', 'ConnectionType'];

/** The method's keys for API Gateway's operations. */
const methodKey = (props: Properties) => ({ restApiId: str(props, 'RestApiId'), resourceId: str(props, 'ResourceId'), httpMethod: str(props, 'HttpMethod')?.toUpperCase() });

/** `PutMethod`, then its integration and responses: a method is the sum of these four kinds of call. */
async function putMethod(props: Properties, ctx: ResourceContext): Promise<void> {
  onlyKnown(METHOD, props, METHOD_PROPS);
  const key = methodKey(props);
  const integration = obj(props, 'Integration');
  if (integration) {
    onlyKnown(`${METHOD} Integration`, integration, INTEGRATION_PROPS);
    const connection = str(integration, 'ConnectionType');
    if (connection !== undefined && connection !== 'INTERNET') throw new UnsupportedProperty(METHOD, 'Integration.ConnectionType', 'VPC links are not served.');
  }
  await ctx.call('apigateway', 'PutMethod', {
    ...key,
    authorizationType: str(props, 'AuthorizationType') ?? 'NONE',
    ...setIf('authorizerId', str(props, 'AuthorizerId')),
    ...setIf('authorizationScopes', props['AuthorizationScopes'] === undefined ? undefined : list<string>(props, 'AuthorizationScopes')),
    ...setIf('apiKeyRequired', bool(props, 'ApiKeyRequired')),
    ...setIf('operationName', str(props, 'OperationName')),
    ...setIf('requestParameters', props['RequestParameters']),
    ...setIf('requestModels', props['RequestModels']),
    ...setIf('requestValidatorId', str(props, 'RequestValidatorId')),
  });
  for (const r of list<Properties>(props, 'MethodResponses')) {
    await ctx.call('apigateway', 'PutMethodResponse', { ...key, statusCode: str(r, 'StatusCode'), ...setIf('responseParameters', r['ResponseParameters']), ...setIf('responseModels', r['ResponseModels']) });
  }
  if (!integration) return;
  await ctx.call('apigateway', 'PutIntegration', {
    ...key,
    type: str(integration, 'Type'),
    ...setIf('integrationHttpMethod', str(integration, 'IntegrationHttpMethod')),
    ...setIf('uri', str(integration, 'Uri')),
    ...setIf('credentials', str(integration, 'Credentials')),
    ...setIf('requestParameters', integration['RequestParameters']),
    ...setIf('requestTemplates', integration['RequestTemplates']),
    ...setIf('passthroughBehavior', str(integration, 'PassthroughBehavior')),
    ...setIf('contentHandling', str(integration, 'ContentHandling')),
    ...setIf('timeoutInMillis', int(integration, 'TimeoutInMillis')),
    ...setIf('cacheNamespace', str(integration, 'CacheNamespace')),
    ...setIf('cacheKeyParameters', integration['CacheKeyParameters'] === undefined ? undefined : list<string>(integration, 'CacheKeyParameters')),
  });
  for (const r of list<Properties>(integration, 'IntegrationResponses')) {
    await ctx.call('apigateway', 'PutIntegrationResponse', {
      ...key,
      statusCode: str(r, 'StatusCode'),
      ...setIf('selectionPattern', str(r, 'SelectionPattern')),
      ...setIf('responseParameters', r['ResponseParameters']),
      ...setIf('responseTemplates', r['ResponseTemplates']),
      ...setIf('contentHandling', str(r, 'ContentHandling')),
    });
  }
}

const methodId = (props: Properties): string => {
  const k = methodKey(props);
  return `${k.restApiId}|${k.resourceId}|${k.httpMethod}`;
};

const deleteMethod = (props: Properties, ctx: ResourceContext) => gone(ctx.call('apigateway', 'DeleteMethod', methodKey(props)), NOT_FOUND);

const method: ResourceProvider = {
  replaceOn: ['RestApiId', 'ResourceId', 'HttpMethod'],
  async create(props, ctx) {
    await orUndo(
      () => putMethod(props, ctx),
      () => deleteMethod(props, ctx),
    );
    return { physicalId: methodId(props), attributes: {} };
  },
  async update(_id, props, _previous, ctx) {
    // PutMethod replaces the method whole; clients see the change only through a new deployment.
    await deleteMethod(props, ctx);
    await putMethod(props, ctx);
    return { physicalId: methodId(props), attributes: {} };
  },
  async delete(_id, props, ctx) {
    await deleteMethod(props, ctx);
  },
};

const AUTHORIZER = 'AWS::ApiGateway::Authorizer';
const AUTHORIZER_PROPS = ['RestApiId', 'Name', 'Type', 'AuthorizerUri', 'AuthorizerCredentials', 'AuthorizerResultTtlInSeconds', 'IdentitySource', 'IdentityValidationExpression', 'ProviderARNs', 'AuthType'];
/** Properties UpdateAuthorizer changes in place, by their patch path. */
const AUTHORIZER_PATCHES: Readonly<Record<string, string>> = {
  Name: '/name',
  AuthorizerUri: '/authorizerUri',
  AuthorizerCredentials: '/authorizerCredentials',
  AuthorizerResultTtlInSeconds: '/authorizerResultTtlInSeconds',
  IdentitySource: '/identitySource',
  IdentityValidationExpression: '/identityValidationExpression',
};

const authorizer: ResourceProvider = {
  // Methods refer to it by id: everything API Gateway cannot patch replaces it.
  replaceOn: ['RestApiId', 'Type', 'ProviderARNs', 'AuthType'],
  async create(props, ctx) {
    onlyKnown(AUTHORIZER, props, AUTHORIZER_PROPS);
    const created = await ctx.call('apigateway', 'CreateAuthorizer', {
      restApiId: str(props, 'RestApiId'),
      name: str(props, 'Name') ?? ctx.physicalName(128),
      type: str(props, 'Type'),
      ...setIf('authorizerUri', str(props, 'AuthorizerUri')),
      ...setIf('authorizerCredentials', str(props, 'AuthorizerCredentials')),
      ...setIf('authorizerResultTtlInSeconds', int(props, 'AuthorizerResultTtlInSeconds')),
      ...setIf('identitySource', str(props, 'IdentitySource')),
      ...setIf('identityValidationExpression', str(props, 'IdentityValidationExpression')),
      ...setIf('providerARNs', props['ProviderARNs'] === undefined ? undefined : list<string>(props, 'ProviderARNs')),
      ...setIf('authType', str(props, 'AuthType')),
    });
    const id = String(created['id']);
    return { physicalId: id, attributes: { AuthorizerId: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(AUTHORIZER, props, AUTHORIZER_PROPS);
    const patchOperations = Object.entries(AUTHORIZER_PATCHES)
      .filter(([key]) => changed(props, previous, key))
      .map(([key, path]) => (str(props, key) === undefined ? { op: 'remove', path } : { op: 'replace', path, value: str(props, key) }));
    if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateAuthorizer', { restApiId: str(props, 'RestApiId'), authorizerId: id, patchOperations });
    return { physicalId: id, attributes: { AuthorizerId: id } };
  },
  async delete(id, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteAuthorizer', { restApiId: str(props, 'RestApiId'), authorizerId: id }), NOT_FOUND);
  },
};

const DEPLOYMENT = 'AWS::ApiGateway::Deployment';
const deployment: ResourceProvider = {
  // A changed description or stage makes a new deployment (AWS updates these in place; the result served is the same).
  replaceOn: ['RestApiId', 'StageName', 'Description'],
  async create(props, ctx) {
    onlyKnown(DEPLOYMENT, props, ['RestApiId', 'StageName', 'Description']);
    const created = await ctx.call('apigateway', 'CreateDeployment', {
      restApiId: str(props, 'RestApiId'),
      ...setIf('stageName', str(props, 'StageName')),
      ...setIf('description', str(props, 'Description')),
    });
    const id = String(created['id']);
    return { physicalId: id, attributes: { DeploymentId: id } };
  },
  async update(id, props) {
    onlyKnown(DEPLOYMENT, props, ['RestApiId', 'StageName', 'Description']);
    return { physicalId: id, attributes: { DeploymentId: id } };
  },
  async delete(id, props, ctx) {
    const restApiId = str(props, 'RestApiId');
    const stageName = str(props, 'StageName');
    // The stage this deployment made goes with it while it still serves this deployment, as CloudFormation does.
    if (stageName !== undefined) {
      const stage = await ctx.call('apigateway', 'GetStage', { restApiId, stageName }).catch((err: unknown) => {
        if (err instanceof AwsError && err.kind.name === NOT_FOUND) return undefined;
        throw err;
      });
      if (stage?.['deploymentId'] === id) await gone(ctx.call('apigateway', 'DeleteStage', { restApiId, stageName }), NOT_FOUND);
    }
    await gone(ctx.call('apigateway', 'DeleteDeployment', { restApiId, deploymentId: id }), NOT_FOUND);
  },
};

export const apigatewayProviders: Readonly<Record<string, ResourceProvider>> = {
  [REST_API]: restApi,
  [RESOURCE]: resource,
  [METHOD]: method,
  [AUTHORIZER]: authorizer,
  [DEPLOYMENT]: deployment,
};
