/** Temporary credentials STS issued, and the identity they act as. */
import { z } from 'zod';

export const IdentitySchema = z.strictObject({
  account: z.string(),
  /** `arn:aws:iam::<account>:user/<name>`, `...:root` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: z.string(),
  /** `AIDA...` for a user, `AROA...:<session>` for an assumed role, the account id for root. */
  userId: z.string(),
});

export type Identity = z.infer<typeof IdentitySchema>;

export const SessionRecordSchema = z.strictObject({
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
  sessionToken: z.string(),
  /** Epoch milliseconds. */
  expiresAt: z.number().int(),
  identity: IdentitySchema,
});

export type SessionRecord = z.infer<typeof SessionRecordSchema>;
