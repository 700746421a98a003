/**
 * Deployments and stages. A deployment freezes the API's definition as it is at that moment; a stage
 * points at one deployment and is what the data plane serves, as on AWS.
 */
import type { Clock } from '../../lib/clock.js';
import type { ApiGatewayRepo } from '../../storage/apigateway-repo.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import { hasMethods } from './definitions.js';
import { newShortId } from './ids.js';
import type { DeploymentRecord, MethodSetting, StageRecord } from './model.js';
import { applyPatches, boolValue, numberValue, patchMap, valueOf, type PatchOperation } from './patch.js';
import type { RestApiService } from './rest-apis.js';

export interface StageInput {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables?: Record<string, string>;
  tracingEnabled?: boolean;
  cacheClusterEnabled?: boolean;
  tags?: Record<string, string>;
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const FROZEN_LIMIT = 1000;

export class StageService {
  /** Deployments never change once made: the data plane reads them from here, not the store. */
  private readonly frozen = new Map<string, DeploymentRecord>();

  constructor(
    private readonly repo: ApiGatewayRepo,
    private readonly apis: RestApiService,
    private readonly clock: Clock,
  ) {}

  async createDeployment(apiId: string, input: { stageName?: string; stageDescription?: string; description?: string; variables?: Record<string, string> }): Promise<DeploymentRecord> {
    const api = await this.apis.get(apiId);
    if (!hasMethods(api)) throw ApiGatewayErrors.badRequest("The REST API doesn't contain any methods");
    if (input.stageName !== undefined && !STAGE_NAME.test(input.stageName)) throw ApiGatewayErrors.badRequest('Stage name only allows a-zA-Z0-9_');
    const deployment: DeploymentRecord = {
      id: newShortId(),
      restApiId: apiId,
      ...(input.description !== undefined ? { description: input.description } : {}),
      createdDate: this.clock.now(),
      api,
    };
    await this.repo.deployments.create(`${apiId}/${deployment.id}`, deployment);
    if (input.stageName !== undefined) {
      const existing = await this.repo.stages.get(`${apiId}/${input.stageName}`);
      if (existing) {
        const variables = { ...existing.value.variables, ...input.variables };
        await this.writeStage(apiId, input.stageName, (s) => Object.assign(s, { deploymentId: deployment.id, variables }));
      } else {
        await this.createStage(apiId, {
          stageName: input.stageName,
          deploymentId: deployment.id,
          ...(input.stageDescription !== undefined ? { description: input.stageDescription } : {}),
          ...(input.variables !== undefined ? { variables: input.variables } : {}),
        });
      }
    }
    return deployment;
  }

  async deployments(apiId: string): Promise<DeploymentRecord[]> {
    await this.apis.get(apiId);
    return (await this.repo.deployments.list(`${apiId}/`, undefined, 10_000)).map((d) => d.value).sort((a, b) => a.createdDate - b.createdDate);
  }

  async deployment(apiId: string, id: string): Promise<DeploymentRecord> {
    const key = `${apiId}/${id}`;
    const cached = this.frozen.get(key);
    if (cached) return cached;
    const found = await this.repo.deployments.get(key);
    if (!found) throw ApiGatewayErrors.notFound('Invalid Deployment identifier specified');
    // Bounded: the oldest entry goes first (Maps keep insertion order).
    if (this.frozen.size >= FROZEN_LIMIT) this.frozen.delete(this.frozen.keys().next().value!);
    this.frozen.set(key, found.value);
    return found.value;
  }

  async deleteDeployment(apiId: string, id: string): Promise<void> {
    await this.deployment(apiId, id);
    for (const s of await this.stages(apiId)) {
      if (s.deploymentId === id) throw ApiGatewayErrors.badRequest(`Active stages pointing to this deployment must be moved or deleted`);
    }
    this.frozen.delete(`${apiId}/${id}`);
    await this.repo.deployments.delete(`${apiId}/${id}`);
  }

  async createStage(apiId: string, input: StageInput): Promise<StageRecord> {
    await this.apis.get(apiId);
    if (!STAGE_NAME.test(input.stageName)) throw ApiGatewayErrors.badRequest('Stage name only allows a-zA-Z0-9_');
    await this.deployment(apiId, input.deploymentId);
    const now = this.clock.now();
    const stage: StageRecord = {
      restApiId: apiId,
      stageName: input.stageName,
      deploymentId: input.deploymentId,
      ...(input.description !== undefined ? { description: input.description } : {}),
      variables: input.variables ?? {},
      tracingEnabled: input.tracingEnabled ?? false,
      cacheClusterEnabled: input.cacheClusterEnabled ?? false,
      methodSettings: {},
      tags: input.tags ?? {},
      createdDate: now,
      lastUpdatedDate: now,
    };
    if (!(await this.repo.stages.create(`${apiId}/${input.stageName}`, stage))) throw ApiGatewayErrors.conflict('Stage already exists');
    return stage;
  }

