/**
 * Credentials per function, as Lambda gives each function its execution role's session: every
 * environment of a function gets a session of its own, of the function's role and named after the
 * function, so that the SDK inside acts as `assumed-role/<role>/<function>` and the coming policy
 * evaluation can tell functions apart. A new environment gets new keys (credentials rotate as
 * environments come and go); a session outlasts the longest life an environment may have. Sessions
 * are stored, so that the verifier finds them and refuses them once expired.
 */
import type { FunctionCredentials } from './authentication.js';
import { Identities } from './identities.js';

export class FunctionCredentialIssuer {
  constructor(
    private readonly identities: Identities,
    /** How long an environment may live: its session must outlast it. */
    private readonly maxEnvironmentAgeMs: number,
    /** For a role that is not an IAM role ARN: the platform's own credentials. */
    private readonly fallback: FunctionCredentials,
  ) {}

  /** A new session of the function's role for one environment. */
  async forEnvironment(functionName: string, roleArn: string): Promise<FunctionCredentials> {
    if (!Identities.isRoleArn(roleArn)) return this.fallback;
    const seconds = Math.ceil((this.maxEnvironmentAgeMs + MARGIN_MS) / 1000);
    const { session } = await this.identities.assumeRole({ roleArn, sessionName: functionName.slice(0, 64), durationSeconds: seconds });
    return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
  }
}

/** Beyond an environment's life: an invocation still running when the environment is retired for its age. */
const MARGIN_MS = 20 * 60_000;
