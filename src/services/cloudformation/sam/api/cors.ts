/**
 * Cors on a REST API: an OPTIONS method with a mock integration on every path that lacks one,
 * answering the preflight with the configured Access-Control-* headers. (Lambda proxy responses must
 * still carry their own headers; API Gateway cannot add them.)
 */
import { invalidResource } from '../errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';
import { iterationOrder, markPlain, py27Deepcopy, samDict, samSet } from './py27.js';
import { ANY_METHOD, conditionalContents, INTEGRATION, isSwagger } from './swagger.js';

const FIELDS = ['AllowMethods', 'AllowHeaders', 'AllowOrigin', 'MaxAge', 'AllowCredentials'];
const ALL_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];
const WILDCARD = "'*'";

/** The body with CORS preflight methods added, as samtranslator's _add_cors does. */
export function addCors(id: string, body: Json | undefined, cors: Json): Json | undefined {
  if (!cors) return body;
  if (!body) throw invalidResource(id, "Cors works only with inline Swagger specified in 'DefinitionBody' property.");
  let config: JsonObject;
  if (typeof cors === 'string' || isIntrinsic(cors)) config = { AllowOrigin: cors };
  else if (isObject(cors)) {
    for (const key of Object.keys(cors)) if (!FIELDS.includes(key)) throw invalidResource(id, `Invalid key '${key}' for 'Cors' property.`);
    config = cors;
  } else throw invalidResource(id, "Invalid value for 'Cors' property");
  const origin = 'AllowOrigin' in config ? config['AllowOrigin']! : WILDCARD;
  const credentials = config['AllowCredentials'] ?? false;
  if (!isSwagger(body)) {
    throw invalidResource(id, "Unable to add Cors configuration because 'DefinitionBody' does not contain a valid Swagger definition.");
  }
  if (credentials === true && origin === WILDCARD) {
    throw invalidResource(
      id,
      `Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is "'*'" or not set`,
    );
  }
  py27Deepcopy(body);
  const seen = new Set<string>();
  const paths = body['paths'] as JsonObject;
  for (const path of iterationOrder(paths)) {
    // API Gateway treats /a and /a/ as one resource: one OPTIONS method for both.
    const normalized = path !== '/' ? path.replace(/\/+$/, '') : path;
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    for (const item of conditionalContents(paths[path])) {
      if (!isObject(item)) throw invalidResource(id, `Value of '${path}' path must be a dictionary according to Swagger spec.`);
      if ('options' in item) continue;
      if (!origin) throw invalidResource(id, 'Invalid input. Value for AllowedOrigins is required');
      let methods = config['AllowMethods'];
      let samMethods = false;
      if (!methods) {
        methods = `'${allowedMethods(item)}'`;
        samMethods = true;
      }
      samSet(item, 'options', optionsMethod(origin, config['AllowHeaders'], methods, samMethods, config['MaxAge'], credentials === true));
    }
  }
  py27Deepcopy(body);
  return body;
}

function allowedMethods(item: JsonObject): string {
  const methods = Object.keys(item);
  const list = methods.includes(ANY_METHOD) ? ALL_METHODS : [...methods, 'options'];
  return [...new Set(list.map((m) => m.toUpperCase()))].sort().join(',');
}

const header = (name: string): string => `method.response.header.${name}`;

function typed(type: string): JsonObject {
  const d = samDict(true);
  samSet(d, 'type', type);
  return d;
}

function optionsMethod(origin: Json, headers: Json | undefined, methods: Json, samMethods: boolean, maxAge: Json | undefined, credentials: boolean): JsonObject {
  const params = samDict();
  const responseHeaders = samDict();
  samSet(params, header('Access-Control-Allow-Origin'), origin, { plainValue: false });
  samSet(responseHeaders, 'Access-Control-Allow-Origin', typed('string'));
  if (headers) {
    samSet(params, header('Access-Control-Allow-Headers'), headers, { plainValue: false });
    samSet(responseHeaders, 'Access-Control-Allow-Headers', typed('string'));
  }
  if (methods) {
    samSet(params, header('Access-Control-Allow-Methods'), methods, { plainValue: samMethods });
    samSet(responseHeaders, 'Access-Control-Allow-Methods', typed('string'));
  }
  if (maxAge !== undefined && maxAge !== null) {
    samSet(params, header('Access-Control-Max-Age'), maxAge, { plainValue: false });
    samSet(responseHeaders, 'Access-Control-Max-Age', typed('integer'));
  }
  if (credentials) {
    samSet(params, header('Access-Control-Allow-Credentials'), "'true'");
    samSet(responseHeaders, 'Access-Control-Allow-Credentials', typed('string'));
  }
  const method = samDict();
  samSet(method, 'summary', 'CORS support');
  samSet(method, 'consumes', plainList(['application/json']));
  samSet(method, 'produces', plainList(['application/json']));
  const integration = samDict();
  samSet(integration, 'type', 'mock');
  const requestTemplates = samDict(true);
  samSet(requestTemplates, 'application/json', '{\n  "statusCode" : 200\n}\n');
  samSet(integration, 'requestTemplates', requestTemplates);
  const responses = samDict();
  const byDefault = samDict();
  samSet(byDefault, 'statusCode', '200');
  samSet(byDefault, 'responseParameters', params);
  const responseTemplates = samDict(true);
  samSet(responseTemplates, 'application/json', '{}\n');
  samSet(byDefault, 'responseTemplates', responseTemplates);
  samSet(responses, 'default', byDefault);
  samSet(integration, 'responses', responses);
  samSet(method, INTEGRATION, integration);
  const methodResponses = samDict();
  const ok = samDict();
  samSet(ok, 'description', 'Default response for CORS method');
  samSet(ok, 'headers', responseHeaders);
  samSet(methodResponses, '200', ok);
  samSet(method, 'responses', methodResponses);
  return method;
}

function plainList(items: string[]): Json[] {
  markPlain(items, items.map((_, i) => i));
  return items;
}
