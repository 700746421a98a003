/** CodeDeploy's repos on SQLite: document tables (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { ApplicationRecordSchema, CodeDeployDeploymentSchema, DeploymentGroupRecordSchema } from '../../services/codedeploy/model.js';
import type { CodeDeployStore } from '../codedeploy-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteCodeDeployStore = (db: Database.Database): CodeDeployStore => ({
  applications: new SqliteDocumentRepo(db, 'codedeploy_applications', ApplicationRecordSchema),
  groups: new SqliteDocumentRepo(db, 'codedeploy_deployment_groups', DeploymentGroupRecordSchema),
  deployments: new SqliteDocumentRepo(db, 'codedeploy_deployments', CodeDeployDeploymentSchema),
});
