/** API Gateway (REST APIs, v1) for the router: the model and a handler per operation served. */
import type { OperationHandler, ServiceBinding } from '../../api/service.js';
import type { In } from './inputs.js';
import { apigatewayServiceModel } from '../../wire/model.js';
import { restApiHandlers } from './handlers-apis.js';
import { keyHandlers } from './handlers-keys.js';
import { stageHandlers } from './handlers-stages.js';
import { tagHandlers } from './handlers-tags.js';
import type { KeyService } from './keys.js';
import { definitionFrom } from './openapi.js';
import { partHandlers } from './handlers-parts.js';
import type { AccountService } from './account.js';
import { renderRestApi } from './render.js';
import type { RestApiService } from './rest-apis.js';
import type { StageService } from './stages.js';

export interface ApiGatewayServices {
  apis: RestApiService;
  stages: StageService;
  keys: KeyService;
  account: AccountService;
}


function importHandlers(apis: RestApiService): Record<string, OperationHandler> {
  return {
    ImportRestApi: async (i: In) => renderRestApi(await apis.store(definitionFrom(i['body'] as Buffer, apis))),
    PutRestApi: async (i: In) => {
      const mode = i['mode'] === 'overwrite' ? 'overwrite' : 'merge';
      return renderRestApi(await apis.replaceDefinition(i['restApiId'], definitionFrom(i['body'] as Buffer, apis), mode));
    },
  };
}

/** `extra`: handlers served beside these (custom domain names, which v2 shares). */
export function apigatewayBinding(s: ApiGatewayServices, extra: Record<string, OperationHandler> = {}): ServiceBinding {
  return {
    models: [apigatewayServiceModel],
    handlers: {
      ...restApiHandlers(s.apis),
      ...importHandlers(s.apis),
      ...stageHandlers(s.stages),
      ...keyHandlers(s.keys),
      ...partHandlers(s.apis, s.account),
      ...tagHandlers(s.apis, s.stages, s.keys),
      ...extra,
    },
  };
}
