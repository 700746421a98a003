/**
 * An Api event's RequestModel and RequestParameters, and an Api's Models, as samtranslator writes them
 * into the Swagger body: a body parameter (or OpenAPI 3 `requestBody`) naming the model in lower case,
 * a request validator by what it checks (`body-and-params`, `body-only`, `params-only`,
 * `no-validation`), typed `string` parameters (cache key parameters when `Caching`), and the models
 * under `definitions`. Writes go through py27.ts, as the Deployment's name hashes the body.
 */
import { invalidResource, invalidTemplate } from '../errors.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';
import { eventError, type EventInput } from '../events/common.js';
import { iterationOrder, py27Deepcopy, samDict, samSet } from './py27.js';
import { conditionalContents, INTEGRATION, isSwagger, normalizeMethod } from './swagger.js';

const VALIDATORS = 'x-amazon-apigateway-request-validators';
const VALIDATOR = 'x-amazon-apigateway-request-validator';
const OPENAPI_3 = /^3(\.\d)(\.\d)?$/;

/** The method definitions of a path and method that have an integration (samtranslator skips the others). */
function methodDefinitions(body: JsonObject, path: string, method: string): JsonObject[] {
  const m = normalizeMethod(method);
  const out: JsonObject[] = [];
  for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    for (const def of conditionalContents(item[m])) if (isObject(def) && isObject(def[INTEGRATION])) out.push(def);
  }
  return out;
}

export function addRequestModel(input: EventInput, body: JsonObject, api: JsonObject, path: string, method: string, requestModel: Json): void {
  if (!isObject(requestModel)) throw eventError(input, "Property 'RequestModel' should be a map.");
  const model = requestModel['Model'];
  if (!model) return;
  const where = `Unable to set RequestModel [${typeof model === 'string' ? model : JSON.stringify(model)}] on API method [${input.properties['Method']}] for path [${path}] because`;
  const models = api['Models'];
  if (!models) throw eventError(input, `${where} the related API does not define any Models.`);
  if (!isIntrinsic(models) && !isObject(models)) throw eventError(input, `${where} the related API Models defined is of invalid type.`);
  if (typeof model !== 'string') throw eventError(input, `${where} the related API does not contain valid Models.`);
  if (!(models as JsonObject)[model]) throw eventError(input, `${where} it wasn't defined in the API's Models.`);

  const name = model.toLowerCase();
  const required = requestModel['Required'];
  for (const def of methodDefinitions(body, path, method)) {
    if (body['swagger'] !== undefined && body['swagger'] !== null) {
      const parameters = Array.isArray(def['parameters']) ? def['parameters'] : [];
      const parameter = samDict();
      samSet(parameter, 'in', 'body');
      samSet(parameter, 'name', name, { plainValue: false });
      const schema = samDict(true);
      samSet(schema, '$ref', `#/definitions/${name}`);
      samSet(parameter, 'schema', schema);
      if (required !== undefined && required !== null) samSet(parameter, 'required', required);
      parameters.push(parameter);
      samSet(def, 'parameters', parameters);
    } else if (typeof body['openapi'] === 'string' && OPENAPI_3.test(body['openapi'])) {
      const ref = samDict(true);
      samSet(ref, '$ref', `#/components/schemas/${name}`);
      const schema = samDict(true);
      samSet(schema, 'schema', ref);
      const content = samDict(true);
      samSet(content, 'application/json', schema);
      const requestBody = samDict(true);
      samSet(requestBody, 'content', content);
      if (required !== undefined && required !== null) samSet(requestBody, 'required', required);
      samSet(def, 'requestBody', requestBody);
    }
  }

  let validateBody = requestModel['ValidateBody'];
  let validateParameters = requestModel['ValidateParameters'];
  if ((validateBody === undefined || validateBody === null) && (validateParameters === undefined || validateParameters === null)) return;
  validateBody = validateBody ?? false;
  validateParameters = validateParameters ?? false;
  if (typeof validateBody !== 'boolean' || typeof validateParameters !== 'boolean') {
    throw eventError(
      input,
      `Unable to set Validator to RequestModel [${model}] on API method [${input.properties['Method']}] for path [${path}] ValidateBody and ValidateParameters must be a boolean type, strings or intrinsics are not supported.`,
    );
  }
  const validatorName = validateBody && validateParameters ? 'body-and-params' : validateBody ? 'body-only' : validateParameters ? 'params-only' : 'no-validation';
  if (!body[VALIDATORS] || (isObject(body[VALIDATORS]) && Object.keys(body[VALIDATORS]).length === 0)) samSet(body, VALIDATORS, samDict());
  const validators = body[VALIDATORS] as JsonObject;
  if (!validators[validatorName]) {
    const definition = samDict();
    samSet(definition, 'validateRequestBody', validateBody);
    samSet(definition, 'validateRequestParameters', validateParameters);
    samSet(validators, validatorName, definition);
  }
  for (const def of methodDefinitions(body, path, method)) samSet(def, VALIDATOR, validatorName);
}

