/**
 * An API's models, request validators and gateway responses, as pure changes on its document (like
 * ./definitions.ts). Each lives in the API's document, so a deployment freezes them with the rest.
 */
import { ApiGatewayErrors } from '../../wire/errors.js';
import { newShortId } from './ids.js';
import { checkSchema } from './json-schema.js';
import type { ApiModelRecord, GatewayResponseRecord, RequestValidatorRecord, RestApiRecord } from './model.js';
import { applyPatches, boolValue, valueOf, type PatchOperation } from './patch.js';
import { DEFAULT_TEMPLATE, isResponseType, RESPONSE_TYPES } from './response-types.js';

// ---- models

/** The two models API Gateway gives every new API. */
export function builtInModels(): Record<string, ApiModelRecord> {
  const draft4 = 'http://json-schema.org/draft-04/schema#';
  return {
    Empty: { id: newShortId(), name: 'Empty', description: 'This is a default empty schema model', contentType: 'application/json', schema: JSON.stringify({ $schema: draft4, title: 'Empty Schema', type: 'object' }, null, 2) },
    Error: {
      id: newShortId(),
      name: 'Error',
      description: 'This is a default error schema model',
      contentType: 'application/json',
      schema: JSON.stringify({ $schema: draft4, title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } }, null, 2),
    },
  };
}

export const modelsOf = (api: RestApiRecord): Record<string, ApiModelRecord> => (api.models ??= {});

export function modelOf(api: RestApiRecord, name: string): ApiModelRecord {
  const m = api.models?.[name];
  if (!m) throw ApiGatewayErrors.notFound(`Invalid model name specified: ${name}`);
  return m;
}

export type ModelInput = Omit<ApiModelRecord, 'id'>;

export function createModel(api: RestApiRecord, input: ModelInput): ApiModelRecord {
  if (!/^[A-Za-z0-9]+$/.test(input.name)) throw ApiGatewayErrors.badRequest('Model name must be alphanumeric');
  const models = modelsOf(api);
  if (models[input.name]) throw ApiGatewayErrors.conflict('Model name already exists for this REST API');
  if (input.schema !== undefined) checkSchema(api.id, input.name, input.schema, Object.values(models));
  const model: ApiModelRecord = { id: newShortId(), ...input };
  models[model.name] = model;
  return model;
}

export function updateModel(api: RestApiRecord, name: string, ops: readonly PatchOperation[] | undefined): ApiModelRecord {
  const model = modelOf(api, name);
  applyPatches(ops, (op, [field]) => {
    if (field === 'description') {
      if (op.op === 'remove') delete model.description;
      else model.description = valueOf(op);
      return true;
    }
    if (field !== 'schema' || op.op !== 'replace') return false;
    checkSchema(api.id, name, valueOf(op), Object.values(modelsOf(api)));
    model.schema = valueOf(op);
    return true;
  });
  return model;
}

/** Refused while a method or another model still refers to it, as API Gateway refuses. */
export function deleteModel(api: RestApiRecord, name: string): void {
  modelOf(api, name);
  for (const r of Object.values(api.resources)) {
    for (const m of Object.values(r.methods)) {
      const inResponses = Object.values(m.methodResponses).some((mr) => Object.values(mr.responseModels ?? {}).includes(name));
      if (Object.values(m.requestModels ?? {}).includes(name) || inResponses) {
        throw ApiGatewayErrors.badRequest(`Cannot delete model '${name}', is referenced in method request or response: ${r.path}/${m.httpMethod}`);
      }
    }
  }
  for (const other of Object.values(modelsOf(api))) {
    if (other.name !== name && other.schema?.includes(`/models/${name}"`)) throw ApiGatewayErrors.badRequest(`Cannot delete model '${name}', is referenced in model: ${other.name}`);
  }
  delete modelsOf(api)[name];
}

/** A method's request models must name models of the API. */
export function checkModelNames(api: RestApiRecord, requestModels: Record<string, string> | undefined): void {
  for (const name of Object.values(requestModels ?? {})) {
    if (!api.models?.[name]) throw ApiGatewayErrors.badRequest(`Invalid model identifier specified: ${name}`);
  }
}

// ---- request validators

export const validatorsOf = (api: RestApiRecord): Record<string, RequestValidatorRecord> => (api.requestValidators ??= {});

export function validatorOf(api: RestApiRecord, id: string): RequestValidatorRecord {
  const v = api.requestValidators?.[id];
  if (!v) throw ApiGatewayErrors.notFound('Invalid Request Validator identifier specified');
  return v;
}

