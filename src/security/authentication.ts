/** Chooses how callers are authenticated, once at start, and says so. */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { SessionRepo } from '../storage/store.js';
import { acceptAnySignature, type Authenticator } from './authenticator.js';
import type { AccessKey } from './credentials-file.js';
import { SignatureVerifier, type KnownKey } from './verifier.js';

export interface AuthenticationOptions {
  /** The keys of `--credentials` to verify signatures against; none: any signature passes. */
  keys: readonly AccessKey[] | undefined;
  /** The key function environments call the server back with. */
  functionKey: KnownKey;
  sessions: SessionRepo;
  clock: Clock;
  logger: Logger;
}

export function createAuthenticator(o: AuthenticationOptions): Authenticator {
  if (o.keys === undefined) {
    o.logger.warn('signatures are not verified: any credentials are accepted, on loopback only; start with --credentials FILE to verify them');
    return acceptAnySignature;
  }
  o.logger.info('verifying every request signature', { keys: o.keys.length });
  return new SignatureVerifier([...o.keys, o.functionKey], o.sessions, o.clock);
}

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * The credentials environments get. When signatures are verified they must be secret, so each
 * server start makes new ones; the fixed ones are enough where any credentials pass.
 */
export function functionCredentials(verified: boolean, fixed: FunctionCredentials): FunctionCredentials {
  if (!verified) return fixed;
  return { accessKeyId: fixed.accessKeyId, secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(64).toString('base64') };
}
