/**
 * Who a caller is, and temporary credentials for them: what STS answers. A key is a user named
 * after it, in the account the credentials file gives it (or the server's), a request signed with
 * none is the account's root, and a key this service issued acts as the identity it was issued for
 * (an assumed role, or the user who asked for a session token). Issued sessions are stored, so that
 * the verifier (./verifier.ts) finds their secrets and refuses them once expired.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Identity, SessionRecord } from '../domain/session.js';
import type { Clock } from '../lib/clock.js';
import type { SessionRepo } from '../storage/store.js';
import type { Principal } from './authenticator.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `length` characters of AWS's id alphabet (upper-case letters and 2-7), from `bytes`. */
function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[bytes[i % bytes.length]! % 32];
  return out;
}

/** The same id for the same name every time: `AIDA` + 17 characters, as IAM's unique ids look. */
const stableId = (prefix: string, name: string) => prefix + base32(createHash('sha256').update(name).digest(), 17);

/** `arn:aws:iam::123456789012:role/path/Name` → its account and name. */
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

export interface RoleRequest {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
}

export interface IssuedSession {
  session: SessionRecord;
  /** For an assumed role: the role session's id and ARN. */
  assumedRoleUser?: { AssumedRoleId: string; Arn: string };
}

/** Expired sessions are deleted at most this often: housekeeping only (the verifier refuses an expired one). */
export const PRUNE_INTERVAL_MS = 60_000;

export class Identities {
  private lastPrune = -Infinity;

  constructor(
    private readonly repo: SessionRepo,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}

  /** Whether `arn` names an IAM role, which AssumeRole needs. */
  static isRoleArn(arn: string): boolean {
    return ROLE_ARN.test(arn);
  }

  async callerOf(principal: Principal): Promise<Identity> {
    const key = principal.accessKeyId;
    if (key === undefined) return { account: this.accountId, arn: `arn:aws:iam::${this.accountId}:root`, userId: this.accountId };
    const session = await this.repo.get(key);
    if (session) return session.identity;
    const account = principal.accountId ?? this.accountId;
    return { account, arn: `arn:aws:iam::${account}:user/${key}`, userId: stableId('AIDA', key) };
  }

  async assumeRole(r: RoleRequest): Promise<IssuedSession> {
    const [, account, name] = ROLE_ARN.exec(r.roleArn)!;
    const roleId = stableId('AROA', r.roleArn);
    const identity: Identity = {
      account: account!,
      arn: `arn:aws:sts::${account}:assumed-role/${name}/${r.sessionName}`,
      userId: `${roleId}:${r.sessionName}`,
    };
    const session = await this.issue(identity, r.durationSeconds);
    return { session, assumedRoleUser: { AssumedRoleId: identity.userId, Arn: identity.arn } };
  }

  /** Temporary credentials acting as the caller itself. */
  async sessionToken(caller: Principal, durationSeconds: number): Promise<IssuedSession> {
    return { session: await this.issue(await this.callerOf(caller), durationSeconds) };
  }

  private async issue(identity: Identity, durationSeconds: number): Promise<SessionRecord> {
    const now = this.clock.now();
    // Not once per session issued: every environment's start issues one, and each prune is a write.
    if (now - this.lastPrune >= PRUNE_INTERVAL_MS) {
      this.lastPrune = now;
      await this.repo.prune(now);
    }
    const session: SessionRecord = {
      accessKeyId: `ASIA${base32(randomBytes(16), 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiresAt: now + durationSeconds * 1000,
      identity,
    };
    await this.repo.put(session);
    return session;
  }
}
