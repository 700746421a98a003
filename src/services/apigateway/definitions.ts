/**
 * Changes to one REST API's definition (resources, methods, integrations, responses, authorizers),
 * as pure functions on its document: the service reads it, applies one, and writes it back.
 */
import { ApiGatewayErrors } from '../../wire/errors.js';
import { checkModelNames, validatorOf } from './api-parts.js';
import { newShortId } from './ids.js';
import type { AuthorizerRecord, IntegrationRecord, IntegrationResponseRecord, MethodRecord, MethodResponseRecord, ResourceRecord, RestApiRecord } from './model.js';
import { applyPatches, boolValue, valueOf, type PatchOperation } from './patch.js';

export const DEFAULT_TIMEOUT_MS = 29_000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);

export function resourceOf(api: RestApiRecord, id: string): ResourceRecord {
  const r = api.resources[id];
  if (!r) throw ApiGatewayErrors.notFound('Invalid Resource identifier specified');
  return r;
}

export function methodOf(api: RestApiRecord, resourceId: string, httpMethod: string): MethodRecord {
  const m = resourceOf(api, resourceId).methods[httpMethod.toUpperCase()];
  if (!m) throw ApiGatewayErrors.notFound('Invalid Method identifier specified');
  return m;
}

export function integrationOf(api: RestApiRecord, resourceId: string, httpMethod: string): IntegrationRecord {
  const i = methodOf(api, resourceId, httpMethod).integration;
  if (!i) throw ApiGatewayErrors.notFound('No integration defined for method');
  return i;
}

export function authorizerOf(api: RestApiRecord, id: string): AuthorizerRecord {
  const a = api.authorizers[id];
  if (!a) throw ApiGatewayErrors.notFound('Invalid Authorizer identifier specified');
  return a;
}

const childPath = (parent: ResourceRecord, pathPart: string): string => (parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`);

function checkPathPart(api: RestApiRecord, parent: ResourceRecord, pathPart: string, except?: string): void {
  if (!/^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._:~@!$&'()*,;=-]+)$/.test(pathPart)) {
    throw ApiGatewayErrors.badRequest(`Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
  }
  for (const r of Object.values(api.resources)) {
    if (r.id !== except && r.parentId === parent.id && r.pathPart === pathPart) {
      throw ApiGatewayErrors.conflict(`Another resource with the same parent already has this name: ${pathPart}`);
    }
  }
  if (parent.pathPart?.endsWith('+}')) throw ApiGatewayErrors.badRequest('A greedy path variable ({proxy+}) must be the last part of a path.');
}

export function createResource(api: RestApiRecord, parentId: string, pathPart: string): ResourceRecord {
  const parent = resourceOf(api, parentId);
  checkPathPart(api, parent, pathPart);
  const resource: ResourceRecord = { id: newShortId(), parentId, pathPart, path: childPath(parent, pathPart), methods: {} };
  api.resources[resource.id] = resource;
  return resource;
}

/** Deletes a resource and everything under it. */
export function deleteResource(api: RestApiRecord, id: string): void {
  resourceOf(api, id);
  if (id === api.rootResourceId) throw ApiGatewayErrors.badRequest('Cannot delete root resource');
  const doomed = [id];
  for (let i = 0; i < doomed.length; i++) {
    for (const r of Object.values(api.resources)) if (r.parentId === doomed[i]) doomed.push(r.id);
  }
  for (const d of doomed) delete api.resources[d];
}

export function updateResource(api: RestApiRecord, id: string, ops: readonly PatchOperation[] | undefined): ResourceRecord {
  const resource = resourceOf(api, id);
  applyPatches(ops, (op, [field]) => {
    if (op.op !== 'replace' || (field !== 'pathPart' && field !== 'parentId')) return false;
    const parent = resourceOf(api, field === 'parentId' ? valueOf(op) : resource.parentId!);
    const pathPart = field === 'pathPart' ? valueOf(op) : resource.pathPart!;
    checkPathPart(api, parent, pathPart, resource.id);
    resource.parentId = parent.id;
    resource.pathPart = pathPart;
    return true;
  });
  refreshPaths(api, api.rootResourceId, '/');
  return resource;
}

function refreshPaths(api: RestApiRecord, id: string, path: string): void {
  api.resources[id]!.path = path;
  for (const r of Object.values(api.resources)) {
    if (r.parentId === id) refreshPaths(api, r.id, path === '/' ? `/${r.pathPart}` : `${path}/${r.pathPart}`);
  }
}

export interface MethodInput {
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  requestValidatorId?: string;
  authorizationScopes?: string[];
}

export function putMethod(api: RestApiRecord, resourceId: string, httpMethod: string, input: MethodInput): MethodRecord {
  const resource = resourceOf(api, resourceId);
  const name = httpMethod.toUpperCase();
  if (!METHODS.has(name)) throw ApiGatewayErrors.badRequest(`Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY`);
  if (resource.methods[name]) throw ApiGatewayErrors.conflict('Method already exists for this resource');
  if (input.authorizationType === 'CUSTOM' || input.authorizationType === 'COGNITO_USER_POOLS') {
    if (input.authorizerId === undefined) throw ApiGatewayErrors.badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
    authorizerOf(api, input.authorizerId);
  }
  if (input.requestValidatorId !== undefined) validatorOf(api, input.requestValidatorId);
  checkModelNames(api, input.requestModels);
  const method: MethodRecord = { httpMethod: name, ...input, apiKeyRequired: input.apiKeyRequired ?? false, methodResponses: {} };
  resource.methods[name] = method;
  return method;
}

