/**
 * ImportApi / ReimportApi: an HTTP API from an OpenAPI 3 document (JSON or YAML), as API Gateway
 * reads it: each operation a route (`x-amazon-apigateway-any-method` is ANY, the path `/$default` the
 * `$default` route), `x-amazon-apigateway-integration` its integration, `x-amazon-apigateway-cors` the
 * API's CORS, and security schemes with `x-amazon-apigateway-authorizer` its JWT and Lambda authorizers.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { ApiGatewayV2Errors } from '../../wire/errors.js';
import type { ApiGatewayV2Service, AuthorizerInput, IntegrationInput } from './api-service.js';
import type { ApiRecord, Cors } from './records.js';

const Integration = z.looseObject({
  type: z.string(),
  uri: z.string().optional(),
  httpMethod: z.string().optional(),
  payloadFormatVersion: z.union([z.string(), z.number()]).optional(),
  timeoutInMillis: z.number().int().optional(),
  connectionType: z.string().optional(),
  connectionId: z.string().optional(),
  credentials: z.string().optional(),
});
const Authorizer = z.looseObject({
  type: z.string(),
  identitySource: z.union([z.string(), z.array(z.string())]).optional(),
  jwtConfiguration: z.looseObject({ issuer: z.string().optional(), audience: z.array(z.string()).optional() }).optional(),
  authorizerUri: z.string().optional(),
  authorizerPayloadFormatVersion: z.union([z.string(), z.number()]).optional(),
  authorizerResultTtlInSeconds: z.number().int().optional(),
  enableSimpleResponses: z.boolean().optional(),
  authorizerCredentials: z.string().optional(),
});
const Security = z.array(z.record(z.string(), z.array(z.string())));
const Operation = z.looseObject({ 'x-amazon-apigateway-integration': Integration.optional(), security: Security.optional(), operationId: z.string().optional() });
const Document = z.looseObject({
  openapi: z.string().optional(),
  swagger: z.string().optional(),
  info: z.looseObject({ title: z.string().optional(), version: z.union([z.string(), z.number()]).optional(), description: z.string().optional() }).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  security: Security.optional(),
  tags: z.array(z.looseObject({ name: z.string(), 'x-amazon-apigateway-tag-value': z.string().optional() })).optional(),
  'x-amazon-apigateway-cors': z.looseObject({}).optional(),
  components: z.looseObject({ securitySchemes: z.record(z.string(), z.looseObject({ 'x-amazon-apigateway-authorizer': Authorizer.optional() })).optional() }).optional(),
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function readDocument(body: string): z.infer<typeof Document> {
  let raw: unknown;
  try {
    raw = parse(body);
  } catch (err) {
    throw ApiGatewayV2Errors.badRequest(`Failed to parse the OpenAPI document: ${(err as Error).message}`);
  }
  const doc = Document.safeParse(raw);
  if (!doc.success) throw ApiGatewayV2Errors.badRequest(`Invalid OpenAPI document: ${doc.error.issues[0]?.message ?? 'malformed'}`);
  if (doc.data.openapi === undefined && doc.data.swagger === undefined) throw ApiGatewayV2Errors.badRequest('Invalid OpenAPI document: it has no openapi version.');
  return doc.data;
}

const corsOf = (c: Record<string, unknown>): Cors => {
  const out: Cors = {};
  for (const k of ['allowCredentials', 'allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders', 'maxAge'] as const) if (c[k] !== undefined) (out as Record<string, unknown>)[k] = c[k];
  return out;
};

export async function importOpenApi(s: ApiGatewayV2Service, apiId: string | undefined, body: string, failOnWarnings: boolean): Promise<ApiRecord> {
  const doc = readDocument(body);
  const warnings: string[] = [];
  const name = doc.info?.title ?? 'imported-api';
  const cors = doc['x-amazon-apigateway-cors'] ? corsOf(doc['x-amazon-apigateway-cors']) : undefined;
  // Tags with `x-amazon-apigateway-tag-value` are the API's tags (SAM marks its APIs `httpapi:createdBy`).
  const tags = Object.fromEntries((doc.tags ?? []).flatMap((t) => (t['x-amazon-apigateway-tag-value'] !== undefined ? [[t.name, t['x-amazon-apigateway-tag-value']]] : [])));
  const basics = { name, ...(Object.keys(tags).length > 0 ? { tags } : {}), ...(doc.info?.version !== undefined ? { version: String(doc.info.version) } : {}), ...(doc.info?.description ? { description: doc.info.description } : {}) };
  let api: ApiRecord;
  if (apiId === undefined) api = await s.createApi({ protocolType: 'HTTP', ...basics, ...(cors ? { corsConfiguration: cors } : {}) });
  else {
    if ((await s.getApi(apiId)).protocolType !== 'HTTP') throw ApiGatewayV2Errors.badRequest('Only HTTP APIs can be reimported.');
    // Reimport replaces the API's definition: its routes, integrations and authorizers.
    for (const r of await s.routes.list(apiId)) await s.routes.delete(apiId, r.routeId);
    for (const i of await s.integrations.list(apiId)) await s.integrations.delete(apiId, i.integrationId);
    for (const a of await s.authorizers.list(apiId)) await s.authorizers.delete(apiId, a.authorizerId);
    api = await s.updateApiRecord(apiId, ({ corsConfiguration: _c, ...a }) => ({ ...a, ...basics, ...(cors ? { corsConfiguration: cors } : {}) }));
  }
  const id = api.apiId;
  const authorizers = new Map<string, string>();
  for (const [schemeName, scheme] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const a = scheme['x-amazon-apigateway-authorizer'];
    if (!a) continue;
    const identity = a.identitySource === undefined ? ['$request.header.Authorization'] : Array.isArray(a.identitySource) ? a.identitySource : a.identitySource.split(',').map((x) => x.trim());
    const type = a.type.toLowerCase();
    if (type !== 'jwt' && type !== 'request') {
      warnings.push(`Unsupported authorizer type ${a.type} for ${schemeName}; it was ignored.`);
      continue;
    }
    const input: AuthorizerInput = {
      name: schemeName,
      authorizerType: type === 'jwt' ? 'JWT' : 'REQUEST',
      identitySource: identity,
      ...(a.jwtConfiguration ? { jwtConfiguration: { ...(a.jwtConfiguration.issuer ? { issuer: a.jwtConfiguration.issuer } : {}), ...(a.jwtConfiguration.audience ? { audience: a.jwtConfiguration.audience } : {}) } } : {}),
      ...(a.authorizerUri ? { authorizerUri: a.authorizerUri } : {}),
      ...(a.authorizerPayloadFormatVersion !== undefined ? { authorizerPayloadFormatVersion: String(a.authorizerPayloadFormatVersion) } : {}),
      ...(a.authorizerResultTtlInSeconds !== undefined ? { authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds } : {}),
      ...(a.enableSimpleResponses !== undefined ? { enableSimpleResponses: a.enableSimpleResponses } : {}),
      ...(a.authorizerCredentials ? { authorizerCredentialsArn: a.authorizerCredentials } : {}),
    };
    authorizers.set(schemeName, (await s.createAuthorizer(id, input)).authorizerId);
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [key, rawOp] of Object.entries(item)) {
      const method = key === 'x-amazon-apigateway-any-method' ? 'ANY' : METHODS.includes(key) ? key.toUpperCase() : undefined;
      if (method === undefined) continue;
      const op = Operation.safeParse(rawOp);
      if (!op.success) throw ApiGatewayV2Errors.badRequest(`Invalid operation ${key} ${path}: ${op.error.issues[0]?.message ?? 'malformed'}`);
      // SAM writes the default route as the path `$default` (with `isDefaultRoute`); others as `/$default`.
      const routeKey = path === '/$default' || path === '$default' ? '$default' : `${method} ${path}`;
      const x = op.data['x-amazon-apigateway-integration'];
      let target: string | undefined;
      if (x) {
        const type = x.type.toUpperCase();
        const input: IntegrationInput = {
          integrationType: type as IntegrationInput['integrationType'],
          ...(x.uri !== undefined ? { integrationUri: x.uri } : {}),
          ...(x.httpMethod !== undefined ? { integrationMethod: x.httpMethod } : {}),
          payloadFormatVersion: x.payloadFormatVersion !== undefined ? String(x.payloadFormatVersion) : '1.0',
          ...(x.timeoutInMillis !== undefined ? { timeoutInMillis: x.timeoutInMillis } : {}),
          ...(x.connectionType !== undefined ? { connectionType: x.connectionType } : {}),
          ...(x.credentials !== undefined ? { credentialsArn: x.credentials } : {}),
        };
        target = `integrations/${(await s.createIntegration(id, input)).integrationId}`;
      } else warnings.push(`Route ${routeKey} has no x-amazon-apigateway-integration.`);
      const security = op.data.security ?? doc.security ?? [];
      const scheme = security.map((r) => Object.entries(r)[0]).find((e) => e !== undefined && authorizers.has(e[0]));
      const authorizerId = scheme ? authorizers.get(scheme[0]) : undefined;
      const authType = authorizerId === undefined ? 'NONE' : (await s.authorizers.get(id, authorizerId)).authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
      await s.createRoute(id, {
        routeKey,
        ...(target ? { target } : {}),
        ...(op.data.operationId ? { operationName: op.data.operationId } : {}),
        authorizationType: authType,
        ...(authorizerId ? { authorizerId } : {}),
        ...(authType === 'JWT' && scheme![1].length > 0 ? { authorizationScopes: scheme![1] } : {}),
      });
    }
  }
  if (failOnWarnings && warnings.length > 0) {
    // Nothing is imported when warnings fail the import: a new API goes away again.
    if (apiId === undefined) await s.deleteApi(id);
    throw ApiGatewayV2Errors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  }
  await s.stages.redeploy(id);
  return s.updateApiRecord(id, (a) => ({ ...a, ...(warnings.length > 0 ? { warnings } : {}) }));
}
