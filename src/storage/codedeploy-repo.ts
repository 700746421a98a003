/** CodeDeploy's store interface: documents by name or id. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { ApplicationRecord, CodeDeployDeployment, DeploymentGroupRecord } from '../services/codedeploy/model.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface CodeDeployStore {
  /** By application name. */
  readonly applications: DocumentRepo<ApplicationRecord>;
  /** By groupKey(application, group). */
  readonly groups: DocumentRepo<DeploymentGroupRecord>;
  /** By deployment id (`d-...`). */
  readonly deployments: DocumentRepo<CodeDeployDeployment>;
}

/** A group's key: its application's name (length-prefixed, so any character may appear in a name) then its own. */
export const groupKey = (application: string, group: string): string => `${application.length}:${application}/${group}`;
export const groupPrefix = (application: string): string => `${application.length}:${application}/`;
