/**
 * API Gateway REST APIs as Selfless keeps them: one document per API holding its resource tree,
 * methods, integrations and authorizers (a deployment snapshots that document), and documents for
 * stages, API keys and usage plans. Parsed with zod when read back from the store.
 */
import { z } from 'zod';

const Strings = z.record(z.string(), z.string());

export const IntegrationResponseSchema = z.object({
  statusCode: z.string(),
  selectionPattern: z.string().optional(),
  responseParameters: Strings.optional(),
  responseTemplates: Strings.optional(),
  contentHandling: z.string().optional(),
});
export type IntegrationResponseRecord = z.infer<typeof IntegrationResponseSchema>;

export const IntegrationSchema = z.object({
  type: z.enum(['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY']),
  httpMethod: z.string().optional(),
  uri: z.string().optional(),
  credentials: z.string().optional(),
  requestParameters: Strings.optional(),
  requestTemplates: Strings.optional(),
  passthroughBehavior: z.string().optional(),
  contentHandling: z.string().optional(),
  timeoutInMillis: z.number().int(),
  cacheNamespace: z.string().optional(),
  cacheKeyParameters: z.array(z.string()).optional(),
  integrationResponses: z.record(z.string(), IntegrationResponseSchema),
});
export type IntegrationRecord = z.infer<typeof IntegrationSchema>;

export const MethodResponseSchema = z.object({
  statusCode: z.string(),
  responseParameters: z.record(z.string(), z.boolean()).optional(),
  responseModels: Strings.optional(),
});
export type MethodResponseRecord = z.infer<typeof MethodResponseSchema>;

export const MethodSchema = z.object({
  httpMethod: z.string(),
  authorizationType: z.string(),
  authorizerId: z.string().optional(),
  apiKeyRequired: z.boolean(),
  operationName: z.string().optional(),
  requestParameters: z.record(z.string(), z.boolean()).optional(),
  requestModels: Strings.optional(),
  requestValidatorId: z.string().optional(),
  authorizationScopes: z.array(z.string()).optional(),
  methodResponses: z.record(z.string(), MethodResponseSchema),
  integration: IntegrationSchema.optional(),
});
export type MethodRecord = z.infer<typeof MethodSchema>;

export const ResourceSchema = z.object({
  id: z.string(),
  parentId: z.string().optional(),
  pathPart: z.string().optional(),
  path: z.string(),
  methods: z.record(z.string(), MethodSchema),
});
export type ResourceRecord = z.infer<typeof ResourceSchema>;

export const AuthorizerSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']),
  providerARNs: z.array(z.string()).optional(),
  authType: z.string().optional(),
  authorizerUri: z.string().optional(),
  authorizerCredentials: z.string().optional(),
  identitySource: z.string().optional(),
  identityValidationExpression: z.string().optional(),
  authorizerResultTtlInSeconds: z.number().int(),
});
export type AuthorizerRecord = z.infer<typeof AuthorizerSchema>;

/** A model: a JSON Schema (draft 4) for request and response bodies, known by its name. */
export const ApiModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  schema: z.string().optional(),
  contentType: z.string(),
});
export type ApiModelRecord = z.infer<typeof ApiModelSchema>;

export const RequestValidatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  validateRequestBody: z.boolean(),
  validateRequestParameters: z.boolean(),
});
export type RequestValidatorRecord = z.infer<typeof RequestValidatorSchema>;

/** A gateway response the API's owner set (PutGatewayResponse); the types not set answer as API Gateway does. */
export const GatewayResponseSchema = z.object({
  responseType: z.string(),
  statusCode: z.string().optional(),
  responseParameters: Strings,
  responseTemplates: Strings,
});
export type GatewayResponseRecord = z.infer<typeof GatewayResponseSchema>;

