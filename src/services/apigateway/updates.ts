/** Patch-based updates of integrations, their responses, method responses and authorizers (pure changes on an API's document). */
import { ApiGatewayErrors } from '../../wire/errors.js';
import { authorizerOf, integrationOf, methodOf, notFoundResponse } from './definitions.js';
import type { AuthorizerRecord, IntegrationRecord, IntegrationResponseRecord, MethodResponseRecord, RestApiRecord } from './model.js';
import { applyPatches, numberValue, valueOf, type PatchOperation } from './patch.js';

/** `/requestTemplates/application~1json`-style paths into a string map of the record. */
function patchStringMap(map: Record<string, string> | undefined, op: PatchOperation, key: string | undefined): Record<string, string> | false {
  if (key === undefined) return false;
  const next = { ...map };
  if (op.op === 'remove') delete next[key];
  else next[key] = op.value ?? '';
  return next;
}

export function updateIntegration(api: RestApiRecord, resourceId: string, httpMethod: string, ops: readonly PatchOperation[] | undefined): IntegrationRecord {
  const integration = integrationOf(api, resourceId, httpMethod);
  applyPatches(ops, (op, [field, key]) => {
    switch (field) {
      case 'uri':
      case 'httpMethod':
      case 'credentials':
      case 'passthroughBehavior':
      case 'contentHandling':
      case 'cacheNamespace':
        if (op.op === 'remove') delete integration[field];
        else integration[field] = valueOf(op);
        return true;
      case 'timeoutInMillis': {
        const timeout = numberValue(op);
        if (timeout < 50 || timeout > 29_000) throw ApiGatewayErrors.badRequest('Timeout should be between 50 ms and 29000 ms');
        integration.timeoutInMillis = timeout;
        return true;
      }
      case 'requestTemplates':
      case 'requestParameters': {
        const next = patchStringMap(integration[field], op, key);
        if (next === false) return false;
        integration[field] = next;
        return true;
      }
      default:
        return false;
    }
  });
  return integration;
}

export function updateIntegrationResponse(api: RestApiRecord, resourceId: string, httpMethod: string, status: string, ops: readonly PatchOperation[] | undefined): IntegrationResponseRecord {
  const response = integrationOf(api, resourceId, httpMethod).integrationResponses[status];
  if (!response) throw notFoundResponse();
  applyPatches(ops, (op, [field, key]) => {
    if (field === 'selectionPattern' || field === 'contentHandling') {
      if (op.op === 'remove') delete response[field];
      else response[field] = valueOf(op);
      return true;
    }
    if (field !== 'responseTemplates' && field !== 'responseParameters') return false;
    const next = patchStringMap(response[field], op, key);
    if (next === false) return false;
    response[field] = next;
    return true;
  });
  return response;
}

export function deleteIntegrationResponse(api: RestApiRecord, resourceId: string, httpMethod: string, status: string): void {
  const responses = integrationOf(api, resourceId, httpMethod).integrationResponses;
  if (!responses[status]) throw notFoundResponse();
  delete responses[status];
}

export function updateMethodResponse(api: RestApiRecord, resourceId: string, httpMethod: string, status: string, ops: readonly PatchOperation[] | undefined): MethodResponseRecord {
  const response = methodOf(api, resourceId, httpMethod).methodResponses[status];
  if (!response) throw notFoundResponse();
  applyPatches(ops, (op, [field, key]) => {
    if (field === 'responseParameters' && key !== undefined) {
      response.responseParameters ??= {};
      if (op.op === 'remove') delete response.responseParameters[key];
      else response.responseParameters[key] = op.value === 'true';
      return true;
    }
    if (field !== 'responseModels') return false;
    const next = patchStringMap(response.responseModels, op, key);
    if (next === false) return false;
    response.responseModels = next;
    return true;
  });
  return response;
}

export function deleteMethodResponse(api: RestApiRecord, resourceId: string, httpMethod: string, status: string): void {
  const responses = methodOf(api, resourceId, httpMethod).methodResponses;
  if (!responses[status]) throw notFoundResponse();
  delete responses[status];
}

export function updateAuthorizer(api: RestApiRecord, id: string, ops: readonly PatchOperation[] | undefined): AuthorizerRecord {
  const authorizer = authorizerOf(api, id);
  applyPatches(ops, (op, [field]) => {
    switch (field) {
      case 'name':
      case 'authorizerUri':
      case 'authorizerCredentials':
      case 'identitySource':
      case 'identityValidationExpression':
        if (op.op === 'remove' && field !== 'name') delete authorizer[field];
        else authorizer[field] = valueOf(op);
        return true;
      case 'authorizerResultTtlInSeconds': {
        const ttl = numberValue(op);
        if (ttl < 0 || ttl > 3600) throw ApiGatewayErrors.badRequest('The authorizerResultTtlInSeconds must be between 0 and 3600');
        authorizer.authorizerResultTtlInSeconds = ttl;
        return true;
      }
      default:
        return false;
    }
  });
  return authorizer;
}
