/** API keys and usage plans (throttle, quota, the API stages they cover, the keys in them). */
import type { Clock } from '../../lib/clock.js';
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import { newKeyId, newKeyValue, newShortId } from './ids.js';
import type { ApiKeyRecord, Quota, Throttle, UsagePlanRecord } from './model.js';

export interface ApiKeyInput {
  name?: string;
  description?: string;
  enabled?: boolean;
  value?: string;
  customerId?: string;
  tags?: Record<string, string>;
}

export interface UsagePlanInput {
  name: string;
  description?: string;
  apiStages?: UsagePlanRecord['apiStages'];
  throttle?: Throttle;
  quota?: Quota;
  tags?: Record<string, string>;
}

export class KeyService {
  constructor(
    private readonly repo: ApiGatewayRepo,
    private readonly clock: Clock,
  ) {}

  async createKey(input: ApiKeyInput): Promise<ApiKeyRecord> {
    if (input.value !== undefined && input.value.length < 20) throw ApiGatewayErrors.badRequest('API Key value should be at least 20 characters');
    if (input.value !== undefined && (await this.keyByValue(input.value))) throw ApiGatewayErrors.conflict('API Key already exists');
    const now = this.clock.now();
    const id = newKeyId();
    const key: ApiKeyRecord = {
      id,
      value: input.value ?? newKeyValue(),
      name: input.name ?? id,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
      enabled: input.enabled ?? false,
      stageKeys: [],
      tags: input.tags ?? {},
      createdDate: now,
      lastUpdatedDate: now,
    };
    await this.repo.apiKeys.create(id, key);
    return key;
  }

  async key(id: string): Promise<ApiKeyRecord> {
    const found = await this.repo.apiKeys.get(id);
    if (!found) throw ApiGatewayErrors.notFound('Invalid API Key identifier specified');
    return found.value;
  }

  async keys(nameQuery?: string): Promise<ApiKeyRecord[]> {
    const all = (await this.repo.apiKeys.list('', undefined, 100_000)).map((k) => k.value);
    return nameQuery === undefined ? all : all.filter((k) => k.name.startsWith(nameQuery));
  }

  /** The key with this value (what a client sends in `x-api-key`). */
  async keyByValue(value: string): Promise<ApiKeyRecord | undefined> {
    return (await this.keys()).find((k) => k.value === value);
  }

  async deleteKey(id: string): Promise<void> {
    await this.key(id);
    await this.repo.apiKeys.delete(id);
    for (const plan of await this.plans()) if (plan.keyIds.includes(id)) await this.writePlan(plan.id, (p) => (p.keyIds = p.keyIds.filter((k) => k !== id)));
  }

  async createPlan(input: UsagePlanInput): Promise<UsagePlanRecord> {
    if (input.throttle?.rateLimit !== undefined && input.throttle.rateLimit < 0) throw ApiGatewayErrors.badRequest('Rate limit must be non-negative');
    if (input.quota !== undefined && input.quota.limit < 0) throw ApiGatewayErrors.badRequest('Quota limit must be non-negative');
    const plan: UsagePlanRecord = {
      id: newShortId(),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      apiStages: input.apiStages ?? [],
      ...(input.throttle !== undefined ? { throttle: input.throttle } : {}),
      ...(input.quota !== undefined ? { quota: input.quota } : {}),
      keyIds: [],
      tags: input.tags ?? {},
    };
    await this.repo.usagePlans.create(plan.id, plan);
    return plan;
  }

  async plan(id: string): Promise<UsagePlanRecord> {
    const found = await this.repo.usagePlans.get(id);
    if (!found) throw ApiGatewayErrors.notFound('Invalid Usage Plan ID specified');
    return found.value;
  }

  async plans(keyId?: string): Promise<UsagePlanRecord[]> {
    const all = (await this.repo.usagePlans.list('', undefined, 100_000)).map((p) => p.value);
    return keyId === undefined ? all : all.filter((p) => p.keyIds.includes(keyId));
  }

  async deletePlan(id: string): Promise<void> {
    await this.plan(id);
    await this.repo.usagePlans.delete(id);
  }

  async addKey(planId: string, keyId: string, keyType: string): Promise<ApiKeyRecord> {
    if (keyType !== 'API_KEY') throw ApiGatewayErrors.badRequest(`Invalid key type ${keyType}`);
    const key = await this.key(keyId);
    const plan = await this.plan(planId);
    if (plan.keyIds.includes(keyId)) throw ApiGatewayErrors.conflict(`Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage`);
    await this.writePlan(planId, (p) => p.keyIds.push(keyId));
    return key;
  }

  async removeKey(planId: string, keyId: string): Promise<void> {
    const plan = await this.plan(planId);
    if (!plan.keyIds.includes(keyId)) throw ApiGatewayErrors.notFound('Invalid API Key identifier specified');
    await this.writePlan(planId, (p) => (p.keyIds = p.keyIds.filter((k) => k !== keyId)));
  }

  async writeKey(id: string, change: (k: ApiKeyRecord) => void): Promise<ApiKeyRecord> {
    for (let i = 0; i < 20; i++) {
      const found = await this.repo.apiKeys.get(id);
      if (!found) throw ApiGatewayErrors.notFound('Invalid API Key identifier specified');
      const key = structuredClone(found.value);
      change(key);
      key.lastUpdatedDate = this.clock.now();
      if (await this.repo.apiKeys.update(id, key, found.revision)) return key;
    }
    throw ApiGatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  }

  async writePlan(id: string, change: (p: UsagePlanRecord) => void): Promise<UsagePlanRecord> {
    for (let i = 0; i < 20; i++) {
      const found = await this.repo.usagePlans.get(id);
      if (!found) throw ApiGatewayErrors.notFound('Invalid Usage Plan ID specified');
      const plan = structuredClone(found.value);
      change(plan);
      if (await this.repo.usagePlans.update(id, plan, found.revision)) return plan;
    }
    throw ApiGatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  }
}
