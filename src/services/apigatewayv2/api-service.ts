/**
 * API Gateway V2's control plane: APIs and their routes, integrations, authorizers, stages and
 * deployments, as API Gateway keeps them (defaults, conflicts, quick create, auto-deploy). Inputs
 * and records are domain shapes; handlers.ts turns them into the wire's.
 */
import type { Clock } from '../../lib/clock.js';
import type { ApiGatewayV2Store } from '../../storage/apigatewayv2-repo.js';
import { ApiGatewayV2Errors } from '../../wire/errors.js';
import { ApiDocuments } from './documents.js';
import { newApiId, newAuthorizerId, newIntegrationId, newRouteId } from './ids.js';
import type { ApiRecord, AuthorizerRecord, IntegrationRecord, RouteRecord, Snapshot } from './records.js';
import { parseRouteKey } from './route-key.js';
import { Stages } from './stages.js';

export type ApiInput = Partial<Omit<ApiRecord, 'apiId' | 'createdAt'>> & { name: string; protocolType: 'HTTP' | 'WEBSOCKET' };
/** Quick create (HTTP APIs): a `$default` stage and one route to one integration. */
export interface QuickCreate {
  target?: string;
  routeKey?: string;
  credentialsArn?: string;
}
export type RouteInput = Partial<Omit<RouteRecord, 'routeId' | 'apiGatewayManaged'>>;
export type IntegrationInput = Partial<Omit<IntegrationRecord, 'integrationId' | 'apiGatewayManaged'>>;
export type AuthorizerInput = Partial<Omit<AuthorizerRecord, 'authorizerId'>>;

const HTTP_TIMEOUT_MS = 30_000;
const WEBSOCKET_TIMEOUT_MS = 29_000;

export class ApiGatewayV2Service {
  readonly routes: ApiDocuments<RouteRecord>;
  readonly integrations: ApiDocuments<IntegrationRecord>;
  readonly authorizers: ApiDocuments<AuthorizerRecord>;
  readonly stages: Stages;

  constructor(
    private readonly store: ApiGatewayV2Store,
    private readonly clock: Clock,
  ) {
    this.routes = new ApiDocuments(store.routes, 'Route', (r) => r.routeId);
    this.integrations = new ApiDocuments(store.integrations, 'Integration', (i) => i.integrationId);
    this.authorizers = new ApiDocuments(store.authorizers, 'Authorizer', (a) => a.authorizerId);
    this.stages = new Stages(store, clock, (id) => this.getApi(id), (id) => this.snapshot(id));
  }

  async getApi(apiId: string): Promise<ApiRecord> {
    const found = await this.store.apis.get(apiId);
    if (!found) throw ApiGatewayV2Errors.invalidIdentifier('API', apiId);
    return found.value;
  }

  async listApis(): Promise<ApiRecord[]> {
    return (await this.store.apis.list('', undefined, 10_000)).map((r) => r.value);
  }

  async createApi(input: ApiInput, quick: QuickCreate = {}): Promise<ApiRecord> {
    const http = input.protocolType === 'HTTP';
    if (!http && input.routeSelectionExpression === undefined) throw ApiGatewayV2Errors.badRequest('RouteSelectionExpression is required for WEBSOCKET APIs.');
    if (!http && (quick.target !== undefined || quick.routeKey !== undefined)) throw ApiGatewayV2Errors.badRequest('Target and RouteKey are supported only for HTTP APIs.');
    if (http && input.routeSelectionExpression !== undefined && input.routeSelectionExpression !== '${request.method} ${request.path}') {
      throw ApiGatewayV2Errors.badRequest('Unsupported RouteSelectionExpression for HTTP APIs: only ${request.method} ${request.path} is supported.');
    }
    if (quick.routeKey !== undefined) parseRouteKey(quick.routeKey);
    const api: ApiRecord = {
      tags: {},
      ...input,
      apiId: newApiId(),
      routeSelectionExpression: input.routeSelectionExpression ?? '${request.method} ${request.path}',
      apiKeySelectionExpression: input.apiKeySelectionExpression ?? '$request.header.x-api-key',
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      createdAt: this.clock.now(),
    };
    await this.store.apis.create(api.apiId, api);
    if (quick.target !== undefined) {
      const lambda = quick.target.startsWith('arn:');
      const integration = await this.createIntegration(api.apiId, {
        integrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY',
        integrationUri: quick.target,
        integrationMethod: lambda ? 'POST' : 'ANY',
        payloadFormatVersion: lambda ? '2.0' : '1.0',
        ...(quick.credentialsArn !== undefined ? { credentialsArn: quick.credentialsArn } : {}),
      }, true);
      await this.createRoute(api.apiId, { routeKey: quick.routeKey ?? '$default', target: `integrations/${integration.integrationId}` }, true);
      await this.stages.createStage(api.apiId, { stageName: '$default', autoDeploy: true }, true);
    }
    return api;
  }

