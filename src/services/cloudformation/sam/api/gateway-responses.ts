/** GatewayResponses on a REST API: API Gateway's own error responses (4XX, 5XX, UNAUTHORIZED...) in the body. */
import { invalidResource } from '../errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';
import { iterationOrder, py27Deepcopy, samDict, samSet } from './py27.js';
import { isSwagger } from './swagger.js';

const PROPERTIES = ['ResponseParameters', 'ResponseTemplates', 'StatusCode'];
const PARAMETERS: Array<[string, string]> = [['Headers', 'header.'], ['Paths', 'path.'], ['QueryStrings', 'querystring.']];
const EXTENSION = 'x-amazon-apigateway-gateway-responses';

const pyType = (v: Json): string =>
  Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : v === null ? 'NoneType' : 'dict';

export function addGatewayResponses(id: string, body: Json | undefined, responses: Json): void {
  if (!responses || (isObject(responses) && Object.keys(responses).length === 0)) return;
  if (!body) throw invalidResource(id, "GatewayResponses works only with inline Swagger specified in 'DefinitionBody' property.");
  if (!isObject(responses)) throw invalidResource(id, "Property 'GatewayResponses' should be a map.");
  for (const [type, response] of Object.entries(responses)) {
    if (isIntrinsic(response)) {
      throw invalidResource(id, 'Unable to set GatewayResponses attribute because intrinsic functions are not supported for this field.');
    }
    if (!isObject(response)) {
      throw invalidResource(id, `Invalid property type '${pyType(response)}' for GatewayResponses. Expected an object of type 'GatewayResponse'.`);
    }
    for (const key of Object.keys(response)) {
      if (!PROPERTIES.includes(key)) throw invalidResource(id, `Invalid property '${key}' in 'GatewayResponses' property '${type}'.`);
    }
  }
  if (!isSwagger(body)) throw invalidResource(id, "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid Swagger definition.");
  py27Deepcopy(body);
  const target = (isObject(body[EXTENSION]) && Object.keys(body[EXTENSION]).length > 0 ? body[EXTENSION] : samDict()) as JsonObject;
  for (const type of iterationOrder(responses)) {
    samSet(target, type, generate(id, responses[type] as JsonObject), { plainKey: false });
  }
  if (!(EXTENSION in body) || body[EXTENSION] !== target) samSet(body, EXTENSION, target);
  py27Deepcopy(body);
}

function generate(id: string, response: JsonObject): JsonObject {
  const params = response['ResponseParameters'];
  if (params && !isObject(params)) throw invalidResource(id, "Property 'ResponseParameters' should be a map.");
  if (isObject(params)) {
    for (const key of Object.keys(params)) {
      if (!PARAMETERS.some(([name]) => name === key)) throw invalidResource(id, `Invalid gateway response parameter '${key}'`);
    }
  }
  const status = response['StatusCode'];
  const statusText = status === undefined || status === null ? undefined : String(status);
  if (status && !/^[0-9]{1,3}$/.test(statusText!)) throw invalidResource(id, "Property 'StatusCode' must be numeric");
  const prefixed = samDict();
  for (const [name, prefix] of PARAMETERS) {
    const values = isObject(params) ? (params[name] ?? {}) : {};
    if (!isObject(values)) throw invalidResource(id, `Property 'ResponseParameters.${name}' should be a map.`);
    for (const key of iterationOrder(values)) samSet(prefixed, `gatewayresponse.${prefix}${key}`, values[key]!, { plainKey: false, plainValue: false });
  }
  const out = samDict();
  samSet(out, 'responseParameters', prefixed);
  const templates = response['ResponseTemplates'];
  samSet(out, 'responseTemplates', templates && !(isObject(templates) && Object.keys(templates).length === 0) ? templates : samDict());
  if (statusText) samSet(out, 'statusCode', statusText);
  return out;
}
