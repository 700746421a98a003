/**
 * What a stage serves: its deployment's snapshot, with route keys parsed once per deployment (a
 * deployment never changes, so it is cached by id), and the stage a request path selects.
 */
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import type { AuthorizerRecord, Cors, IntegrationRecord, RouteRecord, StageRecord } from '../records.js';
import { parseRouteKey, type ParsedRouteKey } from '../route-key.js';

export interface DeployedApi {
  routes: { route: RouteRecord; key: ParsedRouteKey | undefined }[];
  integrations: Map<string, IntegrationRecord>;
  authorizers: Map<string, AuthorizerRecord>;
  cors: Cors | undefined;
}

export interface SelectedStage {
  stage: StageRecord;
  /** The path within the stage. */
  routePath: string;
}

const MAX_CACHED = 1000;

export class Deployments {
  private readonly cache = new Map<string, DeployedApi>();

  constructor(private readonly store: ApiGatewayV2Store) {}

  /**
   * A named stage serves `/<stage>/…`; the `$default` stage serves every other path, unprefixed.
   */
  async selectStage(apiId: string, path: string): Promise<SelectedStage | undefined> {
    const first = /^\/([^/]+)/.exec(path)?.[1];
    if (first !== undefined && first !== '$default') {
      const named = await this.store.stages.get(`${apiId}/${safeDecode(first)}`);
      if (named) return { stage: named.value, routePath: path.slice(first.length + 1) || '/' };
    }
    const fallback = await this.store.stages.get(`${apiId}/$default`);
    return fallback ? { stage: fallback.value, routePath: path } : undefined;
  }

  /** The stage a custom domain's mapping names, serving `path` (what follows the mapping key). */
  async mappedStage(apiId: string, stageName: string, path: string): Promise<SelectedStage | undefined> {
    const stage = await this.store.stages.get(`${apiId}/${stageName}`);
    return stage ? { stage: stage.value, routePath: path } : undefined;
  }

  async deployed(apiId: string, deploymentId: string): Promise<DeployedApi | undefined> {
    const key = `${apiId}/${deploymentId}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const d = await this.store.deployments.get(key);
    if (!d) return undefined;
    const s = d.value.snapshot;
    const routes = s.routes.flatMap((route) => {
      try {
        return [{ route, key: parseRouteKey(route.routeKey) }];
      } catch {
        return []; // a WebSocket-style key in an HTTP API never matches a request
      }
    });
    const deployed: DeployedApi = {
      routes,
      integrations: new Map(s.integrations.map((i) => [i.integrationId, i])),
      authorizers: new Map(s.authorizers.map((a) => [a.authorizerId, a])),
      cors: s.cors,
    };
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, deployed);
    return deployed;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
