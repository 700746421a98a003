/** The encrypted-at-rest state's repos on SQLite: document tables (see document-repo.ts) and the keyring. */
import type Database from 'better-sqlite3';
import { KmsAliasRecordSchema, KmsKeyRecordSchema } from '../../domain/kms.js';
import { ParameterRecordSchema } from '../../domain/parameter.js';
import { SecretRecordSchema } from '../../domain/secret.js';
import type { SecretsStore } from '../store.js';
import { SqliteDocumentRepo } from './document-repo.js';
import { SqliteKeyringRepo } from './keyring-repo.js';

export const sqliteSecretsStore = (db: Database.Database): SecretsStore => ({
  keyring: new SqliteKeyringRepo(db),
  kmsKeys: new SqliteDocumentRepo(db, 'kms_keys', KmsKeyRecordSchema),
  kmsAliases: new SqliteDocumentRepo(db, 'kms_aliases', KmsAliasRecordSchema),
  secrets: new SqliteDocumentRepo(db, 'secrets', SecretRecordSchema),
  parameters: new SqliteDocumentRepo(db, 'ssm_parameters', ParameterRecordSchema),
});
