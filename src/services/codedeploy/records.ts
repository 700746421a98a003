/** Pure helpers on deployment records: list filters, and the record of a rollback deployment. */
import type { CodeDeployDeployment } from './model.js';

export interface DeploymentFilter {
  applicationName?: string;
  deploymentGroupName?: string;
  statuses?: string[];
  createdFrom?: number;
  createdTo?: number;
}

export const matches = (d: CodeDeployDeployment, f: DeploymentFilter): boolean =>
  (f.applicationName === undefined || d.applicationName === f.applicationName) &&
  (f.deploymentGroupName === undefined || d.deploymentGroupName === f.deploymentGroupName) &&
  (f.statuses === undefined || f.statuses.length === 0 || f.statuses.includes(d.status)) &&
  d.createdAt >= (f.createdFrom ?? 0) &&
  d.createdAt <= (f.createdTo ?? Infinity);

/** The deployment CodeDeploy creates to roll `d` back: the alias back on `version`, done at once. */
export function rollbackDeployment(d: CodeDeployDeployment, id: string, version: string, now: number): CodeDeployDeployment {
  const { phase: _p, error: _e, trafficDeploymentId: _t, description: _d, ...rest } = d;
  return {
    ...rest,
    id,
    status: 'Succeeded',
    creator: 'codeDeployRollback',
    target: { functionName: d.target.functionName, alias: d.target.alias, currentVersion: d.target.targetVersion, targetVersion: version },
    hooks: [],
    createdAt: now,
    startedAt: now,
    completedAt: now,
    rollback: { rollbackTriggeringDeploymentId: d.id, rollbackMessage: `Rollback of deployment ${d.id}: alias ${d.target.alias} back on version ${version}.` },
  };
}
