/**
 * OpenApiVersion 3 on a REST API: the body SAM manages becomes `openapi: <version>` instead of
 * `swagger: '2.0'`, and what SAM wrote in Swagger 2 terms moves to OpenAPI 3 places (security
 * definitions and models under `components`, CORS preflight headers given a schema).
 */
import { invalidTemplate } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../intrinsics.js';
import { iterationOrder, samDict, samSet } from './py27.js';

const OPENAPI_3 = /^3(\.\d)(\.\d)?$/;

/** samtranslator's Globals step: managed bodies of APIs with OpenApiVersion 3 switch to `openapi`. */
export function applyOpenApiVersions(resources: Record<string, JsonObject>): void {
  for (const r of Object.values(resources)) {
    if (r['Type'] !== 'AWS::Serverless::Api' || !isObject(r['Properties'])) continue;
    const p = r['Properties'];
    const version = p['OpenApiVersion'];
    if (version === undefined || !p['__MANAGE_SWAGGER'] || !OPENAPI_3.test(String(version))) continue;
    if (typeof version !== 'string') p['OpenApiVersion'] = String(version);
    const body = p['DefinitionBody'];
    if (!isObject(body)) continue;
    samSet(body, 'openapi', p['OpenApiVersion']!, { plainValue: false });
    if (body['swagger']) delete body['swagger'];
  }
}

/** samtranslator's _openapi_postprocess, for a body about to become the RestApi's Body. */
export function openApiPostprocess(body: JsonObject, openApiVersion: Json | undefined): JsonObject {
  if (body['swagger'] !== undefined && body['swagger'] !== null) return body;
  const version =
    body['openapi'] !== undefined && body['openapi'] !== null && (openApiVersion === undefined || openApiVersion === null) ? body['openapi'] : openApiVersion;
  if (!version || !OPENAPI_3.test(String(version))) return body;
  for (const [from, to] of [['securityDefinitions', 'securitySchemes'], ['definitions', 'schemas']] as const) {
    if (!body[from] || (isObject(body[from]) && Object.keys(body[from]).length === 0)) continue;
    let components = body['components'];
    if (!isObject(components) || Object.keys(components).length === 0) components = samDict();
    samSet(components as JsonObject, to, body[from]!);
    samSet(body, 'components', components);
    delete body[from];
  }
  const paths = body['paths'];
  if (!paths) return body;
  if (!isObject(paths)) throw invalidTemplate('Value of paths must be a dictionary according to Swagger spec.');
  for (const path of iterationOrder(paths)) {
    const item = paths[path];
    if (!isObject(item)) throw invalidTemplate(`Value of '${path}' path must be a dictionary according to Swagger spec.`);
    const options = item['options'];
    if (!options) continue;
    if (!isObject(options)) throw invalidTemplate(`Value of options method for path ${path} must be a dictionary according to Swagger spec.`);
    for (const field of Object.keys(options)) {
      if (field === 'produces' || field === 'consumes') delete options[field];
      if (field !== 'responses') continue;
      const responses = options['responses'];
      const ok = isObject(responses) ? responses['200'] : undefined;
      const headers = isObject(ok) ? ok['headers'] : undefined;
      if (!headers) continue;
      if (!isObject(headers)) {
        throw invalidTemplate(`Value of response's headers in options method for path ${path} must be a dictionary according to Swagger spec.`);
      }
      for (const header of iterationOrder(headers)) {
        const wrapped = samDict();
        samSet(wrapped, 'schema', headers[header]!);
        samSet(headers, header, wrapped);
      }
    }
  }
  return body;
}
