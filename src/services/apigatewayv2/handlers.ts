/** API Gateway V2's operations: parse the wire input into domain fields, call the service, render. */
import { pageOf, type PageInput } from './paging.js';
import type { OperationHandler, ServiceBinding } from '../../api/service.js';
import { apigatewayv2ServiceModel } from '../../wire/model.js';
import { ApiGatewayV2Errors } from '../../wire/errors.js';
import type { ApiDocuments } from './documents.js';
import type { ApiGatewayV2Service, ApiInput, AuthorizerInput, IntegrationInput, QuickCreate, RouteInput } from './api-service.js';
import type { StageInput } from './stages.js';
import { importOpenApi } from './openapi-import.js';
import { renderApi, renderDeployment, renderStage } from './render.js';
import { toDomain, toWire } from './wire-names.js';

export interface ApiGatewayV2Deps {
  service: ApiGatewayV2Service;
  region: string;
  endpoint: (apiId: string, protocol: 'HTTP' | 'WEBSOCKET') => string;
  /** ResetAuthorizersCache: forget the Lambda authorizers' cached answers for the stage. */
  resetAuthorizerCache?: (apiId: string, stageName: string) => void;
  /** Handlers served beside these (custom domain names, shared with v1). */
  extra?: Record<string, OperationHandler>;
}

type In = Record<string, unknown>;
const str = (i: In, k: string) => i[k] as string;
/** The input's body members only (path members and the listed ones left out), as domain fields. */
const fields = <T>(i: In, ...omit: string[]): T => {
  const out: In = {};
  for (const [k, v] of Object.entries(i)) if (!omit.includes(k)) out[k] = v;
  return toDomain<T>(out);
};

