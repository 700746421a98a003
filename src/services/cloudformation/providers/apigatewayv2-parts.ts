/**
 * AWS::ApiGatewayV2::Route, Integration, Authorizer and Deployment: an HTTP or WebSocket API built from
 * its parts, as hand-written templates and CDK make them. Each is its API Gateway V2 operation; `Ref`
 * is the part's id, and `Fn::GetAtt` gives the same id under `RouteId`, `IntegrationId`,
 * `AuthorizerId` or `DeploymentId`.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, int, list, obj, onlyKnown, str } from './props.js';

const NOT_FOUND = 'NotFoundException';
const pick = (props: Properties, keys: readonly string[]): Record<string, unknown> => Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

/** A part: its properties as the V2 operation takes them, its id key, and its operations' names. */
interface Part {
  type: string;
  /** `Route` → CreateRoute, UpdateRoute, DeleteRoute; the id member is `RouteId`. */
  noun: string;
  /** Properties that replace the part when they change (the type's "Update requires: Replacement"). */
  replaceOn: readonly string[];
  /** Every property the type takes, `ApiId` included. */
  known: readonly string[];
  /** The operation's input from the template's properties, `ApiId` left out. */
  input(props: Properties): Record<string, unknown>;
  /** What creation adds (a generated name), never compared on update. */
  onCreate?(props: Properties, ctx: ResourceContext): Record<string, unknown>;
}

function partProvider(part: Part): ResourceProvider {
  const idKey = `${part.noun}Id`;
  const provisioned = (id: string) => ({ physicalId: id, attributes: { [idKey]: id } });
  return {
    replaceOn: part.replaceOn,
    async create(props, ctx) {
      onlyKnown(part.type, props, part.known);
      const made = await ctx.call('apigatewayv2', `Create${part.noun}`, { ApiId: str(props, 'ApiId'), ...part.onCreate?.(props, ctx), ...part.input(props) });
      return provisioned(String(made[idKey]));
    },
    async update(id, props, previous, ctx) {
      onlyKnown(part.type, props, part.known);
      const input = part.input(props);
      const was = part.input(previous);
      const patch = Object.fromEntries(Object.entries(input).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k])));
      if (Object.keys(patch).length > 0) await ctx.call('apigatewayv2', `Update${part.noun}`, { ApiId: str(props, 'ApiId'), [idKey]: id, ...patch });
      return provisioned(id);
    },
    async delete(id, props, ctx) {
      await gone(ctx.call('apigatewayv2', `Delete${part.noun}`, { ApiId: str(props, 'ApiId'), [idKey]: id }), NOT_FOUND);
    },
  };
}

const ROUTE_SETTINGS = ['RouteKey', 'Target', 'AuthorizationType', 'AuthorizerId', 'AuthorizationScopes', 'OperationName', 'RequestModels', 'RequestParameters', 'ModelSelectionExpression', 'RouteResponseSelectionExpression'];
const route: Part = {
  type: 'AWS::ApiGatewayV2::Route',
  noun: 'Route',
  replaceOn: ['ApiId'],
  known: ['ApiId', 'ApiKeyRequired', ...ROUTE_SETTINGS],
  input: (props) => ({ ...pick(props, ROUTE_SETTINGS), ...(props['ApiKeyRequired'] !== undefined ? { ApiKeyRequired: bool(props, 'ApiKeyRequired') } : {}) }),
};

/**
 * CloudFormation's `ResponseParameters` (`{"200": {"ResponseParameters": [{"Destination", "Source"}]}}`)
 * as the API's map of maps (`{"200": {"<destination>": "<source>"}}`).
 */
function responseParameters(props: Properties): Record<string, Record<string, string>> | undefined {
  const given = obj(props, 'ResponseParameters');
  if (!given) return undefined;
  return Object.fromEntries(
    Object.entries(given).map(([status, m]) => [
      status,
      Object.fromEntries(list<Properties>((m ?? {}) as Properties, 'ResponseParameters').map((p) => [String(p['Destination']), String(p['Source'])])),
    ]),
  );
}

