/**
 * Verifies every request's SigV4 signature (`--credentials`): against the keys of the credentials
 * file, the function environments' own key, and the temporary credentials STS issued (with their
 * session token, until they expire).
 */
import type { Clock } from '../lib/clock.js';
import type { SessionRepo } from '../storage/store.js';
import type { Authenticated, Authenticator, AuthOptions, PolicySignature, Principal } from './authenticator.js';
import type { AccessKey } from './credentials-file.js';
import { checkedStream, checkTime, MISMATCH, parseCredential, parseSignature, SignatureRefused, verifyPolicySignature, verifySignature, type SignableRequest, type SignedParts } from './sigv4.js';

/** A permanent key; `sessionToken` when its holder must also present one (function environments). */
export type KnownKey = AccessKey & { sessionToken?: string };

const INVALID_TOKEN = 'The security token included in the request is invalid.';

export class SignatureVerifier implements Authenticator {
  readonly verifies = true;
  private readonly keys: ReadonlyMap<string, KnownKey>;

  constructor(
    keys: readonly KnownKey[],
    private readonly sessions: SessionRepo,
    private readonly clock: Clock,
  ) {
    this.keys = new Map(keys.map((k) => [k.accessKeyId, k]));
  }

  async authenticate(req: SignableRequest, opts: AuthOptions = {}): Promise<Authenticated> {
    const signed = parseSignature(req);
    const { secret, accountId } = await this.secretOf(signed);
    checkTime(signed, this.clock.now());
    if (opts.service !== undefined && signed.scope.service !== opts.service) throw new SignatureRefused('mismatch', MISMATCH);
    await verifySignature(req, signed, secret);
    const principal = { accessKeyId: signed.accessKeyId, sessionToken: signed.sessionToken, ...(accountId !== undefined ? { accountId } : {}) };
    return req.stream ? { ...principal, stream: await checkedStream(req, req.stream, signed, secret) } : principal;
  }

  async authenticatePolicy(signed: PolicySignature): Promise<Principal> {
    const scope = parseCredential(signed.credential);
    if (!scope) throw new SignatureRefused('incomplete', `Invalid credential: ${signed.credential}`);
    const parts: SignedParts = { accessKeyId: scope.accessKeyId, amzDate: '', scope, signedHeaders: [], signature: signed.signature, sessionToken: signed.sessionToken, expiresIn: undefined };
    const { secret, accountId } = await this.secretOf(parts);
    // The policy's own expiration bounds its life, not the signing time.
    await verifyPolicySignature(signed.policy, parts, secret);
    return { accessKeyId: scope.accessKeyId, sessionToken: signed.sessionToken, ...(accountId !== undefined ? { accountId } : {}) };
  }

  /** The secret to check the signature with; STS sessions act in their identity's account, which STS finds itself. */
  private async secretOf(p: SignedParts): Promise<{ secret: string; accountId?: string }> {
    const key = this.keys.get(p.accessKeyId);
    if (key) {
      if (key.sessionToken !== undefined && p.sessionToken !== key.sessionToken) throw new SignatureRefused('unknownKey', INVALID_TOKEN);
      return { secret: key.secretAccessKey, accountId: key.accountId };
    }
    const session = await this.sessions.get(p.accessKeyId);
    if (!session || p.sessionToken !== session.sessionToken) throw new SignatureRefused('unknownKey', INVALID_TOKEN);
    if (session.expiresAt <= this.clock.now()) throw new SignatureRefused('expiredToken', 'The security token included in the request is expired');
    return { secret: session.secretAccessKey };
  }
}