  async updateApi(apiId: string, patch: Partial<ApiInput>): Promise<ApiRecord> {
    const next = await this.updateApiRecord(apiId, (api) => ({ ...api, ...patch, apiId, protocolType: api.protocolType }));
    if (patch.corsConfiguration !== undefined) await this.stages.redeploy(apiId);
    return next;
  }

  async deleteCors(apiId: string): Promise<void> {
    await this.updateApiRecord(apiId, ({ corsConfiguration: _c, ...api }) => api);
    await this.stages.redeploy(apiId);
  }

  async deleteApi(apiId: string): Promise<void> {
    await this.getApi(apiId);
    for (const docs of [this.routes, this.integrations, this.authorizers, this.stages.stages, this.stages.deployments] as ApiDocuments<unknown>[]) await docs.deleteAll(apiId);
    await this.store.apis.delete(apiId);
  }

  async updateApiRecord(apiId: string, change: (api: ApiRecord) => ApiRecord): Promise<ApiRecord> {
    for (;;) {
      const current = await this.store.apis.get(apiId);
      if (!current) throw ApiGatewayV2Errors.invalidIdentifier('API', apiId);
      const next = change(current.value);
      if (await this.store.apis.update(apiId, next, current.revision)) return next;
    }
  }

  async snapshot(apiId: string): Promise<Snapshot> {
    const api = await this.getApi(apiId);
    const [routes, integrations, authorizers] = await Promise.all([this.routes.list(apiId), this.integrations.list(apiId), this.authorizers.list(apiId)]);
    return { routes, integrations, authorizers, ...(api.corsConfiguration ? { cors: api.corsConfiguration } : {}) };
  }

  // Routes

  async createRoute(apiId: string, input: RouteInput, managed = false): Promise<RouteRecord> {
    const api = await this.getApi(apiId);
    if (input.routeKey === undefined) throw ApiGatewayV2Errors.badRequest('RouteKey is required.');
    if (api.protocolType === 'HTTP') parseRouteKey(input.routeKey);
    await this.checkRouteRefs(apiId, input);
    if ((await this.routes.list(apiId)).some((r) => r.routeKey === input.routeKey)) throw ApiGatewayV2Errors.conflict(`Route with key ${input.routeKey} already exists for this API`);
    const route: RouteRecord = { ...input, routeKey: input.routeKey, routeId: newRouteId(), apiKeyRequired: input.apiKeyRequired ?? false, authorizationType: input.authorizationType ?? 'NONE', apiGatewayManaged: managed };
    await this.routes.create(apiId, route.routeId, route);
    await this.stages.redeploy(apiId);
    return route;
  }

  async updateRoute(apiId: string, routeId: string, patch: RouteInput): Promise<RouteRecord> {
    const api = await this.getApi(apiId);
    if (patch.routeKey !== undefined && api.protocolType === 'HTTP') parseRouteKey(patch.routeKey);
    await this.checkRouteRefs(apiId, patch);
    if (patch.routeKey !== undefined && (await this.routes.list(apiId)).some((r) => r.routeKey === patch.routeKey && r.routeId !== routeId)) {
      throw ApiGatewayV2Errors.conflict(`Route with key ${patch.routeKey} already exists for this API`);
    }
    const next = await this.routes.update(apiId, routeId, (r) => ({ ...r, ...patch, routeId }));
    await this.stages.redeploy(apiId);
    return next;
  }

  private async checkRouteRefs(apiId: string, r: RouteInput): Promise<void> {
    if (r.authorizerId !== undefined) await this.authorizers.get(apiId, r.authorizerId);
    if (r.target !== undefined) {
      const id = /^integrations\/([a-z0-9]+)$/.exec(r.target)?.[1];
      if (!id) throw ApiGatewayV2Errors.badRequest(`Invalid target ${r.target}: a target is integrations/<integration id>.`);
      await this.integrations.get(apiId, id);
    }
  }

  // Integrations

