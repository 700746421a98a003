/** Secrets Manager's wire shapes (timestamps in epoch seconds). */
import type { Tag } from '../../../domain/kms.js';
import type { SecretRecord } from '../../../domain/secret.js';
import type { SecretValue } from '../secret-values.js';
import { SecretsManagerErrors } from '../../../wire/errors.js';
import { present } from '../../../wire/validate.js';
import type { Input } from '../../../api/service.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** A tag as the model has it: both members optional; a tag without a key is refused, one without a value has an empty one. */
export type WireTag = { Key?: string; Value?: string };
export const tagsIn = (tags: WireTag[] | undefined): Tag[] =>
  (tags ?? []).map((t, n) => ({ key: present(t.Key, `tags.${n + 1}.member.key`), value: t.Value ?? '' }));
const tagsOut = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));

/** SecretString or SecretBinary, exactly one. */
export function valueIn(i: { SecretString?: string; SecretBinary?: Buffer }): SecretValue | undefined {
  if (i.SecretString !== undefined && i.SecretBinary !== undefined) {
    throw SecretsManagerErrors.invalidParameter('You can\'t specify both a binary secret value and a string secret value in the same secret.');
  }
  if (i.SecretString !== undefined) return { kind: 'string', text: i.SecretString };
  if (i.SecretBinary !== undefined) return { kind: 'binary', bytes: i.SecretBinary };
  return undefined;
}

export const valueOut = (v: SecretValue): Input => (v.kind === 'string' ? { SecretString: v.text } : { SecretBinary: v.bytes.toString('base64') });

const versionsToStages = (r: SecretRecord) => Object.fromEntries(r.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages]));

const rotationRules = (r: SecretRecord): Input | undefined => {
  const { afterDays, scheduleExpression, duration } = r.rotation;
  if (afterDays === undefined && scheduleExpression === undefined) return undefined;
  return { AutomaticallyAfterDays: afterDays, ScheduleExpression: scheduleExpression, Duration: duration };
};

/** What DescribeSecret and ListSecrets share; the version map is named differently by each. */
export function secretMetadata(r: SecretRecord): Input {
  return {
    ARN: r.arn,
    Name: r.name,
    Description: r.description,
    KmsKeyId: r.kmsKeyId,
    RotationEnabled: r.rotation.enabled,
    RotationLambdaARN: r.rotation.lambdaArn,
    RotationRules: rotationRules(r),
    LastRotatedDate: seconds(r.rotation.lastRotatedAt),
    LastChangedDate: seconds(r.lastChangedAt),
    LastAccessedDate: seconds(r.lastAccessedAt),
    DeletedDate: seconds(r.deletedAt),
    NextRotationDate: r.rotation.enabled ? seconds(r.rotation.nextRotationAt) : undefined,
    Tags: r.tags.length > 0 ? tagsOut(r.tags) : undefined,
    CreatedDate: seconds(r.createdAt),
  };
}

export const describeOut = (r: SecretRecord): Input => ({ ...secretMetadata(r), VersionIdsToStages: versionsToStages(r) });
export const listEntryOut = (r: SecretRecord): Input => ({ ...secretMetadata(r), SecretVersionsToStages: versionsToStages(r) });
