/** API Gateway's records in the model's output shapes (JSON-ready; timestamps in epoch seconds). */
import type { Input } from '../../api/service.js';
import type {
  ApiKeyRecord,
  AuthorizerRecord,
  DeploymentRecord,
  IntegrationRecord,
  MethodRecord,
  ResourceRecord,
  RestApiRecord,
  StageRecord,
  UsagePlanRecord,
} from './model.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);
const nonEmpty = <T extends object>(o: T | undefined): T | undefined => (o && Object.keys(o).length > 0 ? o : undefined);

export const renderRestApi = (api: RestApiRecord): Input => ({
  id: api.id,
  name: api.name,
  description: api.description,
  version: api.version,
  createdDate: seconds(api.createdDate),
  binaryMediaTypes: api.binaryMediaTypes.length > 0 ? api.binaryMediaTypes : undefined,
  minimumCompressionSize: api.minimumCompressionSize,
  apiKeySource: api.apiKeySource,
  endpointConfiguration: { types: api.endpointTypes },
  disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
  policy: api.policy,
  tags: nonEmpty(api.tags),
  rootResourceId: api.rootResourceId,
});

export const renderIntegration = (i: IntegrationRecord, resourceId: string): Input => ({
  type: i.type,
  httpMethod: i.httpMethod,
  uri: i.uri,
  credentials: i.credentials,
  requestParameters: i.requestParameters,
  requestTemplates: i.requestTemplates,
  passthroughBehavior: i.passthroughBehavior,
  contentHandling: i.contentHandling,
  timeoutInMillis: i.timeoutInMillis,
  cacheNamespace: i.cacheNamespace ?? resourceId,
  cacheKeyParameters: i.cacheKeyParameters ?? [],
  integrationResponses: nonEmpty(i.integrationResponses),
});

export const renderMethod = (m: MethodRecord, resourceId: string): Input => ({
  httpMethod: m.httpMethod,
  authorizationType: m.authorizationType,
  authorizerId: m.authorizerId,
  apiKeyRequired: m.apiKeyRequired,
  operationName: m.operationName,
  requestParameters: m.requestParameters,
  requestModels: m.requestModels,
  requestValidatorId: m.requestValidatorId,
  authorizationScopes: m.authorizationScopes,
  methodResponses: nonEmpty(m.methodResponses),
  methodIntegration: m.integration && renderIntegration(m.integration, resourceId),
});

/** With `embed=methods` each method in full; without, only their names, as AWS lists them. */
export const renderResource = (r: ResourceRecord, embedMethods: boolean): Input => ({
  id: r.id,
  parentId: r.parentId,
  pathPart: r.pathPart,
  path: r.path,
  resourceMethods: nonEmpty(Object.fromEntries(Object.entries(r.methods).map(([name, m]) => [name, embedMethods ? renderMethod(m, r.id) : {}]))),
});

export const renderAuthorizer = (a: AuthorizerRecord): Input => ({ ...a });

export const renderDeployment = (d: DeploymentRecord): Input => ({ id: d.id, description: d.description, createdDate: seconds(d.createdDate) });

export const renderStage = (s: StageRecord): Input => ({
  deploymentId: s.deploymentId,
  stageName: s.stageName,
  description: s.description,
  variables: nonEmpty(s.variables),
  tracingEnabled: s.tracingEnabled,
  cacheClusterEnabled: s.cacheClusterEnabled,
  cacheClusterStatus: 'NOT_AVAILABLE',
  accessLogSettings: s.accessLogSettings,
  methodSettings: s.methodSettings,
  tags: nonEmpty(s.tags),
  createdDate: seconds(s.createdDate),
  lastUpdatedDate: seconds(s.lastUpdatedDate),
});

/** The key's value only where AWS shows it: on creation, and on request (`includeValue`). */
export const renderApiKey = (k: ApiKeyRecord, includeValue: boolean): Input => ({
  id: k.id,
  value: includeValue ? k.value : undefined,
  name: k.name,
  description: k.description,
  customerId: k.customerId,
  enabled: k.enabled,
  stageKeys: k.stageKeys,
  tags: nonEmpty(k.tags),
  createdDate: seconds(k.createdDate),
  lastUpdatedDate: seconds(k.lastUpdatedDate),
});

export const renderUsagePlan = (p: UsagePlanRecord): Input => ({
  id: p.id,
  name: p.name,
  description: p.description,
  apiStages: p.apiStages,
  throttle: p.throttle,
  quota: p.quota,
  productCode: p.productCode,
  tags: nonEmpty(p.tags),
});

export const renderUsagePlanKey = (k: ApiKeyRecord): Input => ({ id: k.id, type: 'API_KEY', value: k.value, name: k.name });
