/**
 * A WebSocket API's deployed routes and their Lambda proxy integrations: which route keys a stage
 * serves, and what invoking one gave (a status code and a body, as a proxy result carries them).
 */
import { z } from 'zod';
import type { Invoker } from '../../../invoke/invoker.js';
import type { Clock } from '../../../lib/clock.js';
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { Account } from '../../../wire/arn.js';
import { functionOfUri, invokeWithin } from '../http/lambda-target.js';
import type { AuthorizerRecord, IntegrationRecord, RouteRecord } from '../records.js';

export interface DeployedWsApi {
  routes: Map<string, RouteRecord>;
  integrations: Map<string, IntegrationRecord>;
  authorizers: Map<string, AuthorizerRecord>;
}

export type RouteOutcome =
  | { kind: 'ok'; statusCode: number | undefined; body: string | undefined; isBase64Encoded: boolean }
  | { kind: 'error'; reason: string }
  | { kind: 'timeout' };

const ProxyResult = z.looseObject({
  statusCode: z.union([z.number().int(), z.string().regex(/^\d{3}$/).transform(Number)]).optional(),
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
});

const MAX_CACHED = 1000;

export class WsDeployments {
  private readonly cache = new Map<string, DeployedWsApi>();

  constructor(private readonly store: ApiGatewayV2Store) {}

  async deployed(apiId: string, deploymentId: string): Promise<DeployedWsApi | undefined> {
    const key = `${apiId}/${deploymentId}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const d = await this.store.deployments.get(key);
    if (!d) return undefined;
    const s = d.value.snapshot;
    const deployed: DeployedWsApi = {
      routes: new Map(s.routes.map((r) => [r.routeKey, r])),
      integrations: new Map(s.integrations.map((i) => [i.integrationId, i])),
      authorizers: new Map(s.authorizers.map((a) => [a.authorizerId, a])),
    };
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, deployed);
    return deployed;
  }
}

export interface InvokeDeps {
  invoker: Invoker;
  clock: Clock;
  account: Account;
}

/** Invokes the route's integration with the event; only Lambda proxy integrations are served. */
export async function invokeRoute(d: InvokeDeps, api: DeployedWsApi, route: RouteRecord, event: unknown, stageVariables: Record<string, string>): Promise<RouteOutcome> {
  const integrationId = /^integrations\/(.+)$/.exec(route.target ?? '')?.[1];
  const integration = integrationId === undefined ? undefined : api.integrations.get(integrationId);
  if (!integration) return { kind: 'error', reason: 'route has no integration' };
  if (integration.integrationType !== 'AWS_PROXY') return { kind: 'error', reason: `integration type ${integration.integrationType} is not supported` };
  let ref;
  try {
    ref = functionOfUri(integration.integrationUri ?? '', d.account, stageVariables);
  } catch (err) {
    return { kind: 'error', reason: (err as Error).message };
  }
  const out = await invokeWithin(d.invoker, d.clock, ref, event, integration.timeoutInMillis);
  if (out.kind === 'timeout') return { kind: 'timeout' };
  if (out.kind !== 'ok') return { kind: 'error', reason: out.kind === 'missing' ? 'function not found' : out.kind === 'throttled' ? 'throttled' : 'function error' };
  const text = out.payload.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'ok', statusCode: undefined, body: text, isBase64Encoded: false };
  }
  const result = ProxyResult.safeParse(value);
  if (result.success && value !== null && typeof value === 'object' && ('statusCode' in value || 'body' in value)) {
    return { kind: 'ok', statusCode: result.data.statusCode, body: result.data.body ?? undefined, isBase64Encoded: result.data.isBase64Encoded ?? false };
  }
  // Anything else a function returns is the response body as it stands.
  return { kind: 'ok', statusCode: undefined, body: value === null ? undefined : typeof value === 'string' ? value : text, isBase64Encoded: false };
}