  async createIntegration(apiId: string, input: IntegrationInput, managed = false): Promise<IntegrationRecord> {
    const api = await this.getApi(apiId);
    if (input.integrationType === undefined) throw ApiGatewayV2Errors.badRequest('IntegrationType is required.');
    const http = api.protocolType === 'HTTP';
    if (http && input.integrationType === 'AWS_PROXY' && input.payloadFormatVersion === undefined) {
      throw ApiGatewayV2Errors.badRequest('PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs.');
    }
    checkPayloadVersion(input);
    const max = http ? HTTP_TIMEOUT_MS : WEBSOCKET_TIMEOUT_MS;
    if (input.timeoutInMillis !== undefined && input.timeoutInMillis > max) throw ApiGatewayV2Errors.badRequest(`Timeout must be between 50 ms and ${max} ms.`);
    const integration: IntegrationRecord = {
      ...input,
      integrationType: input.integrationType,
      integrationId: newIntegrationId(),
      payloadFormatVersion: input.payloadFormatVersion ?? '1.0',
      timeoutInMillis: input.timeoutInMillis ?? max,
      connectionType: input.connectionType ?? 'INTERNET',
      ...(input.integrationType === 'AWS_PROXY' ? { integrationMethod: input.integrationMethod ?? 'POST' } : {}),
      apiGatewayManaged: managed,
    };
    await this.integrations.create(apiId, integration.integrationId, integration);
    await this.stages.redeploy(apiId);
    return integration;
  }

  async updateIntegration(apiId: string, integrationId: string, patch: IntegrationInput): Promise<IntegrationRecord> {
    const api = await this.getApi(apiId);
    checkPayloadVersion(patch);
    const max = api.protocolType === 'HTTP' ? HTTP_TIMEOUT_MS : WEBSOCKET_TIMEOUT_MS;
    if (patch.timeoutInMillis !== undefined && patch.timeoutInMillis > max) throw ApiGatewayV2Errors.badRequest(`Timeout must be between 50 ms and ${max} ms.`);
    const next = await this.integrations.update(apiId, integrationId, (i) => ({ ...i, ...patch, integrationId }));
    await this.stages.redeploy(apiId);
    return next;
  }

  // Authorizers

  async createAuthorizer(apiId: string, input: AuthorizerInput): Promise<AuthorizerRecord> {
    await this.getApi(apiId);
    if (input.authorizerType === undefined || input.name === undefined || input.identitySource === undefined) {
      throw ApiGatewayV2Errors.badRequest('AuthorizerType, IdentitySource and Name are required.');
    }
    if (input.authorizerType === 'JWT' && !input.jwtConfiguration?.issuer) throw ApiGatewayV2Errors.badRequest('JwtConfiguration with an Issuer is required for JWT authorizers.');
    if (input.authorizerType === 'REQUEST' && !input.authorizerUri) throw ApiGatewayV2Errors.badRequest('AuthorizerUri is required for REQUEST authorizers.');
    const authorizer: AuthorizerRecord = {
      ...input,
      authorizerType: input.authorizerType,
      name: input.name,
      identitySource: input.identitySource,
      authorizerId: newAuthorizerId(),
      ...(input.authorizerType === 'REQUEST' ? { authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? 0 } : {}),
    };
    await this.authorizers.create(apiId, authorizer.authorizerId, authorizer);
    await this.stages.redeploy(apiId);
    return authorizer;
  }

  async updateAuthorizer(apiId: string, authorizerId: string, patch: AuthorizerInput): Promise<AuthorizerRecord> {
    const next = await this.authorizers.update(apiId, authorizerId, (a) => ({ ...a, ...patch, authorizerId }));
    await this.stages.redeploy(apiId);
    return next;
  }

  /** Deletes one of the API's routes, integrations or authorizers, and redeploys. */
  async deleteChild(apiId: string, docs: ApiDocuments<unknown>, id: string): Promise<void> {
    await this.getApi(apiId);
    await docs.delete(apiId, id);
    await this.stages.redeploy(apiId);
  }
}

function checkPayloadVersion(i: IntegrationInput): void {
  const v = i.payloadFormatVersion;
  if (v === undefined) return;
  if (v !== '1.0' && v !== '2.0') throw ApiGatewayV2Errors.badRequest(`Invalid payload format version ${v}: supported values are 1.0 and 2.0.`);
  if (v === '2.0' && i.integrationType !== undefined && i.integrationType !== 'AWS_PROXY') throw ApiGatewayV2Errors.badRequest('Payload format version 2.0 is supported only for AWS_PROXY integrations.');
}