export const RestApiSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  version: z.string().optional(),
  createdDate: z.number(),
  binaryMediaTypes: z.array(z.string()),
  minimumCompressionSize: z.number().int().optional(),
  apiKeySource: z.enum(['HEADER', 'AUTHORIZER']),
  endpointTypes: z.array(z.string()),
  disableExecuteApiEndpoint: z.boolean(),
  policy: z.string().optional(),
  tags: Strings,
  rootResourceId: z.string(),
  resources: z.record(z.string(), ResourceSchema),
  authorizers: z.record(z.string(), AuthorizerSchema),
  // Optional: APIs stored before these existed have none (./api-parts.ts reads them through helpers).
  /** By model name. */
  models: z.record(z.string(), ApiModelSchema).optional(),
  /** By validator id. */
  requestValidators: z.record(z.string(), RequestValidatorSchema).optional(),
  /** By response type. */
  gatewayResponses: z.record(z.string(), GatewayResponseSchema).optional(),
});
export type RestApiRecord = z.infer<typeof RestApiSchema>;

/** What a deployment froze: the API's definition as it was; stages serve this, never the live API. */
export const DeploymentSchema = z.object({
  id: z.string(),
  restApiId: z.string(),
  description: z.string().optional(),
  createdDate: z.number(),
  api: RestApiSchema,
});
export type DeploymentRecord = z.infer<typeof DeploymentSchema>;

export const ThrottleSchema = z.object({ burstLimit: z.number().int().optional(), rateLimit: z.number().optional() });
export type Throttle = z.infer<typeof ThrottleSchema>;

export const MethodSettingSchema = z.object({
  metricsEnabled: z.boolean().optional(),
  loggingLevel: z.string().optional(),
  dataTraceEnabled: z.boolean().optional(),
  throttlingBurstLimit: z.number().int().optional(),
  throttlingRateLimit: z.number().optional(),
  cachingEnabled: z.boolean().optional(),
  cacheTtlInSeconds: z.number().int().optional(),
  requireAuthorizationForCacheControl: z.boolean().optional(),
});
export type MethodSetting = z.infer<typeof MethodSettingSchema>;

export const StageSchema = z.object({
  restApiId: z.string(),
  stageName: z.string(),
  deploymentId: z.string(),
  description: z.string().optional(),
  variables: Strings,
  tracingEnabled: z.boolean(),
  cacheClusterEnabled: z.boolean(),
  accessLogSettings: z.object({ format: z.string().optional(), destinationArn: z.string().optional() }).optional(),
  /** By `resourcePath/httpMethod` (`*\/*` for all), as UpdateStage's patch paths name them. */
  methodSettings: z.record(z.string(), MethodSettingSchema),
  tags: Strings,
  createdDate: z.number(),
  lastUpdatedDate: z.number(),
});
export type StageRecord = z.infer<typeof StageSchema>;

export const ApiKeySchema = z.object({
  id: z.string(),
  value: z.string(),
  name: z.string(),
  description: z.string().optional(),
  customerId: z.string().optional(),
  enabled: z.boolean(),
  stageKeys: z.array(z.string()),
  tags: Strings,
  createdDate: z.number(),
  lastUpdatedDate: z.number(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeySchema>;

export const QuotaSchema = z.object({ limit: z.number().int(), offset: z.number().int(), period: z.enum(['DAY', 'WEEK', 'MONTH']) });
export type Quota = z.infer<typeof QuotaSchema>;

export const UsagePlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  apiStages: z.array(z.object({ apiId: z.string(), stage: z.string(), throttle: z.record(z.string(), ThrottleSchema).optional() })),
  throttle: ThrottleSchema.optional(),
  quota: QuotaSchema.optional(),
  productCode: z.string().optional(),
  /** The ids of the API keys in the plan (CreateUsagePlanKey). */
  keyIds: z.array(z.string()),
  tags: Strings,
});
export type UsagePlanRecord = z.infer<typeof UsagePlanSchema>;

/** API Gateway's account settings (one per account and region): the role it logs to CloudWatch with. */
export const ApiGatewayAccountSchema = z.object({
  cloudwatchRoleArn: z.string().optional(),
});
export type ApiGatewayAccountRecord = z.infer<typeof ApiGatewayAccountSchema>;
