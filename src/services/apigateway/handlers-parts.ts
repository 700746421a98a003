/** Handlers of models, request validators, gateway responses and the account: parse, call the service, render. */
import type { Input, OperationHandler } from '../../api/service.js';
import type { AccountService } from './account.js';
import * as parts from './api-parts.js';
import { page } from './handlers-apis.js';
import { fields, type In } from './inputs.js';
import type { ApiGatewayAccountRecord, ApiModelRecord, GatewayResponseRecord, RequestValidatorRecord } from './model.js';
import type { RestApiService } from './rest-apis.js';

const renderModel = (m: ApiModelRecord): Input => ({ ...m });
const renderValidator = (v: RequestValidatorRecord): Input => ({ ...v });
const renderGatewayResponse = (r: GatewayResponseRecord): Input => ({ defaultResponse: false, ...r });

/** AWS's account-level throttle defaults: reported, not enforced (see ./account.ts). */
const renderAccount = (a: ApiGatewayAccountRecord): Input => ({
  cloudwatchRoleArn: a.cloudwatchRoleArn,
  throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  features: ['UsagePlans'],
  apiKeyVersion: '4',
});

export function partHandlers(apis: RestApiService, account: AccountService): Record<string, OperationHandler> {
  const on = <T>(i: In, change: (api: Parameters<Parameters<RestApiService['mutate']>[1]>[0]) => T) => apis.mutate(i['restApiId'], change);
  const api = (i: In) => apis.get(i['restApiId']);
  return {
    CreateModel: async (i: In) => {
      const input: parts.ModelInput = { name: i['name'], contentType: i['contentType'], ...fields(i, ['description', 'schema']) };
      return renderModel(await on(i, (a) => parts.createModel(a, input)));
    },
    GetModel: async (i: In) => renderModel(parts.modelOf(await api(i), i['modelName'])),
    GetModels: async (i: In) => page(Object.values((await api(i)).models ?? {}).sort((a, b) => a.name.localeCompare(b.name)), i, renderModel),
    UpdateModel: async (i: In) => renderModel(await on(i, (a) => parts.updateModel(a, i['modelName'], i['patchOperations']))),
    DeleteModel: async (i: In) => {
      await on(i, (a) => parts.deleteModel(a, i['modelName']));
      return {};
    },

    CreateRequestValidator: async (i: In) => renderValidator(await on(i, (a) => parts.createValidator(a, fields(i, ['name', 'validateRequestBody', 'validateRequestParameters'])))),
    GetRequestValidator: async (i: In) => renderValidator(parts.validatorOf(await api(i), i['requestValidatorId'])),
    GetRequestValidators: async (i: In) => page(Object.values((await api(i)).requestValidators ?? {}), i, renderValidator),
    UpdateRequestValidator: async (i: In) => renderValidator(await on(i, (a) => parts.updateValidator(a, i['requestValidatorId'], i['patchOperations']))),
    DeleteRequestValidator: async (i: In) => {
      await on(i, (a) => parts.deleteValidator(a, i['requestValidatorId']));
      return {};
    },

    PutGatewayResponse: async (i: In) => renderGatewayResponse(await on(i, (a) => parts.putGatewayResponse(a, i['responseType'], fields(i, ['statusCode', 'responseParameters', 'responseTemplates'])))),
    GetGatewayResponse: async (i: In) => ({ ...parts.gatewayResponseOf(await api(i), i['responseType']) }),
    GetGatewayResponses: async (i: In) => page(parts.allGatewayResponses(await api(i)), { ...i, limit: i['limit'] ?? 500 }, (r) => ({ ...r })),
    UpdateGatewayResponse: async (i: In) => renderGatewayResponse(await on(i, (a) => parts.updateGatewayResponse(a, i['responseType'], i['patchOperations']))),
    DeleteGatewayResponse: async (i: In) => {
      await on(i, (a) => parts.deleteGatewayResponse(a, i['responseType']));
      return {};
    },

    GetAccount: async () => renderAccount(await account.get()),
    UpdateAccount: async (i: In) => renderAccount(await account.update(i['patchOperations'])),
  };
}
