/**
 * Stages and deployments. A deployment snapshots the API's routes, integrations, authorizers and
 * CORS; a stage serves its deployment's snapshot. A stage with AutoDeploy gets a new deployment after
 * every change to the API (`redeploy`), as API Gateway does.
 */
import type { Clock } from '../../lib/clock.js';
import { ApiGatewayV2Errors } from '../../wire/errors.js';
import type { ApiGatewayV2Store } from '../../storage/apigatewayv2-repo.js';
import { ApiDocuments } from './documents.js';
import { newDeploymentId } from './ids.js';
import type { ApiRecord, DeploymentRecord, Snapshot, StageRecord } from './records.js';

export type StageInput = Partial<Omit<StageRecord, 'createdAt' | 'updatedAt' | 'apiGatewayManaged' | 'lastDeploymentStatusMessage'>> & { stageName: string };

export class Stages {
  readonly stages: ApiDocuments<StageRecord>;
  readonly deployments: ApiDocuments<DeploymentRecord>;

  constructor(
    store: ApiGatewayV2Store,
    private readonly clock: Clock,
    private readonly getApi: (apiId: string) => Promise<ApiRecord>,
    /** What the API is now: routes, integrations, authorizers and CORS. */
    private readonly snapshot: (apiId: string) => Promise<Snapshot>,
  ) {
    this.stages = new ApiDocuments(store.stages, 'stage', (s) => s.stageName);
    this.deployments = new ApiDocuments(store.deployments, 'Deployment', (d) => d.deploymentId);
  }

  async createDeployment(apiId: string, input: { stageName?: string; description?: string }, autoDeployed = false): Promise<DeploymentRecord> {
    if (input.stageName !== undefined) await this.stages.get(apiId, input.stageName);
    const deployment: DeploymentRecord = {
      deploymentId: newDeploymentId(),
      autoDeployed,
      createdAt: this.clock.now(),
      snapshot: await this.snapshot(apiId),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    await this.deployments.create(apiId, deployment.deploymentId, deployment);
    if (input.stageName !== undefined) await this.stages.update(apiId, input.stageName, (s) => ({ ...s, deploymentId: deployment.deploymentId, updatedAt: this.clock.now() }));
    return deployment;
  }

  /** After a change to the API: every AutoDeploy stage serves it at once. */
  async redeploy(apiId: string): Promise<void> {
    for (const stage of await this.stages.list(apiId)) {
      if (!stage.autoDeploy) continue;
      const d = await this.createDeployment(apiId, {}, true);
      const previous = stage.deploymentId;
      await this.stages.update(apiId, stage.stageName, (s) => ({
        ...s,
        deploymentId: d.deploymentId,
        lastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${d.deploymentId}'`,
        updatedAt: this.clock.now(),
      }));
      if (previous !== undefined) await this.pruneAutoDeployment(apiId, previous);
    }
  }

  /** An auto-deployment no stage serves any more is gone, so that every change does not keep a snapshot for ever. */
  private async pruneAutoDeployment(apiId: string, deploymentId: string): Promise<void> {
    const d = await this.deployments.find(apiId, deploymentId);
    if (!d?.autoDeployed) return;
    if ((await this.stages.list(apiId)).some((s) => s.deploymentId === deploymentId)) return;
    await this.deployments.delete(apiId, deploymentId).catch(() => undefined);
  }

  async createStage(apiId: string, input: StageInput, managed = false): Promise<StageRecord> {
    const api = await this.getApi(apiId);
    if (api.protocolType === 'WEBSOCKET' && input.stageName === '$default') throw ApiGatewayV2Errors.badRequest('Stage name $default is only supported for HTTP APIs.');
    if (input.deploymentId !== undefined) await this.deployments.get(apiId, input.deploymentId);
    const now = this.clock.now();
    const stage: StageRecord = {
      stageVariables: {},
      tags: {},
      ...input,
      autoDeploy: input.autoDeploy ?? false,
      apiGatewayManaged: managed,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.stages.create(apiId, stage.stageName, stage))) throw ApiGatewayV2Errors.conflict(`Stage already exists`);
    if (stage.autoDeploy) await this.redeploy(apiId);
    return this.stages.get(apiId, stage.stageName);
  }

  async updateStage(apiId: string, stageName: string, patch: Partial<StageInput>): Promise<StageRecord> {
    if (patch.deploymentId !== undefined) await this.deployments.get(apiId, patch.deploymentId);
    const updated = await this.stages.update(apiId, stageName, (s) => ({ ...s, ...patch, stageName, updatedAt: this.clock.now() }));
    if (patch.autoDeploy === true) await this.redeploy(apiId);
    return patch.autoDeploy === true ? this.stages.get(apiId, stageName) : updated;
  }

  async deleteDeployment(apiId: string, deploymentId: string): Promise<void> {
    await this.deployments.get(apiId, deploymentId);
    const serving = (await this.stages.list(apiId)).find((s) => s.deploymentId === deploymentId);
    if (serving) throw ApiGatewayV2Errors.badRequest(`Active stages pointing to this deployment must be moved or deleted`);
    await this.deployments.delete(apiId, deploymentId);
  }
}
