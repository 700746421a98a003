/** CodeDeploy's repos on PostgreSQL: document tables (see document-repo.ts). */
import type { Db } from './db.js';
import { ApplicationRecordSchema, CodeDeployDeploymentSchema, DeploymentGroupRecordSchema } from '../../services/codedeploy/model.js';
import type { CodeDeployStore } from '../codedeploy-repo.js';
import { PostgresDocumentRepo } from './document-repo.js';

export const postgresCodeDeployStore = (db: Db): CodeDeployStore => ({
  applications: new PostgresDocumentRepo(db, 'codedeploy_applications', ApplicationRecordSchema),
  groups: new PostgresDocumentRepo(db, 'codedeploy_deployment_groups', DeploymentGroupRecordSchema),
  deployments: new PostgresDocumentRepo(db, 'codedeploy_deployments', CodeDeployDeploymentSchema),
});
