/** STS: who is calling, and temporary credentials (query protocol). Parse, call the identity service, render. */
import { Identities, type IssuedSession } from '../../../security/identities.js';
import { ProtocolErrors, StsErrors } from '../../../wire/errors.js';
import { stsServiceModel } from '../../../wire/model.js';
import { typedHandlers, type ServiceBinding } from '../../../api/service.js';
import type { StsInputs } from '../../../wire/inputs/sts.js';

// STS's defaults when the caller names no duration.
const ROLE_SESSION_SECONDS = 3600;
const SESSION_TOKEN_SECONDS = 12 * 3600;

const credentials = ({ session }: IssuedSession) => ({
  AccessKeyId: session.accessKeyId,
  SecretAccessKey: session.secretAccessKey,
  SessionToken: session.sessionToken,
  Expiration: Math.floor(session.expiresAt / 1000),
});

export function stsBinding(identities: Identities): ServiceBinding {
  return {
    models: [stsServiceModel],
    handlers: typedHandlers<StsInputs>({
      async GetCallerIdentity(_input, ctx) {
        const who = await identities.callerOf(ctx.principal);
        return { UserId: who.userId, Account: who.account, Arn: who.arn };
      },

      async AssumeRole(i) {
        if (!Identities.isRoleArn(i.RoleArn)) throw ProtocolErrors.validation(`${i.RoleArn} is invalid`);
        if (i.Policy !== undefined) checkPolicy(i.Policy);
        const issued = await identities.assumeRole({
          roleArn: i.RoleArn,
          sessionName: i.RoleSessionName,
          durationSeconds: i.DurationSeconds ?? ROLE_SESSION_SECONDS,
        });
        return { Credentials: credentials(issued), AssumedRoleUser: issued.assumedRoleUser, SourceIdentity: i.SourceIdentity };
      },

      async GetSessionToken(i, ctx) {
        return { Credentials: credentials(await identities.sessionToken(ctx.principal, i.DurationSeconds ?? SESSION_TOKEN_SECONDS)) };
      },
    }),
  };
}

/** A session policy must at least be a JSON object; what it allows is not enforced (yet). */
function checkPolicy(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw StsErrors.malformedPolicyDocument('The policy is not in the valid JSON format.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw StsErrors.malformedPolicyDocument('The policy is not in the valid JSON format.');
  }
}
