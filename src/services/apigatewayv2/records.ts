/**
 * API Gateway V2's resources as stored: APIs (HTTP and WebSocket), their routes, integrations,
 * authorizers, stages and deployments. A deployment holds a snapshot of what it deployed, which is
 * what a stage serves. Parsed with zod when read back.
 */
import { z } from 'zod';

export const CorsSchema = z.strictObject({
  allowCredentials: z.boolean().optional(),
  allowHeaders: z.array(z.string()).optional(),
  allowMethods: z.array(z.string()).optional(),
  allowOrigins: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: z.number().int().optional(),
});
export type Cors = z.infer<typeof CorsSchema>;

const Tags = z.record(z.string(), z.string());
const Strings = z.record(z.string(), z.string());

export const ApiRecordSchema = z.strictObject({
  apiId: z.string(),
  name: z.string(),
  protocolType: z.enum(['HTTP', 'WEBSOCKET']),
  routeSelectionExpression: z.string(),
  apiKeySelectionExpression: z.string(),
  description: z.string().optional(),
  version: z.string().optional(),
  corsConfiguration: CorsSchema.optional(),
  disableExecuteApiEndpoint: z.boolean(),
  disableSchemaValidation: z.boolean().optional(),
  ipAddressType: z.string().optional(),
  importInfo: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  createdAt: z.number(),
  tags: Tags,
});
export type ApiRecord = z.infer<typeof ApiRecordSchema>;

export const RouteRecordSchema = z.strictObject({
  routeId: z.string(),
  routeKey: z.string(),
  apiKeyRequired: z.boolean(),
  authorizationType: z.enum(['NONE', 'AWS_IAM', 'CUSTOM', 'JWT']),
  authorizerId: z.string().optional(),
  authorizationScopes: z.array(z.string()).optional(),
  operationName: z.string().optional(),
  target: z.string().optional(),
  routeResponseSelectionExpression: z.string().optional(),
  modelSelectionExpression: z.string().optional(),
  requestModels: Strings.optional(),
  requestParameters: z.record(z.string(), z.strictObject({ required: z.boolean() })).optional(),
  apiGatewayManaged: z.boolean(),
});
export type RouteRecord = z.infer<typeof RouteRecordSchema>;

export const IntegrationRecordSchema = z.strictObject({
  integrationId: z.string(),
  integrationType: z.enum(['AWS', 'HTTP', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY']),
  integrationUri: z.string().optional(),
  integrationMethod: z.string().optional(),
  integrationSubtype: z.string().optional(),
  payloadFormatVersion: z.string(),
  timeoutInMillis: z.number().int(),
  connectionType: z.string(),
  connectionId: z.string().optional(),
  contentHandlingStrategy: z.string().optional(),
  credentialsArn: z.string().optional(),
  description: z.string().optional(),
  passthroughBehavior: z.string().optional(),
  requestParameters: Strings.optional(),
  requestTemplates: Strings.optional(),
  responseParameters: z.record(z.string(), Strings).optional(),
  templateSelectionExpression: z.string().optional(),
  apiGatewayManaged: z.boolean(),
});
export type IntegrationRecord = z.infer<typeof IntegrationRecordSchema>;

export const AuthorizerRecordSchema = z.strictObject({
  authorizerId: z.string(),
  name: z.string(),
  authorizerType: z.enum(['REQUEST', 'JWT']),
  identitySource: z.array(z.string()),
  authorizerUri: z.string().optional(),
  authorizerCredentialsArn: z.string().optional(),
  authorizerPayloadFormatVersion: z.string().optional(),
  authorizerResultTtlInSeconds: z.number().int().optional(),
  enableSimpleResponses: z.boolean().optional(),
  identityValidationExpression: z.string().optional(),
  jwtConfiguration: z.strictObject({ audience: z.array(z.string()).optional(), issuer: z.string().optional() }).optional(),
});
export type AuthorizerRecord = z.infer<typeof AuthorizerRecordSchema>;

export const RouteSettingsSchema = z.strictObject({
  dataTraceEnabled: z.boolean().optional(),
  detailedMetricsEnabled: z.boolean().optional(),
  loggingLevel: z.string().optional(),
  throttlingBurstLimit: z.number().int().optional(),
  throttlingRateLimit: z.number().optional(),
});
export type RouteSettings = z.infer<typeof RouteSettingsSchema>;

export const StageRecordSchema = z.strictObject({
  stageName: z.string(),
  autoDeploy: z.boolean(),
  deploymentId: z.string().optional(),
  description: z.string().optional(),
  stageVariables: Strings,
  accessLogSettings: z.strictObject({ destinationArn: z.string().optional(), format: z.string().optional() }).optional(),
  defaultRouteSettings: RouteSettingsSchema.optional(),
  routeSettings: z.record(z.string(), RouteSettingsSchema).optional(),
  clientCertificateId: z.string().optional(),
  lastDeploymentStatusMessage: z.string().optional(),
  apiGatewayManaged: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  tags: Tags,
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

/** What a deployment deployed: the routes, integrations and authorizers of the API at that moment, and its CORS. */
export const SnapshotSchema = z.strictObject({
  routes: z.array(RouteRecordSchema),
  integrations: z.array(IntegrationRecordSchema),
  authorizers: z.array(AuthorizerRecordSchema),
  cors: CorsSchema.optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const DeploymentRecordSchema = z.strictObject({
  deploymentId: z.string(),
  autoDeployed: z.boolean(),
  description: z.string().optional(),
  createdAt: z.number(),
  snapshot: SnapshotSchema,
});
export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;
