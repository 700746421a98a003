/** Deployment records: read, saved with compare-and-set, changed one chain at a time, listed; and a rollback's record. */
import type { CodeDeployStore } from '../../storage/codedeploy-repo.js';
import type { Revisioned } from '../../storage/store.js';
import { CodeDeployErrors } from '../../wire/errors.js';
import type { CodeDeployDeployment } from './model.js';

export type Loaded = Revisioned<CodeDeployDeployment>;

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

export class DeploymentLedger {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly store: CodeDeployStore) {}

  async load(id: string | undefined): Promise<Loaded> {
    if (!id) throw CodeDeployErrors.deploymentIdRequired();
    if (!/^d-[A-Z0-9]{9}$/.test(id)) throw CodeDeployErrors.invalidDeploymentId(`Specified deployment id ${id} is invalid.`);
    const rec = await this.store.deployments.get(id);
    if (!rec) throw CodeDeployErrors.deploymentNotFound(id);
    return rec;
  }

  /** Compare-and-set: a deployment is changed by one chain at a time here, so a lost race means another server moved it. */
  async save(rec: Loaded): Promise<void> {
    if (!(await this.store.deployments.update(rec.value.id, rec.value, rec.revision))) throw new Error(`deployment ${rec.value.id} was changed elsewhere`);
    rec.revision++;
  }

  /** Newest first. */
  async list(f: DeploymentFilter): Promise<CodeDeployDeployment[]> {
    const all: CodeDeployDeployment[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.store.deployments.list('', after, 500);
      all.push(...page.map((p) => p.value));
      if (page.length < 500) break;
      after = page[page.length - 1]!.value.id;
    }
    return all.filter((d) => matches(d, f)).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** Runs `fn` after every earlier change of the same deployment. */
  serially<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(id) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }
}
