/** Handlers of REST APIs and their definitions: parse, call the service, render. */
import type { Input, OperationHandler } from '../../api/service.js';
import { fields, type In } from './inputs.js';
import * as def from './definitions.js';
import * as up from './updates.js';
import type { AuthorizerInput, IntegrationInput, MethodInput } from './definitions.js';
import type { IntegrationResponseRecord, MethodResponseRecord } from './model.js';
import type { PatchOperation } from './patch.js';
import { renderAuthorizer, renderIntegration, renderMethod, renderResource, renderRestApi } from './render.js';
import type { CreateRestApiInput, RestApiService } from './rest-apis.js';


/** Items from `position` (an index AWS would keep opaque), at most `limit` (25 by default). */
export function page<T>(items: readonly T[], input: In, render: (t: T) => Input): Input {
  const start = input['position'] !== undefined ? Number(input['position']) || 0 : 0;
  const limit = input['limit'] ?? 25;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : undefined;
  return { items: slice.map(render), position: next };
}

const ops = (i: In): PatchOperation[] | undefined => i['patchOperations'];

export function restApiHandlers(apis: RestApiService): Record<string, OperationHandler> {
  const on = <T>(i: In, change: (api: Parameters<Parameters<RestApiService['mutate']>[1]>[0]) => T) => apis.mutate(i['restApiId'], change);
  const method = (i: In) => [i['resourceId'], i['httpMethod']] as const;
  return {
    CreateRestApi: async (i: In) => {
      const input: CreateRestApiInput = { name: i['name'], ...fields(i, ['description', 'version', 'binaryMediaTypes', 'minimumCompressionSize', 'apiKeySource', 'disableExecuteApiEndpoint', 'policy', 'tags']) };
      if (i['endpointConfiguration']?.types) input.endpointTypes = i['endpointConfiguration'].types;
      return renderRestApi(await apis.create(input));
    },
    GetRestApi: async (i: In) => renderRestApi(await apis.get(i['restApiId'])),
    GetRestApis: async (i: In) => {
      const { items, position } = await apis.list(i['position'], i['limit'] ?? 25);
      return { items: items.map(renderRestApi), position };
    },
    UpdateRestApi: async (i: In) => renderRestApi(await apis.update(i['restApiId'], ops(i))),
    DeleteRestApi: async (i: In) => {
      await apis.delete(i['restApiId']);
      return {};
    },

    GetResources: async (i: In) => {
      const api = await apis.get(i['restApiId']);
      const embed = ((i['embed'] as string[] | undefined) ?? []).includes('methods');
      const resources = Object.values(api.resources).sort((a, b) => a.path.localeCompare(b.path));
      return page(resources, { ...i, limit: i['limit'] ?? 500 }, (r) => renderResource(r, embed));
    },
    GetResource: async (i: In) => renderResource(def.resourceOf(await apis.get(i['restApiId']), i['resourceId']), true),
    CreateResource: async (i: In) => renderResource(await on(i, (api) => def.createResource(api, i['parentId'], i['pathPart'])), true),
    UpdateResource: async (i: In) => renderResource(await on(i, (api) => def.updateResource(api, i['resourceId'], ops(i))), true),
    DeleteResource: async (i: In) => {
      await on(i, (api) => def.deleteResource(api, i['resourceId']));
      return {};
    },

    PutMethod: async (i: In) => {
      const input: MethodInput = { authorizationType: i['authorizationType'], ...fields(i, ['authorizerId', 'apiKeyRequired', 'operationName', 'requestParameters', 'requestModels', 'requestValidatorId', 'authorizationScopes']) };
      return renderMethod(await on(i, (api) => def.putMethod(api, ...method(i), input)), i['resourceId']);
    },
    GetMethod: async (i: In) => renderMethod(def.methodOf(await apis.get(i['restApiId']), ...method(i)), i['resourceId']),
    UpdateMethod: async (i: In) => renderMethod(await on(i, (api) => def.updateMethod(api, ...method(i), ops(i))), i['resourceId']),
    DeleteMethod: async (i: In) => {
      await on(i, (api) => def.deleteMethod(api, ...method(i)));
      return {};
    },

    PutIntegration: async (i: In) => {
      const input: IntegrationInput = { type: i['type'], ...fields(i, ['uri', 'credentials', 'requestParameters', 'requestTemplates', 'passthroughBehavior', 'contentHandling', 'timeoutInMillis', 'cacheNamespace', 'cacheKeyParameters']) };
      if (i['integrationHttpMethod'] !== undefined) input.httpMethod = i['integrationHttpMethod'];
      return renderIntegration(await on(i, (api) => def.putIntegration(api, ...method(i), input)), i['resourceId']);
    },
    GetIntegration: async (i: In) => renderIntegration(def.integrationOf(await apis.get(i['restApiId']), ...method(i)), i['resourceId']),
    DeleteIntegration: async (i: In) => {
      await on(i, (api) => def.deleteIntegration(api, ...method(i)));
      return {};
    },

    PutMethodResponse: async (i: In) => {
      const response: MethodResponseRecord = { statusCode: i['statusCode'] };
      if (i['responseParameters'] !== undefined) response.responseParameters = i['responseParameters'];
      if (i['responseModels'] !== undefined) response.responseModels = i['responseModels'];
      return { ...(await on(i, (api) => def.putMethodResponse(api, ...method(i), response))) };
    },
    GetMethodResponse: async (i: In) => {
      const found = def.methodOf(await apis.get(i['restApiId']), ...method(i)).methodResponses[i['statusCode']];
      if (!found) throw def.notFoundResponse();
      return { ...found };
    },
    PutIntegrationResponse: async (i: In) => {
      const response: IntegrationResponseRecord = { statusCode: i['statusCode'], ...fields(i, ['selectionPattern', 'responseParameters', 'responseTemplates', 'contentHandling']) };
      return { ...(await on(i, (api) => def.putIntegrationResponse(api, ...method(i), response))) };
    },
    GetIntegrationResponse: async (i: In) => {
      const found = def.integrationOf(await apis.get(i['restApiId']), ...method(i)).integrationResponses[i['statusCode']];
      if (!found) throw def.notFoundResponse();
      return { ...found };
    },

    CreateAuthorizer: async (i: In) => {
      const input: AuthorizerInput = { name: i['name'], type: i['type'], ...fields(i, ['providerARNs', 'authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression', 'authorizerResultTtlInSeconds']) };
      return renderAuthorizer(await on(i, (api) => def.createAuthorizer(api, input)));
    },
    GetAuthorizer: async (i: In) => renderAuthorizer(def.authorizerOf(await apis.get(i['restApiId']), i['authorizerId'])),
    GetAuthorizers: async (i: In) => page(Object.values((await apis.get(i['restApiId'])).authorizers), i, renderAuthorizer),
    UpdateAuthorizer: async (i: In) => renderAuthorizer(await on(i, (api) => up.updateAuthorizer(api, i['authorizerId'], ops(i)))),
    UpdateIntegration: async (i: In) => renderIntegration(await on(i, (api) => up.updateIntegration(api, ...method(i), ops(i))), i['resourceId']),
    UpdateIntegrationResponse: async (i: In) => ({ ...(await on(i, (api) => up.updateIntegrationResponse(api, ...method(i), i['statusCode'], ops(i)))) }),
    DeleteIntegrationResponse: async (i: In) => {
      await on(i, (api) => up.deleteIntegrationResponse(api, ...method(i), i['statusCode']));
      return {};
    },
    UpdateMethodResponse: async (i: In) => ({ ...(await on(i, (api) => up.updateMethodResponse(api, ...method(i), i['statusCode'], ops(i)))) }),
    DeleteMethodResponse: async (i: In) => {
      await on(i, (api) => up.deleteMethodResponse(api, ...method(i), i['statusCode']));
      return {};
    },
    DeleteAuthorizer: async (i: In) => {
      await on(i, (api) => def.deleteAuthorizer(api, i['authorizerId']));
      return {};
    },
  };
}