export function createValidator(api: RestApiRecord, input: Partial<Omit<RequestValidatorRecord, 'id'>>): RequestValidatorRecord {
  const validators = validatorsOf(api);
  const name = input.name ?? '';
  if (name !== '' && Object.values(validators).some((v) => v.name === name)) throw ApiGatewayErrors.conflict(`Validator with name ${name} already exists`);
  const validator: RequestValidatorRecord = {
    id: newShortId(),
    name,
    validateRequestBody: input.validateRequestBody ?? false,
    validateRequestParameters: input.validateRequestParameters ?? false,
  };
  validators[validator.id] = validator;
  return validator;
}

export function updateValidator(api: RestApiRecord, id: string, ops: readonly PatchOperation[] | undefined): RequestValidatorRecord {
  const validator = validatorOf(api, id);
  applyPatches(ops, (op, [field]) => {
    if (field === 'name') validator.name = valueOf(op);
    else if (field === 'validateRequestBody' || field === 'validateRequestParameters') validator[field] = boolValue(op);
    else return false;
    return true;
  });
  return validator;
}

export function deleteValidator(api: RestApiRecord, id: string): void {
  validatorOf(api, id);
  for (const r of Object.values(api.resources)) {
    for (const m of Object.values(r.methods)) {
      if (m.requestValidatorId === id) throw ApiGatewayErrors.conflict(`Cannot delete request validator, is referenced in method: ${r.path}/${m.httpMethod}`);
    }
  }
  delete validatorsOf(api)[id];
}

// ---- gateway responses

export interface GatewayResponseView extends GatewayResponseRecord {
  defaultResponse: boolean;
}

function checkType(type: string): void {
  if (!isResponseType(type)) throw ApiGatewayErrors.badRequest(`Invalid response type specified: ${type}`);
}

/** The response as set, or API Gateway's default for the type (`defaultResponse: true`). */
export function gatewayResponseOf(api: RestApiRecord, type: string): GatewayResponseView {
  checkType(type);
  const set = api.gatewayResponses?.[type];
  if (set) return { ...set, defaultResponse: false };
  const status = RESPONSE_TYPES[type as keyof typeof RESPONSE_TYPES];
  return {
    responseType: type,
    ...(status !== undefined ? { statusCode: String(status) } : {}),
    responseParameters: {},
    responseTemplates: { 'application/json': DEFAULT_TEMPLATE },
    defaultResponse: true,
  };
}

/** Every type, set or default, in the table's order. */
export const allGatewayResponses = (api: RestApiRecord): GatewayResponseView[] => Object.keys(RESPONSE_TYPES).map((t) => gatewayResponseOf(api, t));

export type GatewayResponseInput = Partial<Pick<GatewayResponseRecord, 'statusCode' | 'responseParameters' | 'responseTemplates'>>;

export function putGatewayResponse(api: RestApiRecord, type: string, input: GatewayResponseInput): GatewayResponseRecord {
  checkType(type);
  if (input.statusCode !== undefined && !/^[1-5]\d\d$/.test(input.statusCode)) throw ApiGatewayErrors.badRequest(`Invalid status code ${input.statusCode}`);
  checkParameters(input.responseParameters);
  const response: GatewayResponseRecord = {
    responseType: type,
    ...(input.statusCode !== undefined ? { statusCode: input.statusCode } : {}),
    responseParameters: input.responseParameters ?? {},
    responseTemplates: input.responseTemplates ?? {},
  };
  (api.gatewayResponses ??= {})[type] = response;
  return response;
}

/** `gatewayresponse.header|querystring|path.<name>` targets only. */
function checkParameters(params: Record<string, string> | undefined): void {
  for (const key of Object.keys(params ?? {})) {
    if (!/^gatewayresponse\.(header|querystring|path)\.[^.]+$/.test(key)) throw ApiGatewayErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${key}]`);
  }
}

/** Patches a response; a type still at its default is set by its first update. */
export function updateGatewayResponse(api: RestApiRecord, type: string, ops: readonly PatchOperation[] | undefined): GatewayResponseRecord {
  const { defaultResponse: _d, ...current } = gatewayResponseOf(api, type);
  const response: GatewayResponseRecord = structuredClone(current);
  applyPatches(ops, (op, [field, key]) => {
    if (field === 'statusCode') {
      if (op.op === 'remove') delete response.statusCode;
      else if (!/^[1-5]\d\d$/.test(valueOf(op))) throw ApiGatewayErrors.badRequest(`Invalid status code ${op.value}`);
      else response.statusCode = valueOf(op);
      return true;
    }
    if ((field !== 'responseParameters' && field !== 'responseTemplates') || key === undefined) return false;
    if (op.op === 'remove') delete response[field][key];
    else response[field][key] = valueOf(op);
    return true;
  });
  checkParameters(response.responseParameters);
  (api.gatewayResponses ??= {})[type] = response;
  return response;
}

export function deleteGatewayResponse(api: RestApiRecord, type: string): void {
  checkType(type);
  if (!api.gatewayResponses?.[type]) throw ApiGatewayErrors.notFound('Invalid Gateway Response specified');
  delete api.gatewayResponses[type];
}
