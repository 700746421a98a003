/**
 * The parts of an OpenAPI (or Swagger) definition beyond paths and methods (./openapi.ts): models
 * (`definitions`, `components.schemas`, their `#/...` references made model URIs), request validators
 * (`x-amazon-apigateway-request-validators`, chosen per document or per operation by
 * `x-amazon-apigateway-request-validator`), a method's body models (a Swagger `in: body` parameter, an
 * OpenAPI `requestBody`) and gateway responses (`x-amazon-apigateway-gateway-responses`), as SAM
 * writes them for `Models`, `RequestModel` and `GatewayResponses`.
 */
import { z } from 'zod';
import { ApiGatewayErrors } from '../../wire/errors.js';
import * as parts from './api-parts.js';
import { newShortId } from './ids.js';
import { checkSchema, modelUri } from './json-schema.js';
import type { RestApiRecord } from './model.js';

const Validators = z.record(z.string(), z.looseObject({ validateRequestBody: z.boolean().optional(), validateRequestParameters: z.boolean().optional() }));
const GatewayResponses = z.record(
  z.string(),
  z.looseObject({
    statusCode: z.union([z.string(), z.number()]).optional(),
    responseParameters: z.record(z.string(), z.string()).optional(),
    responseTemplates: z.record(z.string(), z.string()).optional(),
  }),
);
const Schemas = z.record(z.string(), z.record(z.string(), z.unknown()));

export const DocumentParts = z.looseObject({
  definitions: Schemas.optional(),
  components: z.looseObject({ schemas: Schemas.optional() }).optional(),
  consumes: z.array(z.string()).optional(),
  'x-amazon-apigateway-request-validators': Validators.optional(),
  'x-amazon-apigateway-request-validator': z.string().optional(),
  'x-amazon-apigateway-gateway-responses': GatewayResponses.optional(),
});
export type DocumentPartsDoc = z.infer<typeof DocumentParts>;

export const OperationParts = z.looseObject({
  consumes: z.array(z.string()).optional(),
  parameters: z.array(z.looseObject({ in: z.string().optional(), schema: z.looseObject({ $ref: z.string().optional() }).optional() })).optional(),
  requestBody: z.looseObject({ content: z.record(z.string(), z.looseObject({ schema: z.looseObject({ $ref: z.string().optional() }).optional() })).optional() }).optional(),
  'x-amazon-apigateway-request-validator': z.string().optional(),
});
export type OperationPartsDoc = z.infer<typeof OperationParts>;

/** The model a `#/definitions/<name>` or `#/components/schemas/<name>` reference names. */
const refName = (ref: string | undefined): string | undefined => (ref === undefined ? undefined : /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(ref)?.[1]);

/** `#/...` references in a schema, as the model URIs API Gateway gives them. */
function modelRefs(v: unknown, apiId: string): unknown {
  if (Array.isArray(v)) return v.map((x) => modelRefs(x, apiId));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const name = k === '$ref' && typeof x === 'string' ? refName(x) : undefined;
    out[k] = name !== undefined ? modelUri(apiId, name) : modelRefs(x, apiId);
  }
  return out;
}

/** The document's models, validators and gateway responses, into the API; returns validator ids by name. */
export function addDocumentParts(api: RestApiRecord, doc: DocumentPartsDoc): Map<string, string> {
  const schemas = { ...doc.components?.schemas, ...doc.definitions };
  const models = parts.modelsOf(api);
  // All are added before any is checked: models may refer to each other in any order.
  for (const [name, schema] of Object.entries(schemas)) {
    if (!/^[A-Za-z0-9]+$/.test(name)) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: model name ${name} must be alphanumeric`);
    models[name] = { id: models[name]?.id ?? newShortId(), name, contentType: 'application/json', schema: JSON.stringify(modelRefs(schema, api.id)) };
  }
  for (const name of Object.keys(schemas)) checkSchema(api.id, name, models[name]!.schema!, Object.values(models));

  const validatorIds = new Map<string, string>();
  for (const [name, v] of Object.entries(doc['x-amazon-apigateway-request-validators'] ?? {})) {
    const made = parts.createValidator(api, { name, validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false });
    validatorIds.set(name, made.id);
  }
  for (const [type, r] of Object.entries(doc['x-amazon-apigateway-gateway-responses'] ?? {})) {
    parts.putGatewayResponse(api, type, {
      ...(r.statusCode !== undefined ? { statusCode: String(r.statusCode) } : {}),
      ...(r.responseParameters ? { responseParameters: r.responseParameters } : {}),
      ...(r.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
    });
  }
  return validatorIds;
}

/** A method's validator and body models, from its operation (and the document's defaults). */
export function methodParts(doc: DocumentPartsDoc, op: OperationPartsDoc, validatorIds: ReadonlyMap<string, string>): { requestValidatorId?: string; requestModels?: Record<string, string> } {
  const out: { requestValidatorId?: string; requestModels?: Record<string, string> } = {};
  const validatorName = op['x-amazon-apigateway-request-validator'] ?? doc['x-amazon-apigateway-request-validator'];
  if (validatorName !== undefined) {
    const id = validatorIds.get(validatorName);
    if (id === undefined) throw ApiGatewayErrors.badRequest(`Invalid OpenAPI input: unknown request validator ${validatorName}`);
    out.requestValidatorId = id;
  }
  const requestModels: Record<string, string> = {};
  const bodyModel = refName(op.parameters?.find((p) => p.in === 'body')?.schema?.$ref);
  if (bodyModel !== undefined) for (const type of op.consumes ?? doc.consumes ?? ['application/json']) requestModels[type] = bodyModel;
  for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
    const name = refName(media.schema?.$ref);
    if (name !== undefined) requestModels[type] = name;
  }
  if (Object.keys(requestModels).length > 0) out.requestModels = requestModels;
  return out;
}
