/** Secrets Manager (json 1.1, `secretsmanager.*`). Parse, call the secret and rotation services, render. */
import type { RotationService } from '../rotation.js';
import { randomPassword } from '../random-password.js';
import type { SecretService } from '../secret-service.js';
import { AwsError, SecretsManagerErrors } from '../../../wire/errors.js';
import { secretsManagerServiceModel } from '../../../wire/model.js';
import { typedHandlers, type Input, type ServiceBinding } from '../../../api/service.js';
import { matchesFilters, pageOffset, pageToken } from './list-filters.js';
import { describeOut, listEntryOut, tagsIn, valueIn, valueOut } from './render.js';
import type { SecretsmanagerInputs } from '../../../wire/inputs/secretsmanager.js';


const DEFAULT_PAGE = 100;
const BATCH_PAGE = 20;

export function secretsManagerBinding(secrets: SecretService, rotation: RotationService): ServiceBinding {
  return {
    models: [secretsManagerServiceModel],
    handlers: typedHandlers<SecretsmanagerInputs>({
      async CreateSecret(i) {
        const value = valueIn(i);
        const out = await secrets.create({
          name: i.Name,
          ...(i.ClientRequestToken !== undefined ? { token: i.ClientRequestToken } : {}),
          ...(i.Description !== undefined ? { description: i.Description } : {}),
          ...(i.KmsKeyId !== undefined ? { kmsKeyId: i.KmsKeyId } : {}),
          ...(value !== undefined ? { value } : {}),
          tags: tagsIn(i.Tags),
        });
        return { ARN: out.record.arn, Name: out.record.name, VersionId: out.versionId };
      },

      async GetSecretValue(i) {
        const { record, version, value } = await secrets.getValue(i.SecretId, i.VersionId, i.VersionStage);
        return { ARN: record.arn, Name: record.name, VersionId: version.versionId, ...valueOut(value), VersionStages: version.stages, CreatedDate: version.createdAt / 1000 };
      },

      async BatchGetSecretValue(i) {
        if ((i.SecretIdList === undefined) === (i.Filters === undefined)) {
          throw SecretsManagerErrors.invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
        }
        const offset = pageOffset(i.NextToken);
        const limit = i.MaxResults ?? BATCH_PAGE;
        const ids = i.SecretIdList ?? (await secrets.all(false)).filter((r) => matchesFilters(r, i.Filters!)).map((r) => r.arn);
        const page = ids.slice(offset, offset + limit);
        const values: Input[] = [];
        const errors: Input[] = [];
        for (const id of page) {
          try {
            const { record, version, value } = await secrets.getValue(id);
            values.push({ ARN: record.arn, Name: record.name, VersionId: version.versionId, ...valueOut(value), VersionStages: version.stages, CreatedDate: version.createdAt / 1000 });
          } catch (err) {
            if (!(err instanceof AwsError)) throw err;
            errors.push({ SecretId: id, ErrorCode: err.kind.name, Message: err.message });
          }
        }
        return { SecretValues: values, Errors: errors, NextToken: offset + limit < ids.length ? pageToken(offset + limit) : undefined };
      },

      async PutSecretValue(i) {
        const value = valueIn(i);
        if (value === undefined) throw SecretsManagerErrors.invalidRequest('You must provide either SecretString or SecretBinary.');
        const { record, version } = await secrets.putValue(i.SecretId, i.ClientRequestToken, value, i.VersionStages);
        return { ARN: record.arn, Name: record.name, VersionId: version.versionId, VersionStages: version.stages };
      },

      async UpdateSecret(i) {
        const value = valueIn(i);
        const { record, versionId } = await secrets.update(i.SecretId, {
          ...(i.ClientRequestToken !== undefined ? { token: i.ClientRequestToken } : {}),
          ...(i.Description !== undefined ? { description: i.Description } : {}),
          ...(i.KmsKeyId !== undefined ? { kmsKeyId: i.KmsKeyId } : {}),
          ...(value !== undefined ? { value } : {}),
        });
        return { ARN: record.arn, Name: record.name, VersionId: versionId };
      },

      async DescribeSecret(input) {
        return describeOut(await secrets.describe(input.SecretId));
      },

      async ListSecrets(i) {
        const all = (await secrets.all(i.IncludePlannedDeletion ?? false)).filter((r) => matchesFilters(r, i.Filters ?? []));
        if (i.SortOrder === 'desc') all.reverse();
        const offset = pageOffset(i.NextToken);
        const limit = i.MaxResults ?? DEFAULT_PAGE;
        return { SecretList: all.slice(offset, offset + limit).map(listEntryOut), NextToken: offset + limit < all.length ? pageToken(offset + limit) : undefined };
      },

      async ListSecretVersionIds(i) {
        const record = await secrets.describe(i.SecretId);
        const versions = record.versions.filter((v) => i.IncludeDeprecated || v.stages.length > 0);
        const offset = pageOffset(i.NextToken);
        const limit = i.MaxResults ?? DEFAULT_PAGE;
        return {
          Versions: versions.slice(offset, offset + limit).map((v) => ({ VersionId: v.versionId, VersionStages: v.stages, CreatedDate: v.createdAt / 1000 })),
          NextToken: offset + limit < versions.length ? pageToken(offset + limit) : undefined,
          ARN: record.arn,
          Name: record.name,
        };
      },

      async DeleteSecret(i) {
        const record = await secrets.delete(i.SecretId, {
          ...(i.RecoveryWindowInDays !== undefined ? { recoveryWindowDays: i.RecoveryWindowInDays } : {}),
          force: i.ForceDeleteWithoutRecovery ?? false,
        });
        return { ARN: record.arn, Name: record.name, DeletionDate: (record.purgeAt ?? record.deletedAt!) / 1000 };
      },

      async RestoreSecret(input) {
        const record = await secrets.restore(input.SecretId);
        return { ARN: record.arn, Name: record.name };
      },

      async TagResource(i) {
        await secrets.tag(i.SecretId, tagsIn(i.Tags));
        return {};
      },

      async UntagResource(i) {
        await secrets.untag(i.SecretId, i.TagKeys);
        return {};
      },

      async UpdateSecretVersionStage(i) {
        const record = await secrets.updateVersionStage(i.SecretId, i.VersionStage, i.RemoveFromVersionId, i.MoveToVersionId);
        return { ARN: record.arn, Name: record.name };
      },

      async GetRandomPassword(i) {
        return {
          RandomPassword: randomPassword({
            length: i.PasswordLength ?? 32,
            excludeCharacters: i.ExcludeCharacters ?? '',
            excludeNumbers: i.ExcludeNumbers ?? false,
            excludePunctuation: i.ExcludePunctuation ?? false,
            excludeUppercase: i.ExcludeUppercase ?? false,
            excludeLowercase: i.ExcludeLowercase ?? false,
            includeSpace: i.IncludeSpace ?? false,
            requireEachIncludedType: i.RequireEachIncludedType ?? true,
          }),
        };
      },

      async RotateSecret(i) {
        const rules = i.RotationRules;
        const { record, versionId } = await rotation.rotate(i.SecretId, {
          ...(i.ClientRequestToken !== undefined ? { token: i.ClientRequestToken } : {}),
          ...(i.RotationLambdaARN !== undefined ? { lambdaArn: i.RotationLambdaARN } : {}),
          ...(rules !== undefined ? { rules: { afterDays: rules.AutomaticallyAfterDays, scheduleExpression: rules.ScheduleExpression, duration: rules.Duration } } : {}),
          ...(i.RotateImmediately !== undefined ? { immediately: i.RotateImmediately } : {}),
        });
        return { ARN: record.arn, Name: record.name, VersionId: versionId };
      },

      async CancelRotateSecret(input) {
        const record = await rotation.cancel(input.SecretId);
        return { ARN: record.arn, Name: record.name };
      },
    }),
  };
}