const INTEGRATION_SETTINGS = [
  'IntegrationType', 'IntegrationUri', 'IntegrationMethod', 'IntegrationSubtype', 'PayloadFormatVersion', 'ConnectionType', 'ConnectionId', 'ContentHandlingStrategy',
  'CredentialsArn', 'Description', 'PassthroughBehavior', 'RequestParameters', 'RequestTemplates', 'TemplateSelectionExpression', 'TlsConfig',
];
const integration: Part = {
  type: 'AWS::ApiGatewayV2::Integration',
  noun: 'Integration',
  replaceOn: ['ApiId'],
  known: ['ApiId', 'TimeoutInMillis', 'ResponseParameters', ...INTEGRATION_SETTINGS],
  input: (props) => {
    const rp = responseParameters(props);
    return { ...pick(props, INTEGRATION_SETTINGS), ...(props['TimeoutInMillis'] !== undefined ? { TimeoutInMillis: int(props, 'TimeoutInMillis') } : {}), ...(rp ? { ResponseParameters: rp } : {}) };
  },
};

const AUTHORIZER_SETTINGS = ['AuthorizerType', 'AuthorizerUri', 'AuthorizerCredentialsArn', 'AuthorizerPayloadFormatVersion', 'IdentitySource', 'IdentityValidationExpression', 'JwtConfiguration'];
const authorizer: Part = {
  type: 'AWS::ApiGatewayV2::Authorizer',
  noun: 'Authorizer',
  replaceOn: ['ApiId'],
  known: ['ApiId', 'Name', 'AuthorizerResultTtlInSeconds', 'EnableSimpleResponses', ...AUTHORIZER_SETTINGS],
  onCreate: (props, ctx) => ({ Name: str(props, 'Name') ?? ctx.physicalName(128) }),
  input: (props) => ({
    ...pick(props, ['Name', ...AUTHORIZER_SETTINGS]),
    ...(props['IdentitySource'] !== undefined ? { IdentitySource: list<string>(props, 'IdentitySource') } : {}),
    ...(props['AuthorizerResultTtlInSeconds'] !== undefined ? { AuthorizerResultTtlInSeconds: int(props, 'AuthorizerResultTtlInSeconds') } : {}),
    ...(props['EnableSimpleResponses'] !== undefined ? { EnableSimpleResponses: bool(props, 'EnableSimpleResponses') } : {}),
  }),
};

const DEPLOYMENT = 'AWS::ApiGatewayV2::Deployment';
/**
 * A deployment snapshots the API's routes as they are when it is made (templates make it depend on
 * them); with `StageName` it is served at once on that (existing) stage.
 */
const deployment: ResourceProvider = {
  replaceOn: ['ApiId'],
  async create(props, ctx) {
    onlyKnown(DEPLOYMENT, props, ['ApiId', 'Description', 'StageName']);
    const made = await ctx.call('apigatewayv2', 'CreateDeployment', { ApiId: str(props, 'ApiId'), ...pick(props, ['Description', 'StageName']) });
    const id = String(made['DeploymentId']);
    return { physicalId: id, attributes: { DeploymentId: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(DEPLOYMENT, props, ['ApiId', 'Description', 'StageName']);
    const apiId = str(props, 'ApiId');
    if (changed(props, previous, 'Description')) await ctx.call('apigatewayv2', 'UpdateDeployment', { ApiId: apiId, DeploymentId: id, Description: str(props, 'Description') ?? '' });
    const stageName = str(props, 'StageName');
    if (stageName !== undefined && changed(props, previous, 'StageName')) await ctx.call('apigatewayv2', 'UpdateStage', { ApiId: apiId, StageName: stageName, DeploymentId: id });
    return { physicalId: id, attributes: { DeploymentId: id } };
  },
  async delete(id, props, ctx) {
    await gone(ctx.call('apigatewayv2', 'DeleteDeployment', { ApiId: str(props, 'ApiId'), DeploymentId: id }), NOT_FOUND);
  },
};

export const apigatewayv2PartProviders: Readonly<Record<string, ResourceProvider>> = {
  [route.type]: partProvider(route),
  [integration.type]: partProvider(integration),
  [authorizer.type]: partProvider(authorizer),
  [DEPLOYMENT]: deployment,
};
