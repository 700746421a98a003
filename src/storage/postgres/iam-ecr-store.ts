/** IAM's and ECR's repos on PostgreSQL: document tables (see document-repo.ts). */
import type { Db } from './db.js';
import { RepositoryRecordSchema } from '../../services/ecr/model.js';
import { InstanceProfileRecordSchema, ManagedPolicyRecordSchema, RoleRecordSchema } from '../../services/iam/model.js';
import type { EcrStore } from '../ecr-repo.js';
import type { IamStore } from '../iam-repo.js';
import { PostgresDocumentRepo } from './document-repo.js';

export const postgresIamStore = (db: Db): IamStore => ({
  roles: new PostgresDocumentRepo(db, 'iam_roles', RoleRecordSchema),
  policies: new PostgresDocumentRepo(db, 'iam_policies', ManagedPolicyRecordSchema),
  instanceProfiles: new PostgresDocumentRepo(db, 'iam_instance_profiles', InstanceProfileRecordSchema),
});

export const postgresEcrStore = (db: Db): EcrStore => ({
  repositories: new PostgresDocumentRepo(db, 'ecr_repositories', RepositoryRecordSchema),
});