  /** The stage, or undefined (the data plane's question). */
  async findStage(apiId: string, name: string): Promise<StageRecord | undefined> {
    return (await this.repo.stages.get(`${apiId}/${name}`))?.value;
  }

  async stage(apiId: string, name: string): Promise<StageRecord> {
    await this.apis.get(apiId);
    const stage = await this.findStage(apiId, name);
    if (!stage) throw ApiGatewayErrors.notFound('Invalid Stage identifier specified');
    return stage;
  }

  async stages(apiId: string, deploymentId?: string): Promise<StageRecord[]> {
    await this.apis.get(apiId);
    const all = (await this.repo.stages.list(`${apiId}/`, undefined, 10_000)).map((s) => s.value);
    return deploymentId === undefined ? all : all.filter((s) => s.deploymentId === deploymentId);
  }

  async updateStage(apiId: string, name: string, ops: readonly PatchOperation[] | undefined): Promise<StageRecord> {
    // A trial run first: a deployment a patch names must exist before anything is written.
    const trial = structuredClone(await this.stage(apiId, name));
    applyPatches(ops, (op, segments) => patchStage(trial, op, segments));
    await this.deployment(apiId, trial.deploymentId);
    return this.writeStage(apiId, name, (stage) => applyPatches(ops, (op, segments) => patchStage(stage, op, segments)));
  }

  async tagStage(apiId: string, name: string, change: (tags: Record<string, string>) => void): Promise<void> {
    await this.stage(apiId, name);
    await this.writeStage(apiId, name, (s) => change(s.tags));
  }

  async deleteStage(apiId: string, name: string): Promise<void> {
    await this.stage(apiId, name);
    await this.repo.stages.delete(`${apiId}/${name}`);
  }

  private async writeStage(apiId: string, name: string, change: (s: StageRecord) => void): Promise<StageRecord> {
    for (let i = 0; i < 20; i++) {
      const found = await this.repo.stages.get(`${apiId}/${name}`);
      if (!found) throw ApiGatewayErrors.notFound('Invalid Stage identifier specified');
      const stage = structuredClone(found.value);
      change(stage);
      stage.lastUpdatedDate = this.clock.now();
      if (await this.repo.stages.update(`${apiId}/${name}`, stage, found.revision)) return stage;
    }
    throw ApiGatewayErrors.conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  }
}

/** UpdateStage's paths: description, deployment, variables, tracing, access logs, and `/{path}/{method}/{setting}` method settings. */
function patchStage(stage: StageRecord, op: PatchOperation, segments: string[]): boolean {
  const [field, key] = segments;
  switch (field) {
    case 'description':
      stage.description = valueOf(op);
      return true;
    case 'deploymentId':
      stage.deploymentId = valueOf(op);
      return true;
    case 'variables':
      if (key === undefined) return false;
      patchMap(stage.variables, op, key);
      return true;
    case 'tracingEnabled':
      stage.tracingEnabled = boolValue(op);
      return true;
    case 'cacheClusterEnabled':
      stage.cacheClusterEnabled = boolValue(op);
      return true;
    case 'accessLogSettings':
      if (op.op === 'remove') {
        if (key === undefined) delete stage.accessLogSettings;
        else if (key === 'format' || key === 'destinationArn') delete stage.accessLogSettings?.[key];
        return key === undefined || key === 'format' || key === 'destinationArn';
      }
      if (key !== 'format' && key !== 'destinationArn') return false;
      stage.accessLogSettings = { ...stage.accessLogSettings, [key]: valueOf(op) };
      return true;
    default:
      return segments.length >= 3 && patchMethodSetting(stage, op, segments);
  }
}

const SETTINGS: Record<string, keyof MethodSetting> = {
  'metrics/enabled': 'metricsEnabled',
  'logging/loglevel': 'loggingLevel',
  'logging/dataTrace': 'dataTraceEnabled',
  'throttling/burstLimit': 'throttlingBurstLimit',
  'throttling/rateLimit': 'throttlingRateLimit',
  'caching/enabled': 'cachingEnabled',
  'caching/ttlInSeconds': 'cacheTtlInSeconds',
};

function patchMethodSetting(stage: StageRecord, op: PatchOperation, segments: string[]): boolean {
  // `/~1pets/GET/throttling/rateLimit` (the resource path escaped) or `/*/*/...` for every method.
  const setting = SETTINGS[segments.slice(-2).join('/')];
  if (!setting) return false;
  const key = segments.slice(0, -2).join('/');
  const settings = (stage.methodSettings[key] ??= {});
  if (op.op === 'remove') delete settings[setting];
  else if (setting === 'loggingLevel') settings.loggingLevel = valueOf(op);
  else if (setting === 'metricsEnabled' || setting === 'dataTraceEnabled' || setting === 'cachingEnabled') settings[setting] = boolValue(op);
  else (settings as Record<string, number>)[setting] = numberValue(op);
  return true;
}
