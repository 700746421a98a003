/** CorsConfiguration on an HTTP API: the `x-amazon-apigateway-cors` extension of its OpenAPI body. */
import { invalidResource } from '../errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';

const FIELDS = ['AllowMethods', 'AllowHeaders', 'AllowOrigins', 'MaxAge', 'ExposeHeaders', 'AllowCredentials'];
const EXTENSION = 'x-amazon-apigateway-cors';
const OPENAPI_3 = /^3\.\d\.\d$/;
/** Unlike a REST API's Cors (a quoted header value), an HTTP API lists origins as plain strings. */
const WILDCARD = '*';

export function addHttpCors(id: string, body: JsonObject | undefined, cors: Json): void {
  if (!cors) return;
  if (!body) throw invalidResource(id, "Cors works only with inline OpenApi specified in 'DefinitionBody' property.");
  let config: JsonObject;
  if (typeof cors === 'boolean') config = { AllowOrigins: [WILDCARD] };
  else if (isIntrinsic(cors)) config = { AllowOrigins: cors };
  else if (isObject(cors)) {
    for (const key of Object.keys(cors)) if (!FIELDS.includes(key)) throw invalidResource(id, `Invalid key '${key}' for 'Cors' property.`);
    config = cors;
  } else throw invalidResource(id, "Invalid value for 'Cors' property.");
  if (!(isObject(body['paths']) && typeof body['openapi'] === 'string' && OPENAPI_3.test(body['openapi']))) {
    throw invalidResource(id, "Unable to add Cors configuration because 'DefinitionBody' does not contain a valid OpenApi definition.");
  }
  const origins = config['AllowOrigins'];
  if (config['AllowCredentials'] === true && Array.isArray(origins) && origins.length === 1 && origins[0] === WILDCARD) {
    throw invalidResource(id, `Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is "'*'" or not set.`);
  }
  const existing = body[EXTENSION] ?? {};
  if (!isObject(existing)) throw invalidResource(id, `Value of '${EXTENSION}' must be a dictionary according to Swagger spec.`);
  const out: JsonObject = { ...existing };
  if (origins && isIntrinsic(origins)) {
    // An intrinsic for the whole configuration: its keys are renamed to the extension's camelCase.
    let text = JSON.stringify(origins);
    for (const h of ['allowOrigins', 'allowHeaders', 'allowMethods', 'exposeHeaders', 'maxAge', 'allowCredentials']) {
      text = text.split(h[0]!.toUpperCase() + h.slice(1)).join(h);
    }
    Object.assign(out, JSON.parse(text) as JsonObject);
  } else {
    if (origins) out['allowOrigins'] = origins;
    if (config['AllowHeaders']) out['allowHeaders'] = config['AllowHeaders'];
    if (config['AllowMethods']) out['allowMethods'] = config['AllowMethods'];
    if (config['ExposeHeaders']) out['exposeHeaders'] = config['ExposeHeaders'];
    if (config['MaxAge'] !== undefined && config['MaxAge'] !== null) out['maxAge'] = config['MaxAge'];
    if (config['AllowCredentials'] === true) out['allowCredentials'] = true;
  }
  body[EXTENSION] = out;
}
