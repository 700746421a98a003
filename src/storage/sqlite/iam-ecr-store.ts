/** IAM's and ECR's repos on SQLite: document tables (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { RepositoryRecordSchema } from '../../services/ecr/model.js';
import { InstanceProfileRecordSchema, ManagedPolicyRecordSchema, RoleRecordSchema } from '../../services/iam/model.js';
import type { EcrStore } from '../ecr-repo.js';
import type { IamStore } from '../iam-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteIamStore = (db: Database.Database): IamStore => ({
  roles: new SqliteDocumentRepo(db, 'iam_roles', RoleRecordSchema),
  policies: new SqliteDocumentRepo(db, 'iam_policies', ManagedPolicyRecordSchema),
  instanceProfiles: new SqliteDocumentRepo(db, 'iam_instance_profiles', InstanceProfileRecordSchema),
});

export const sqliteEcrStore = (db: Database.Database): EcrStore => ({
  repositories: new SqliteDocumentRepo(db, 'ecr_repositories', RepositoryRecordSchema),
});
