/**
 * ImportRestApi and PutRestApi: an OpenAPI 3 or Swagger 2 document (JSON or YAML) with API Gateway's
 * extensions becomes an API definition. Read: paths and their methods, path/query/header parameters,
 * responses, `x-amazon-apigateway-integration` (with its `responses` keyed by selection pattern),
 * `x-amazon-apigateway-authorizer` security schemes (token and request), `api_key` schemes (the method
 * requires a key), `x-amazon-apigateway-any-method`, `x-amazon-apigateway-binary-media-types` and
 * `x-amazon-apigateway-api-key-source`; models, request validators and gateway responses through
 * ./openapi-parts.ts. Documentation is not read.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ApiGatewayErrors } from '../../wire/errors.js';
import * as def from './definitions.js';
import type { AuthorizerRecord, IntegrationRecord, ResourceRecord, RestApiRecord } from './model.js';
import type { RestApiService } from './rest-apis.js';
import { addDocumentParts, DocumentParts, methodParts, OperationParts } from './openapi-parts.js';

const Integration = z.looseObject({
  type: z.string(),
  httpMethod: z.string().optional(),
  uri: z.string().optional(),
  credentials: z.string().optional(),
  requestTemplates: z.record(z.string(), z.string()).optional(),
  requestParameters: z.record(z.string(), z.string()).optional(),
  passthroughBehavior: z.string().optional(),
  contentHandling: z.string().optional(),
  timeoutInMillis: z.number().int().optional(),
  responses: z
    .record(
      z.string(),
      z.looseObject({
        statusCode: z.union([z.string(), z.number()]),
        responseTemplates: z.record(z.string(), z.string()).optional(),
        responseParameters: z.record(z.string(), z.string()).optional(),
        contentHandling: z.string().optional(),
      }),
    )
    .optional(),
});

const Operation = z.looseObject({
  operationId: z.string().optional(),
  parameters: z.array(z.looseObject({ name: z.string().optional(), in: z.string().optional(), required: z.boolean().optional() })).optional(),
  responses: z.record(z.string(), z.unknown()).optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  'x-amazon-apigateway-integration': Integration.optional(),
});
type OperationDoc = z.infer<typeof Operation>;

const SecurityScheme = z.looseObject({
  type: z.string().optional(),
  name: z.string().optional(),
  in: z.string().optional(),
  'x-amazon-apigateway-authtype': z.string().optional(),
  'x-amazon-apigateway-authorizer': z
    .looseObject({
      type: z.string(),
      authorizerUri: z.string().optional(),
      authorizerCredentials: z.string().optional(),
      authorizerResultTtlInSeconds: z.number().int().optional(),
      identitySource: z.string().optional(),
      identityValidationExpression: z.string().optional(),
      providerARNs: z.array(z.string()).optional(),
    })
    .optional(),
});

const Document = z.looseObject({
  openapi: z.string().optional(),
  swagger: z.string().optional(),
  info: z.looseObject({ title: z.string().optional(), description: z.string().optional(), version: z.string().optional() }).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  components: z.looseObject({ securitySchemes: z.record(z.string(), SecurityScheme).optional() }).optional(),
  securityDefinitions: z.record(z.string(), SecurityScheme).optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  'x-amazon-apigateway-binary-media-types': z.array(z.string()).optional(),
  'x-amazon-apigateway-api-key-source': z.enum(['HEADER', 'AUTHORIZER']).optional(),
});

const VERBS: Record<string, string> = { get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', head: 'HEAD', options: 'OPTIONS', 'x-amazon-apigateway-any-method': 'ANY' };
const PARAM_PLACES: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };

/** Reads the document into a new API definition (not stored). */
export function definitionFrom(body: Buffer, apis: RestApiService): RestApiRecord {
  let raw: unknown;
  try {
    const text = body.toString('utf8');
    raw = /^\s*\{/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: ${(err as Error).message}`);
  }
  const parsed = Document.safeParse(raw);
  if (!parsed.success || (parsed.data.openapi === undefined && parsed.data.swagger === undefined)) {
    throw ApiGatewayErrors.badRequest('Invalid OpenAPI input. The document must be an OpenAPI 3 or Swagger 2 definition.');
  }
  const doc = parsed.data;
  const api = apis.blank({
    name: doc.info?.title ?? 'imported',
    ...(doc.info?.description !== undefined ? { description: doc.info.description } : {}),
    ...(doc.info?.version !== undefined ? { version: doc.info.version } : {}),
    binaryMediaTypes: doc['x-amazon-apigateway-binary-media-types'] ?? [],
    apiKeySource: doc['x-amazon-apigateway-api-key-source'] ?? 'HEADER',
  });
  const docParts = DocumentParts.safeParse(raw);
  if (!docParts.success) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: ${docParts.error.issues[0]?.path.join('.')}: ${docParts.error.issues[0]?.message}`);
  const validatorIds = addDocumentParts(api, docParts.data);
  const schemes = doc.components?.securitySchemes ?? doc.securityDefinitions ?? {};
  const authorizers = new Map<string, AuthorizerRecord>();
  for (const [name, scheme] of Object.entries(schemes)) {
    const ext = scheme['x-amazon-apigateway-authorizer'];
    if (!ext) continue;
    const type = ext.type.toUpperCase() === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : ext.type.toUpperCase() === 'REQUEST' ? 'REQUEST' : 'TOKEN';
    const identitySource = ext.identitySource ?? (scheme.in === 'header' && scheme.name ? `method.request.header.${scheme.name}` : undefined);
    const { type: _t, ...rest } = ext;
    authorizers.set(name, def.createAuthorizer(api, { ...rest, name, type, ...(identitySource !== undefined ? { identitySource } : {}) } as def.AuthorizerInput));
  }
  const apiKeySchemes = new Set(Object.entries(schemes).filter(([, s]) => s.type === 'apiKey' && !s['x-amazon-apigateway-authorizer']).map(([n]) => n));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const resource = resourceFor(api, path);
    for (const [verb, value] of Object.entries(item)) {
      const httpMethod = VERBS[verb.toLowerCase()];
      if (!httpMethod) continue;
      const op = Operation.safeParse(value);
      if (!op.success) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: ${verb} ${path}: ${op.error.issues[0]?.message}`);
      const opParts = OperationParts.safeParse(value);
      if (!opParts.success) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: ${verb} ${path}: ${opParts.error.issues[0]?.message}`);
      const extra = methodParts(docParts.data, opParts.data, validatorIds);
      addMethod(api, resource, httpMethod, op.data, op.data.security ?? doc.security ?? [], authorizers, apiKeySchemes, extra);
    }
  }
  return api;
}

