/** The encrypted-at-rest state's repos on PostgreSQL: document tables (see document-repo.ts) and the keyring. */
import { KmsAliasRecordSchema, KmsKeyRecordSchema } from '../../domain/kms.js';
import { ParameterRecordSchema } from '../../domain/parameter.js';
import { SecretRecordSchema } from '../../domain/secret.js';
import type { SecretsStore } from '../store.js';
import type { Db } from './db.js';
import { PostgresDocumentRepo } from './document-repo.js';
import { PostgresKeyringRepo } from './keyring-repo.js';

export const postgresSecretsStore = (db: Db): SecretsStore => ({
  keyring: new PostgresKeyringRepo(db),
  kmsKeys: new PostgresDocumentRepo(db, 'kms_keys', KmsKeyRecordSchema),
  kmsAliases: new PostgresDocumentRepo(db, 'kms_aliases', KmsAliasRecordSchema),
  secrets: new PostgresDocumentRepo(db, 'secrets', SecretRecordSchema),
  parameters: new PostgresDocumentRepo(db, 'ssm_parameters', ParameterRecordSchema),
});
