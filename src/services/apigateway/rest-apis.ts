/**
 * REST APIs and their definitions: each change reads the API's document, applies a pure change
 * (./definitions.ts) and writes it back with compare-and-set, so concurrent changes never lose one.
 */
import type { Clock } from '../../lib/clock.js';
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import type { Account } from '../../wire/arn.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import { builtInModels } from './api-parts.js';
import { newApiId } from './ids.js';
import type { RestApiRecord } from './model.js';
import { applyPatches, boolValue, numberValue, valueOf, type PatchOperation } from './patch.js';

export interface CreateRestApiInput {
  name: string;
  description?: string;
  version?: string;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  endpointTypes?: string[];
  disableExecuteApiEndpoint?: boolean;
  policy?: string;
  tags?: Record<string, string>;
}

const MAX_ATTEMPTS = 20;

export class RestApiService {
  constructor(
    private readonly repo: ApiGatewayRepo,
    private readonly clock: Clock,
    readonly account: Account,
  ) {}

  /** A new API with only its root resource `/`. */
  blank(input: CreateRestApiInput, id = newApiId()): RestApiRecord {
    const rootId = newApiId();
    return {
      id,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.version !== undefined ? { version: input.version } : {}),
      ...(input.minimumCompressionSize !== undefined ? { minimumCompressionSize: input.minimumCompressionSize } : {}),
      ...(input.policy !== undefined ? { policy: input.policy } : {}),
      createdDate: this.clock.now(),
      binaryMediaTypes: input.binaryMediaTypes ?? [],
      apiKeySource: input.apiKeySource ?? 'HEADER',
      endpointTypes: input.endpointTypes ?? ['EDGE'],
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      tags: input.tags ?? {},
      rootResourceId: rootId,
      resources: { [rootId]: { id: rootId, path: '/', methods: {} } },
      authorizers: {},
      models: builtInModels(),
      requestValidators: {},
      gatewayResponses: {},
    };
  }

  async create(input: CreateRestApiInput): Promise<RestApiRecord> {
    return this.store(this.blank(input));
  }

  /** Stores a new API under a fresh id (ids are drawn again on the rare collision). */
  async store(api: RestApiRecord): Promise<RestApiRecord> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      if (await this.repo.restApis.create(api.id, api)) return api;
      api = { ...api, id: newApiId() };
    }
    throw ApiGatewayErrors.conflict('Could not allocate an API id');
  }

  async get(id: string): Promise<RestApiRecord> {
    const found = await this.repo.restApis.get(id);
    if (!found) throw ApiGatewayErrors.notFound(`Invalid API identifier specified ${this.account.accountId}:${id}`);
    return found.value;
  }

  /** Whether `id` is one of the REST APIs (the front door asks, as HTTP APIs share the names). */
  async exists(id: string): Promise<boolean> {
    return (await this.repo.restApis.get(id)) !== undefined;
  }

  async list(position: string | undefined, limit: number): Promise<{ items: RestApiRecord[]; position?: string }> {
    const page = await this.repo.restApis.list('', position, limit + 1);
    const items = page.slice(0, limit).map((r) => r.value);
    return page.length > limit ? { items, position: items[items.length - 1]!.id } : { items };
  }

  /** Applies `change` to the API's document and stores it; retried if another change came first. */
  async mutate<T>(id: string, change: (api: RestApiRecord) => T): Promise<T> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const found = await this.repo.restApis.get(id);
      if (!found) throw ApiGatewayErrors.notFound(`Invalid API identifier specified ${this.account.accountId}:${id}`);
      const api = structuredClone(found.value);
      const result = change(api);
      if (await this.repo.restApis.update(id, api, found.revision)) return result;
    }
    throw ApiGatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  }

  async update(id: string, ops: readonly PatchOperation[] | undefined): Promise<RestApiRecord> {
    return this.mutate(id, (api) => {
      applyPatches(ops, (op, [field, key]) => {
        switch (field) {
          case 'name':
          case 'description':
          case 'version':
          case 'policy':
            api[field] = valueOf(op);
            return true;
          case 'apiKeySource': {
            const v = valueOf(op);
            if (v !== 'HEADER' && v !== 'AUTHORIZER') throw ApiGatewayErrors.badRequest(`Invalid apiKeySource ${v}`);
            api.apiKeySource = v;
            return true;
          }
          case 'minimumCompressionSize':
            if (op.op === 'remove' || op.value === '') delete api.minimumCompressionSize;
            else api.minimumCompressionSize = numberValue(op);
            return true;
          case 'disableExecuteApiEndpoint':
            api.disableExecuteApiEndpoint = boolValue(op);
            return true;
          case 'binaryMediaTypes':
            if (key === undefined) return false;
            api.binaryMediaTypes = api.binaryMediaTypes.filter((t) => t !== key);
            if (op.op !== 'remove') api.binaryMediaTypes.push(key);
            return true;
          default:
            return false;
        }
      });
      return api;
    });
  }

  /** Deletes the API with its deployments and stages. */
  async delete(id: string): Promise<void> {
    await this.get(id);
    for (const table of [this.repo.stages, this.repo.deployments] as const) {
      for (const doc of await table.list(`${id}/`, undefined, 10_000)) {
        await table.delete('stageName' in doc.value ? `${id}/${doc.value.stageName}` : `${id}/${doc.value.id}`);
      }
    }
    await this.repo.restApis.delete(id);
  }

  /** PutRestApi: the definition replaced (`overwrite`) or merged into (`merge`); the API's id, name and tags stay. */
  async replaceDefinition(id: string, imported: RestApiRecord, mode: 'overwrite' | 'merge'): Promise<RestApiRecord> {
    return this.mutate(id, (api) => {
      if (mode === 'overwrite') {
        api.resources = imported.resources;
        api.rootResourceId = imported.rootResourceId;
        api.authorizers = imported.authorizers;
        api.models = imported.models ?? {};
        api.requestValidators = imported.requestValidators ?? {};
        api.gatewayResponses = imported.gatewayResponses ?? {};
      } else {
        mergeDefinition(api, imported);
      }
      api.binaryMediaTypes = [...new Set([...(mode === 'merge' ? api.binaryMediaTypes : []), ...imported.binaryMediaTypes])];
      if (imported.description !== undefined) api.description = imported.description;
      return api;
    });
  }
}

/** Merge mode: the imported paths' methods are added to (or replace those of) the same paths. */
function mergeDefinition(api: RestApiRecord, imported: RestApiRecord): void {
  const byPath = new Map(Object.values(api.resources).map((r) => [r.path, r]));
  const ids = new Map<string, string>([[imported.rootResourceId, api.rootResourceId]]);
  const ordered = Object.values(imported.resources).sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const r of ordered) {
    const existing = byPath.get(r.path);
    if (existing) {
      ids.set(r.id, existing.id);
      Object.assign(existing.methods, r.methods);
    } else {
      const copy = { ...r, parentId: ids.get(r.parentId!)! };
      api.resources[copy.id] = copy;
      ids.set(r.id, copy.id);
      byPath.set(copy.path, copy);
    }
  }
  Object.assign(api.authorizers, imported.authorizers);
  api.models = { ...api.models, ...imported.models };
  api.requestValidators = { ...api.requestValidators, ...imported.requestValidators };
  api.gatewayResponses = { ...api.gatewayResponses, ...imported.gatewayResponses };
}