const PARAMETER = /^method\.request\.(querystring|path|header)\./;
const KEY_FORMAT =
  "Invalid value for 'RequestParameters' property. Keys must be in the format 'method.request.[querystring|path|header].{value}', e.g 'method.request.header.Authorization'.";

export function addRequestParameters(input: EventInput, body: JsonObject, path: string, method: string, requestParameters: Json): void {
  const settings: { name: string; required: Json; caching: Json }[] = [];
  for (const parameter of Array.isArray(requestParameters) ? requestParameters : []) {
    if (isObject(parameter)) {
      const [name, value] = Object.entries(parameter)[0] ?? ['', undefined];
      if (!PARAMETER.test(name)) throw eventError(input, KEY_FORMAT);
      if (!isObject(value) || !Object.keys(value).every((k) => k === 'Required' || k === 'Caching')) {
        throw eventError(input, "Invalid value for 'RequestParameters' property. Values must be an object, e.g { Required: true, Caching: false }");
      }
      settings.push({ name, required: value['Required'] ?? false, caching: value['Caching'] ?? false });
    } else if (typeof parameter === 'string') {
      if (!PARAMETER.test(parameter)) throw eventError(input, KEY_FORMAT);
      settings.push({ name: parameter, required: false, caching: false });
    } else {
      throw eventError(input, "Invalid value for 'RequestParameters' property. Property must be either a string or an object");
    }
  }
  for (const def of methodDefinitions(body, path, method)) {
    const parameters = Array.isArray(def['parameters']) ? def['parameters'] : [];
    for (const s of settings) {
      const [location, ...rest] = s.name.replace('method.request.', '').split('.');
      const parameter = samDict();
      // The location is the template's text, except `query`, which SAM writes itself.
      samSet(parameter, 'in', location === 'querystring' ? 'query' : location!, { plainValue: location === 'querystring' });
      samSet(parameter, 'name', rest.join('.'), { plainValue: false });
      samSet(parameter, 'required', s.required);
      samSet(parameter, 'type', 'string');
      parameters.push(parameter);
      if (s.caching) {
        const integration = def[INTEGRATION] as JsonObject;
        const cached = Array.isArray(integration['cacheKeyParameters']) ? integration['cacheKeyParameters'] : [];
        cached.push(s.name);
        samSet(integration, 'cacheKeyParameters', cached);
      }
    }
    samSet(def, 'parameters', parameters);
  }
}

/** An Api's Models under the body's `definitions`, each by its name in lower case. */
export function addModels(id: string, body: Json | undefined, models: Json): void {
  if (!models || (isObject(models) && Object.keys(models).length === 0)) return;
  if (!body) throw invalidResource(id, "Models works only with inline Swagger specified in 'DefinitionBody' property.");
  if (!isSwagger(body)) throw invalidResource(id, "Unable to add Models definitions because 'DefinitionBody' does not contain a valid Swagger definition.");
  if (!isObject(models) || !Object.values(models).every((m) => isObject(m))) throw invalidResource(id, "Invalid value for 'Models' property");
  py27Deepcopy(body);
  const existing = body['definitions'];
  const definitions = isObject(existing) && Object.keys(existing).length > 0 ? existing : samDict();
  for (const name of iterationOrder(models)) {
    const schema = models[name] as JsonObject;
    if (!schema['type']) throw invalidTemplate("'Models' schema is missing 'type'.");
    samSet(definitions, name.toLowerCase(), schema, { plainKey: false });
  }
  if (body['definitions'] !== definitions) samSet(body, 'definitions', definitions);
  py27Deepcopy(body);
}
