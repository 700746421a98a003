/**
 * Credentials per function, as Lambda gives each function its execution role's session: the
 * environments of a function get an STS session of its role, named after the function, so that the
 * SDK inside acts as `assumed-role/<role>/<function>` and the coming policy evaluation can tell
 * functions apart. Sessions are stored (the verifier finds them) and renewed before they could
 * expire under an environment that is still alive.
 */
import type { Clock } from '../lib/clock.js';
import type { FunctionCredentials } from './authentication.js';
import { Identities } from './identities.js';

export interface CredentialHolder {
  /** The credentials new environments get now. */
  readonly current: FunctionCredentials;
  /** Issues a new session if the current one could expire while an environment started now lives. */
  refresh(): Promise<void>;
}

export class FunctionCredentialIssuer {
  private readonly holders = new Map<string, Holder>();

  constructor(
    private readonly identities: Identities,
    private readonly clock: Clock,
    /** How long an environment may live: a session given to a new one must outlast it. */
    private readonly maxEnvironmentAgeMs: number,
    /** For a role that is not an IAM role ARN: the platform's own credentials. */
    private readonly fallback: FunctionCredentials,
  ) {}

  async holder(functionName: string, roleArn: string): Promise<CredentialHolder> {
    if (!Identities.isRoleArn(roleArn)) return { current: this.fallback, refresh: async () => undefined };
    const key = `${functionName}\u0000${roleArn}`;
    let holder = this.holders.get(key);
    if (!holder) {
      holder = new Holder(() => this.issue(functionName, roleArn), this.clock, this.maxEnvironmentAgeMs);
      this.holders.set(key, holder);
    }
    await holder.refresh();
    return holder;
  }

  private async issue(functionName: string, roleArn: string): Promise<{ credentials: FunctionCredentials; expiresAt: number }> {
    // Twice an environment's life: renewed once less than one life (and a margin) remains.
    const seconds = Math.ceil((2 * this.maxEnvironmentAgeMs + MARGIN_MS) / 1000);
    const { session } = await this.identities.assumeRole({ roleArn, sessionName: functionName.slice(0, 64), durationSeconds: seconds });
    return {
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken },
      expiresAt: session.expiresAt,
    };
  }
}

const MARGIN_MS = 10 * 60_000;

class Holder implements CredentialHolder {
  private issued: { credentials: FunctionCredentials; expiresAt: number } | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly issue: () => Promise<{ credentials: FunctionCredentials; expiresAt: number }>,
    private readonly clock: Clock,
    private readonly maxEnvironmentAgeMs: number,
  ) {}

  get current(): FunctionCredentials {
    if (!this.issued) throw new Error('function credentials used before they were issued');
    return this.issued.credentials;
  }

  refresh(): Promise<void> {
    if (this.issued && this.issued.expiresAt - this.clock.now() > this.maxEnvironmentAgeMs + MARGIN_MS) return Promise.resolve();
    this.renewing ??= this.issue()
      .then((issued) => {
        this.issued = issued;
      })
      .finally(() => (this.renewing = undefined));
    return this.renewing;
  }
}
