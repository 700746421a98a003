/**
 * The secrets services, composed: the master key (loaded or created at start), KMS keys and
 * cryptography over it, Secrets Manager with rotation, SSM Parameter Store. Started and stopped by main.ts.
 */
import { join } from 'node:path';
import { CryptoService } from '../services/kms/crypto-service.js';
import { KeyService } from '../services/kms/key-service.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { RotationService, type InvokeRotationFunction } from '../services/secretsmanager/rotation.js';
import { SecretService } from '../services/secretsmanager/secret-service.js';
import { SecretValues } from '../services/secretsmanager/secret-values.js';
import { ParameterService } from '../services/ssm/parameter-service.js';
import type { SecretsStore } from '../storage/store.js';
import type { Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import { resolveEnvironment, UnresolvedReference, type ReferenceLookups, type ResolvedEnvironment } from './dynamic-references.js';
import { MasterKey } from './master-key.js';

export interface VaultOptions {
  store: SecretsStore;
  dataDir: string;
  masterKeyFile: string | undefined;
  clock: Clock;
  logger: Logger;
  account: Account;
  invokeRotation: InvokeRotationFunction;
}

export interface Vault {
  keys: KeyService;
  crypto: CryptoService;
  secrets: SecretService;
  rotation: RotationService;
  parameters: ParameterService;
  /**
   * A function's environment variables with their `{{resolve:...}}` references resolved, and the secret
   * values among them (Lambda's error if one cannot be resolved).
   */
  resolveEnvironment(env: Readonly<Record<string, string>>): Promise<ResolvedEnvironment>;
  /** A key for one purpose, the same on every node that holds the master key. */
  derivedKey(purpose: string): Buffer;
  start(): void;
  stop(): void;
}

export async function openVault(o: VaultOptions): Promise<Vault> {
  const master = await MasterKey.load(o.masterKeyFile ?? join(o.dataDir, 'master.key'), o.store.keyring);
  const keys = new KeyService(o.store.kmsKeys, o.store.kmsAliases, master, o.clock, o.account);
  const crypto = new CryptoService(keys);
  const secrets = new SecretService(o.store.secrets, new SecretValues(crypto), o.clock, o.account);
  const rotation = new RotationService(secrets, o.invokeRotation, o.clock, o.logger);
  const parameters = new ParameterService(o.store.parameters, crypto, o.clock, o.account);
  const lookups: ReferenceLookups = {
    async secretString(secretId, stage, versionId) {
      const { value } = await secrets.getValue(secretId, versionId, stage);
      if (value.kind !== 'string') throw new Error('the secret holds a SecretBinary, not a SecretString');
      return value.text;
    },
    async parameter(name, version, secure) {
      const { version: v, value } = await parameters.get(version === undefined ? name : `${name}:${version}`, secure);
      if (secure !== (v.type === 'SecureString')) throw new Error(secure ? 'the parameter is not a SecureString' : 'the parameter is a SecureString: use ssm-secure');
      return value;
    },
  };
  return {
    keys,
    crypto,
    secrets,
    rotation,
    parameters,
    resolveEnvironment: (env) =>
      resolveEnvironment(env, lookups).catch((err: unknown) => {
        if (err instanceof UnresolvedReference) throw Errors.environmentReferenceUnresolved(`Selfless could not start the function: ${err.message}`);
        throw err;
      }),
    derivedKey: (purpose) => master.derive(purpose),
    start: () => rotation.start(),
    stop: () => rotation.stop(),
  };
}
