/** API Gateway V2's records as its operations answer them (wire names, dates, computed members). */
import type { ApiRecord, DeploymentRecord, StageRecord } from './records.js';
import { isoDate, toWire } from './wire-names.js';

export function renderApi(api: ApiRecord, endpoint: (apiId: string, protocol: 'HTTP' | 'WEBSOCKET') => string): Record<string, unknown> {
  const { createdAt, ...rest } = api;
  return { ...toWire(rest), ApiEndpoint: endpoint(api.apiId, api.protocolType), CreatedDate: isoDate(createdAt) };
}

export function renderStage(stage: StageRecord): Record<string, unknown> {
  const { createdAt, updatedAt, ...rest } = stage;
  return { ...toWire(rest), CreatedDate: isoDate(createdAt), LastUpdatedDate: isoDate(updatedAt) };
}

export function renderDeployment(d: DeploymentRecord): Record<string, unknown> {
  return {
    DeploymentId: d.deploymentId,
    AutoDeployed: d.autoDeployed,
    DeploymentStatus: 'DEPLOYED',
    CreatedDate: isoDate(d.createdAt),
    ...(d.description !== undefined ? { Description: d.description } : {}),
  };
}