export function apigatewayv2Binding(d: ApiGatewayV2Deps): ServiceBinding {
  const s = d.service;
  const api = (a: Parameters<typeof renderApi>[0]) => renderApi(a, d.endpoint);
  const list = <T extends object>(i: In, items: T[], render: (t: T) => In = toWire) => pageOf(items, i as PageInput, render);
  const del = (docs: ApiDocuments<unknown>, idKey: string): OperationHandler => async (i) => {
    await s.deleteChild(str(i, 'ApiId'), docs, str(i, idKey));
    return {};
  };
  /** Tags live on APIs and stages, named by ARN: arn:aws:apigateway:<region>::/apis/<id>[/stages/<name>]. */
  const tagged = (arn: string) => {
    const m = /^arn:aws:apigateway:[a-z0-9-]+::\/apis\/([a-z0-9]+)(?:\/stages\/([^/]+))?$/.exec(arn);
    if (!m) throw ApiGatewayV2Errors.badRequest(`Invalid resource ARN: ${arn}`);
    return { apiId: m[1]!, stageName: m[2] };
  };
  const setTags = async (arn: string, change: (tags: Record<string, string>) => Record<string, string>) => {
    const t = tagged(arn);
    if (t.stageName === undefined) return (await s.updateApiRecord(t.apiId, (a) => ({ ...a, tags: change(a.tags) }))).tags;
    return (await s.stages.stages.update(t.apiId, t.stageName, (st) => ({ ...st, tags: change(st.tags) }))).tags;
  };
  const handlers: Record<string, OperationHandler> = {
    async CreateApi(i) {
      const quick: QuickCreate = { ...(i['Target'] !== undefined ? { target: str(i, 'Target') } : {}), ...(i['RouteKey'] !== undefined ? { routeKey: str(i, 'RouteKey') } : {}), ...(i['CredentialsArn'] !== undefined ? { credentialsArn: str(i, 'CredentialsArn') } : {}) };
      return api(await s.createApi(fields<ApiInput>(i, 'Target', 'RouteKey', 'CredentialsArn'), quick));
    },
    GetApi: async (i) => api(await s.getApi(str(i, 'ApiId'))),
    GetApis: async (i) => list(i, await s.listApis(), api),
    UpdateApi: async (i) => api(await s.updateApi(str(i, 'ApiId'), fields<Partial<ApiInput>>(i, 'ApiId', 'Target', 'RouteKey', 'CredentialsArn'))),
    async DeleteApi(i) {
      await s.deleteApi(str(i, 'ApiId'));
      return {};
    },
    async DeleteCorsConfiguration(i) {
      await s.deleteCors(str(i, 'ApiId'));
      return {};
    },
    ImportApi: async (i) => api(await importOpenApi(s, undefined, str(i, 'Body'), i['FailOnWarnings'] === true)),
    ReimportApi: async (i) => api(await importOpenApi(s, str(i, 'ApiId'), str(i, 'Body'), i['FailOnWarnings'] === true)),

    CreateRoute: async (i) => toWire(await s.createRoute(str(i, 'ApiId'), fields<RouteInput>(i, 'ApiId'))),
    GetRoute: async (i) => toWire(await s.routes.get(str(i, 'ApiId'), str(i, 'RouteId'))),
    GetRoutes: async (i) => list(i, await s.routes.list((await s.getApi(str(i, 'ApiId'))).apiId)),
    UpdateRoute: async (i) => toWire(await s.updateRoute(str(i, 'ApiId'), str(i, 'RouteId'), fields<RouteInput>(i, 'ApiId', 'RouteId'))),
    DeleteRoute: del(s.routes as ApiDocuments<unknown>, 'RouteId'),

    CreateIntegration: async (i) => toWire(await s.createIntegration(str(i, 'ApiId'), fields<IntegrationInput>(i, 'ApiId'))),
    GetIntegration: async (i) => toWire(await s.integrations.get(str(i, 'ApiId'), str(i, 'IntegrationId'))),
    GetIntegrations: async (i) => list(i, await s.integrations.list((await s.getApi(str(i, 'ApiId'))).apiId)),
    UpdateIntegration: async (i) => toWire(await s.updateIntegration(str(i, 'ApiId'), str(i, 'IntegrationId'), fields<IntegrationInput>(i, 'ApiId', 'IntegrationId'))),
    DeleteIntegration: del(s.integrations as ApiDocuments<unknown>, 'IntegrationId'),

    CreateAuthorizer: async (i) => toWire(await s.createAuthorizer(str(i, 'ApiId'), fields<AuthorizerInput>(i, 'ApiId'))),
    GetAuthorizer: async (i) => toWire(await s.authorizers.get(str(i, 'ApiId'), str(i, 'AuthorizerId'))),
    GetAuthorizers: async (i) => list(i, await s.authorizers.list((await s.getApi(str(i, 'ApiId'))).apiId)),
    UpdateAuthorizer: async (i) => toWire(await s.updateAuthorizer(str(i, 'ApiId'), str(i, 'AuthorizerId'), fields<AuthorizerInput>(i, 'ApiId', 'AuthorizerId'))),
    DeleteAuthorizer: del(s.authorizers as ApiDocuments<unknown>, 'AuthorizerId'),

    CreateStage: async (i) => renderStage(await s.stages.createStage(str(i, 'ApiId'), fields<StageInput>(i, 'ApiId'))),
    GetStage: async (i) => renderStage(await s.stages.stages.get((await s.getApi(str(i, 'ApiId'))).apiId, str(i, 'StageName'))),
    GetStages: async (i) => list(i, await s.stages.stages.list((await s.getApi(str(i, 'ApiId'))).apiId), renderStage),
    UpdateStage: async (i) => renderStage(await s.stages.updateStage(str(i, 'ApiId'), str(i, 'StageName'), fields<Partial<StageInput>>(i, 'ApiId', 'StageName'))),
    async DeleteStage(i) {
      await s.getApi(str(i, 'ApiId'));
      await s.stages.stages.delete(str(i, 'ApiId'), str(i, 'StageName'));
      return {};
    },
    async DeleteAccessLogSettings(i) {
      await s.stages.stages.update(str(i, 'ApiId'), str(i, 'StageName'), ({ accessLogSettings: _a, ...st }) => st);
      return {};
    },
    async ResetAuthorizersCache(i) {
      await s.stages.stages.get(str(i, 'ApiId'), str(i, 'StageName'));
      d.resetAuthorizerCache?.(str(i, 'ApiId'), str(i, 'StageName'));
      return {};
    },

    CreateDeployment: async (i) => renderDeployment(await s.stages.createDeployment(str(i, 'ApiId'), fields<{ stageName?: string; description?: string }>(i, 'ApiId'))),
    GetDeployment: async (i) => renderDeployment(await s.stages.deployments.get(str(i, 'ApiId'), str(i, 'DeploymentId'))),
    GetDeployments: async (i) => list(i, await s.stages.deployments.list((await s.getApi(str(i, 'ApiId'))).apiId), renderDeployment),
    UpdateDeployment: async (i) =>
      renderDeployment(await s.stages.deployments.update(str(i, 'ApiId'), str(i, 'DeploymentId'), (dep) => ({ ...dep, ...(i['Description'] !== undefined ? { description: str(i, 'Description') } : {}) }))),
    async DeleteDeployment(i) {
      await s.stages.deleteDeployment(str(i, 'ApiId'), str(i, 'DeploymentId'));
      return {};
    },

    async TagResource(i) {
      await setTags(str(i, 'ResourceArn'), (tags) => ({ ...tags, ...(i['Tags'] as Record<string, string>) }));
      return {};
    },
    async UntagResource(i) {
      const keys = new Set(i['TagKeys'] as string[]);
      await setTags(str(i, 'ResourceArn'), (tags) => Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.has(k))));
      return {};
    },
    async GetTags(i) {
      const t = tagged(str(i, 'ResourceArn'));
      return { Tags: t.stageName === undefined ? (await s.getApi(t.apiId)).tags : (await s.stages.stages.get(t.apiId, t.stageName)).tags };
    },
  };
  return { models: [apigatewayv2ServiceModel], handlers: { ...handlers, ...d.extra } };
}
