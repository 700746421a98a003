/**
 * What every other part stands on: time and logging, the store, the vault (a missing or wrong master
 * key stops the start here), authentication, STS identities, the Parameters and Secrets extension's
 * endpoint, the code store and the TLS authority.
 */
import { join } from 'node:path';
import { CodeStore } from '../code/code-store.js';
import type { AwsRouter } from '../api/router.js';
import type { Config } from '../config/config.js';
import { ParametersSecretsEndpoint } from '../extensions/parameters-secrets/endpoint.js';
import type { Invoker } from '../invoke/invoker.js';
import { ScaledClock, systemClock, type Clock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { createAuthenticator, functionCredentials } from '../security/authentication.js';
import { loadCredentialsFile } from '../security/credentials-file.js';
import { FunctionCredentialIssuer } from '../security/function-credentials.js';
import { Identities } from '../security/identities.js';
import { loadOrCreateAuthority } from '../security/tls/authority.js';
import { openVault, type Vault } from '../security/vault.js';
import { invokeRotationFunction } from '../services/secretsmanager/rotation-invoke.js';
import { openStore } from '../storage/open-store.js';
import { Addresses } from './addresses.js';
import type { Late } from './late.js';
import type { PlatformOverrides } from './overrides.js';

/** Credentials the AWS SDK inside a function uses to call this server back. */
const FUNCTION_CREDENTIALS = {
  accessKeyId: 'ASIASELFLESSFUNCTION',
  secretAccessKey: 'selfless-function-secret-access-key',
  sessionToken: 'selfless-function-session-token',
};

export type Foundation = Awaited<ReturnType<typeof openFoundation>>;

export async function openFoundation(config: Config, overrides: PlatformOverrides, invoker: Late<Invoker>, router: Late<AwsRouter>) {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const account = { region: config.region, accountId: config.accountId };
  // --time-scale: deployments (CodeDeploy's too) and schedules run on a faster clock; async retry
  // backoff and custom resource timeouts shrink by the same factor (their clocks also stamp records
  // and sign URLs, so they keep real time). Alarms keep real time: they read metrics stamped in it.
  const scaledClock: Clock = config.timeScale === 1 ? clock : new ScaledClock(config.timeScale, clock);
  const retryScale = config.asyncRetryScale / config.timeScale;

  // Signatures: verified against --credentials; otherwise any credentials pass, which config allows on loopback only.
  const keys = config.credentials === undefined ? undefined : loadCredentialsFile(config.credentials);
  const ownCredentials = functionCredentials(keys !== undefined, FUNCTION_CREDENTIALS);

  const store = await openStore(config);
  // A missing or wrong master key stops the start here, before anything is served.
  const vault: Vault = await openVault({
    store: store.vault,
    dataDir: config.dataDir,
    masterKeyFile: config.masterKeyFile,
    clock: overrides.vaultClock ?? clock,
    logger,
    account,
    invokeRotation: (arn, event): Promise<void> => invokeRotationFunction(invoker.get(), account, arn, event),
  }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const authenticator = createAuthenticator({ keys, functionKey: { ...ownCredentials, accountId: config.accountId }, sessions: store.sessions, clock, logger });
  // STS sessions; each function's environments act as a session of its execution role.
  const identities = new Identities(store.sessions, clock, account.accountId);
  const functionSessions = new FunctionCredentialIssuer(identities, config.maxEnvironmentAgeMs, ownCredentials);
  // Answers from this server's Secrets Manager and Parameter Store, through the router built later.
  const parametersSecrets: ParametersSecretsEndpoint = new ParametersSecretsEndpoint((prefix, op, input, principal): Promise<unknown> => router.get().call(prefix, op, input as never, { principal }), config.extensionPort, clock, logger);
  const code = new CodeStore(join(config.dataDir, 'code'), store.codePackages);
  // Created once in the data dir and kept, so clients and environments can trust it across restarts.
  const authority = config.tlsPort !== undefined ? loadOrCreateAuthority(config.dataDir, new Date(clock.now())) : undefined;
  return { config, clock, scaledClock, retryScale, logger, account, ownCredentials, parametersSecrets, store, vault, authenticator, identities, functionSessions, code, authority, addresses: new Addresses() };
}