/** The resource of a path, creating those on the way. */
function resourceFor(api: RestApiRecord, path: string): ResourceRecord {
  let at = api.resources[api.rootResourceId]!;
  for (const part of path.split('/').filter((p) => p !== '')) {
    at = Object.values(api.resources).find((r) => r.parentId === at.id && r.pathPart === part) ?? def.createResource(api, at.id, part);
  }
  return at;
}

function addMethod(
  api: RestApiRecord,
  resource: ResourceRecord,
  httpMethod: string,
  op: OperationDoc,
  security: readonly Record<string, string[]>[],
  authorizers: ReadonlyMap<string, AuthorizerRecord>,
  apiKeySchemes: ReadonlySet<string>,
  extra: ReturnType<typeof methodParts>,
): void {
  const names = security.flatMap((s) => Object.keys(s));
  const authorizer = names.map((n) => authorizers.get(n)).find((a) => a !== undefined);
  const requestParameters: Record<string, boolean> = {};
  for (const p of op.parameters ?? []) {
    const place = p.in && PARAM_PLACES[p.in];
    if (place && p.name) requestParameters[`method.request.${place}.${p.name}`] = p.required ?? false;
  }
  def.putMethod(api, resource.id, httpMethod, {
    authorizationType: authorizer ? (authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM') : 'NONE',
    ...(authorizer ? { authorizerId: authorizer.id } : {}),
    apiKeyRequired: names.some((n) => apiKeySchemes.has(n)),
    ...(op.operationId !== undefined ? { operationName: op.operationId } : {}),
    ...(Object.keys(requestParameters).length > 0 ? { requestParameters } : {}),
    ...extra,
  });
  for (const status of Object.keys(op.responses ?? {})) {
    if (/^[1-5]\d\d$/.test(status)) def.putMethodResponse(api, resource.id, httpMethod, { statusCode: status });
  }
  const ext = op['x-amazon-apigateway-integration'];
  if (!ext) return;
  const { responses, type, ...rest } = ext;
  const integrationType = type.toUpperCase() as IntegrationRecord['type'];
  if (!['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'].includes(integrationType)) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: unknown integration type ${type}`);
  def.putIntegration(api, resource.id, httpMethod, { ...pick(rest), type: integrationType });
  for (const [pattern, r] of Object.entries(responses ?? {})) {
    def.putIntegrationResponse(api, resource.id, httpMethod, {
      statusCode: String(r.statusCode),
      // `default` is the response chosen when no pattern matches: it has none of its own.
      ...(pattern !== 'default' ? { selectionPattern: pattern } : {}),
      ...(r.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
      ...(r.responseParameters ? { responseParameters: r.responseParameters } : {}),
      ...(r.contentHandling ? { contentHandling: r.contentHandling } : {}),
    });
  }
}

function pick(ext: Record<string, unknown>): Omit<def.IntegrationInput, 'type'> {
  const out: Record<string, unknown> = {};
  for (const k of ['httpMethod', 'uri', 'credentials', 'requestTemplates', 'requestParameters', 'passthroughBehavior', 'contentHandling', 'timeoutInMillis']) {
    if (ext[k] !== undefined) out[k] = k === 'passthroughBehavior' ? String(ext[k]).toUpperCase() : ext[k];
  }
  return out as Omit<def.IntegrationInput, 'type'>;
}