export function deleteMethod(api: RestApiRecord, resourceId: string, httpMethod: string): void {
  methodOf(api, resourceId, httpMethod);
  delete resourceOf(api, resourceId).methods[httpMethod.toUpperCase()];
}

export function updateMethod(api: RestApiRecord, resourceId: string, httpMethod: string, ops: readonly PatchOperation[] | undefined): MethodRecord {
  const method = methodOf(api, resourceId, httpMethod);
  applyPatches(ops, (op, [field, key]) => {
    switch (field) {
      case 'authorizationType':
        method.authorizationType = valueOf(op);
        return true;
      case 'authorizerId':
        if (op.op === 'remove') delete method.authorizerId;
        else method.authorizerId = authorizerOf(api, valueOf(op)).id;
        return true;
      case 'apiKeyRequired':
        method.apiKeyRequired = boolValue(op);
        return true;
      case 'operationName':
        method.operationName = valueOf(op);
        return true;
      case 'requestParameters':
        if (key === undefined) return false;
        method.requestParameters ??= {};
        if (op.op === 'remove') delete method.requestParameters[key];
        else method.requestParameters[key] = op.value === 'true';
        return true;
      case 'requestValidatorId':
        if (op.op === 'remove' || op.value === '') delete method.requestValidatorId;
        else method.requestValidatorId = validatorOf(api, valueOf(op)).id;
        return true;
      case 'requestModels':
        if (key === undefined) return false;
        method.requestModels ??= {};
        if (op.op === 'remove') delete method.requestModels[key];
        else {
          checkModelNames(api, { [key]: valueOf(op) });
          method.requestModels[key] = valueOf(op);
        }
        return true;
      default:
        return false;
    }
  });
  return method;
}

export type IntegrationInput = Omit<IntegrationRecord, 'integrationResponses' | 'timeoutInMillis'> & { timeoutInMillis?: number };

export function putIntegration(api: RestApiRecord, resourceId: string, httpMethod: string, input: IntegrationInput): IntegrationRecord {
  const method = methodOf(api, resourceId, httpMethod);
  if ((input.type === 'AWS_PROXY' || input.type === 'AWS' || input.type === 'HTTP' || input.type === 'HTTP_PROXY') && !input.uri) {
    throw ApiGatewayErrors.badRequest(`Invalid integration URI specified`);
  }
  const timeout = input.timeoutInMillis ?? DEFAULT_TIMEOUT_MS;
  if (timeout < 50 || timeout > 29_000) throw ApiGatewayErrors.badRequest('Timeout should be between 50 ms and 29000 ms');
  const integration: IntegrationRecord = { ...input, passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH', timeoutInMillis: timeout, integrationResponses: {} };
  method.integration = integration;
  return integration;
}

export function deleteIntegration(api: RestApiRecord, resourceId: string, httpMethod: string): void {
  integrationOf(api, resourceId, httpMethod);
  delete methodOf(api, resourceId, httpMethod).integration;
}

export function putMethodResponse(api: RestApiRecord, resourceId: string, httpMethod: string, response: MethodResponseRecord): MethodResponseRecord {
  checkStatus(response.statusCode);
  methodOf(api, resourceId, httpMethod).methodResponses[response.statusCode] = response;
  return response;
}

export function putIntegrationResponse(api: RestApiRecord, resourceId: string, httpMethod: string, response: IntegrationResponseRecord): IntegrationResponseRecord {
  checkStatus(response.statusCode);
  const integration = integrationOf(api, resourceId, httpMethod);
  integration.integrationResponses[response.statusCode] = response;
  return response;
}

function checkStatus(status: string): void {
  if (!/^[1-5]\d\d$/.test(status)) throw ApiGatewayErrors.badRequest(`Invalid status code ${status}`);
}

export type AuthorizerInput = Omit<AuthorizerRecord, 'id' | 'authorizerResultTtlInSeconds'> & { authorizerResultTtlInSeconds?: number };

export function createAuthorizer(api: RestApiRecord, input: AuthorizerInput): AuthorizerRecord {
  if (input.type !== 'COGNITO_USER_POOLS' && !input.authorizerUri) throw ApiGatewayErrors.badRequest('Authorizer URI must be specified for TOKEN and REQUEST authorizers');
  if (input.type === 'TOKEN' && !input.identitySource) throw ApiGatewayErrors.badRequest('IdentitySource must be specified for TOKEN authorizers');
  const ttl = input.authorizerResultTtlInSeconds ?? 300;
  if (ttl < 0 || ttl > 3600) throw ApiGatewayErrors.badRequest('The authorizerResultTtlInSeconds must be between 0 and 3600');
  const authorizer: AuthorizerRecord = { ...input, id: newShortId(), authorizerResultTtlInSeconds: ttl };
  api.authorizers[authorizer.id] = authorizer;
  return authorizer;
}

export function deleteAuthorizer(api: RestApiRecord, id: string): void {
  authorizerOf(api, id);
  for (const r of Object.values(api.resources)) {
    for (const m of Object.values(r.methods)) {
      if (m.authorizerId === id) throw ApiGatewayErrors.conflict('Cannot delete authorizer, is referenced in method');
    }
  }
  delete api.authorizers[id];
}

/** Whether any resource has a method: AWS refuses to deploy an API without one. */
export const hasMethods = (api: RestApiRecord): boolean => Object.values(api.resources).some((r) => Object.keys(r.methods).length > 0);

/** A method or integration response that is not there. */
export const notFoundResponse = () => ApiGatewayErrors.notFound('Invalid Response status code specified');
