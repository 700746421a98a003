/** IAM's ARNs and unique ids. IAM is global: its ARNs name no region. */
import { randomInt } from 'node:crypto';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id as IAM makes them: a four-letter prefix by kind (AROA role, ANPA policy, AIPA instance profile) and 17 more. */
export function uniqueId(prefix: 'AROA' | 'ANPA' | 'AIPA'): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_CHARS[randomInt(ID_CHARS.length)];
  return id;
}

export const iamArn = (accountId: string, kind: 'role' | 'policy' | 'instance-profile', path: string, name: string): string =>
  `arn:aws:iam::${accountId}:${kind}${path}${name}`;

/** AWS managed policies (`arn:aws:iam::aws:policy/...`) exist in every account: they attach without being created. */
export const isAwsManagedPolicy = (arn: string): boolean => arn.startsWith('arn:aws:iam::aws:policy/');

/** The last segment of a policy ARN: its name. */
export const policyNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** IAM's names ignore case: one key for `MyRole` and `myrole`. */
export const nameKey = (name: string): string => name.toLowerCase();

