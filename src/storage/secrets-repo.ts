/** The secrets services' store interfaces: KMS keys, Secrets Manager's secrets, SSM's parameters, the master key's check value. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { KmsAliasRecord, KmsKeyRecord } from '../domain/kms.js';
import type { ParameterRecord } from '../domain/parameter.js';
import type { SecretRecord } from '../domain/secret.js';


/** A stored document and its revision, which `update` compares and sets. */
export interface Revisioned<T> {
  value: T;
  revision: number;
}

/** Documents keyed by a name, written with compare-and-set, so that two nodes never lose each other's change. */
export interface DocumentRepo<T> {
  get(key: string): Promise<Revisioned<T> | undefined>;
  /** Keys starting with `prefix`, in ascending order (code points), strictly after `after`. */
  list(prefix: string, after: string | undefined, limit: number): Promise<Revisioned<T>[]>;
  /** Inserts at revision 1; false if the key is taken. */
  create(key: string, value: T): Promise<boolean>;
  /** Replaces the document if it is still at `revision` (then at revision + 1); false if it changed or is gone. */
  update(key: string, value: T, revision: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
}

/** What the store knows of the master key: a check value, never the key. */
export interface KeyringRepo {
  masterKeyCheck(): Promise<string | undefined>;
  /** Records the check value unless one is already there; returns the one recorded. */
  recordMasterKeyCheck(check: string): Promise<string>;
}

export interface SecretsStore {
  readonly keyring: KeyringRepo;
  /** By key id. */
  readonly kmsKeys: DocumentRepo<KmsKeyRecord>;
  /** By alias name (`alias/...`). */
  readonly kmsAliases: DocumentRepo<KmsAliasRecord>;
  /** By secret name. */
  readonly secrets: DocumentRepo<SecretRecord>;
  /** By parameter name. */
  readonly parameters: DocumentRepo<ParameterRecord>;
}
