/** AWS::SSM::Parameter, AWS::SecretsManager::Secret and RotationSchedule, AWS::KMS::Key and AWS::KMS::Alias, through their services' own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, int, InvalidProperty, json, obj, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

// --- SSM Parameter Store ---

const PARAMETER = 'AWS::SSM::Parameter';
const PARAMETER_PROPS = ['Name', 'Type', 'Value', 'Description', 'AllowedPattern', 'Tier', 'Policies', 'DataType', 'Tags'];
/** A parameter's tags are a map in templates (`{ "team": "a" }`), a list in the API. */
const parameterTags = (props: Properties, ctx: ResourceContext) => {
  const map = obj(props, 'Tags') ?? {};
  return tagsOf({ Tags: Object.entries(map).map(([Key, Value]) => ({ Key, Value })) }, ctx);
};
function putParameter(name: string, props: Properties): Record<string, unknown> {
  const type = str(props, 'Type') ?? 'String';
  // CloudFormation itself creates String and StringList parameters only.
  if (type === 'SecureString') throw new InvalidProperty(PARAMETER, 'Type', 'cannot be SecureString: CloudFormation creates String and StringList parameters only.');
  return {
    Name: name,
    Value: str(props, 'Value') ?? '',
    Type: type,
    ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
    ...(str(props, 'AllowedPattern') !== undefined ? { AllowedPattern: str(props, 'AllowedPattern') } : {}),
    ...(str(props, 'Tier') !== undefined ? { Tier: str(props, 'Tier') } : {}),
    ...(json(props, 'Policies') !== undefined ? { Policies: json(props, 'Policies') } : {}),
    ...(str(props, 'DataType') !== undefined ? { DataType: str(props, 'DataType') } : {}),
  };
}
const parameterAttributes = (name: string, props: Properties) => ({ physicalId: name, attributes: { Type: str(props, 'Type') ?? 'String', Value: str(props, 'Value') ?? '' } });

const parameter: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(PARAMETER, props, PARAMETER_PROPS);
    const name = str(props, 'Name') ?? ctx.physicalName(2048);
    const tags = parameterTags(props, ctx);
    await ctx.call('ssm', 'PutParameter', { ...putParameter(name, props), ...(tags.length > 0 ? { Tags: tags } : {}) });
    return parameterAttributes(name, props);
  },
  async update(name, props, previous, ctx) {
    onlyKnown(PARAMETER, props, PARAMETER_PROPS);
    if (PARAMETER_PROPS.some((k) => k !== 'Tags' && changed(props, previous, k))) await ctx.call('ssm', 'PutParameter', { ...putParameter(name, props), Overwrite: true });
    const want = parameterTags(props, ctx);
    const had = parameterTags(previous, ctx);
    const removed = had.filter((t) => !want.some((w) => w.Key === t.Key)).map((t) => t.Key);
    if (removed.length > 0) await ctx.call('ssm', 'RemoveTagsFromResource', { ResourceType: 'Parameter', ResourceId: name, TagKeys: removed });
    const put = want.filter((t) => !had.some((h) => h.Key === t.Key && h.Value === t.Value));
    if (put.length > 0) await ctx.call('ssm', 'AddTagsToResource', { ResourceType: 'Parameter', ResourceId: name, Tags: put });
    return parameterAttributes(name, props);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('ssm', 'DeleteParameter', { Name: name }), 'ParameterNotFound');
  },
};

// --- Secrets Manager ---

const SECRET = 'AWS::SecretsManager::Secret';
const SECRET_PROPS = ['Name', 'Description', 'KmsKeyId', 'SecretString', 'GenerateSecretString', 'Tags', 'ReplicaRegions'];
const PASSWORD_OPTIONS = ['ExcludeCharacters', 'ExcludeLowercase', 'ExcludeNumbers', 'ExcludePunctuation', 'ExcludeUppercase', 'IncludeSpace', 'PasswordLength', 'RequireEachIncludedType'];

/** The secret's value: given, or generated as CloudFormation does (a password, or a JSON template with the password under a key). */
async function secretValue(ctx: ResourceContext, props: Properties): Promise<string | undefined> {
  const given = str(props, 'SecretString');
  const generate = obj(props, 'GenerateSecretString');
  if (given !== undefined && generate) throw new InvalidProperty(SECRET, 'SecretString', 'and GenerateSecretString cannot both be given.');
  if (!generate) return given;
  const options: Record<string, unknown> = {};
  for (const key of PASSWORD_OPTIONS) {
    if (generate[key] === undefined) continue;
    options[key] = key === 'PasswordLength' ? int(generate, key) : key === 'ExcludeCharacters' ? str(generate, key) : bool(generate, key);
  }
  const password = (await ctx.call('secretsmanager', 'GetRandomPassword', options))['RandomPassword'] as string;
  const template = str(generate, 'SecretStringTemplate');
  const key = str(generate, 'GenerateStringKey');
  if (template === undefined && key === undefined) return password;
  if (template === undefined || key === undefined) throw new InvalidProperty(SECRET, 'GenerateSecretString', 'needs both SecretStringTemplate and GenerateStringKey, or neither.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    throw new InvalidProperty(SECRET, 'GenerateSecretString.SecretStringTemplate', 'must be a JSON object.');
  }
  return JSON.stringify({ ...(parsed as Record<string, unknown>), [key]: password });
}

const secret: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(SECRET, props, SECRET_PROPS);
    if (props['ReplicaRegions'] !== undefined) throw new UnsupportedProperty(SECRET, 'ReplicaRegions', 'this server serves one region.');
    const tags = tagsOf(props, ctx);
    const value = await secretValue(ctx, props);
    const out = await ctx.call('secretsmanager', 'CreateSecret', {
      Name: str(props, 'Name') ?? ctx.physicalName(256),
      ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
      ...(str(props, 'KmsKeyId') !== undefined ? { KmsKeyId: str(props, 'KmsKeyId') } : {}),
      ...(value !== undefined ? { SecretString: value } : {}),
      ...(tags.length > 0 ? { Tags: tags } : {}),
    });
    const arn = out['ARN'] as string;
    return { physicalId: arn, ref: arn, attributes: { Id: arn } };
  },
  async update(arn, props, previous, ctx) {
    onlyKnown(SECRET, props, SECRET_PROPS);
    if (props['ReplicaRegions'] !== undefined) throw new UnsupportedProperty(SECRET, 'ReplicaRegions', 'this server serves one region.');
    const newValue = changed(props, previous, 'SecretString') || changed(props, previous, 'GenerateSecretString');
    if (newValue || changed(props, previous, 'Description') || changed(props, previous, 'KmsKeyId')) {
      const value = newValue ? await secretValue(ctx, props) : undefined;
      await ctx.call('secretsmanager', 'UpdateSecret', {
        SecretId: arn,
        Description: str(props, 'Description') ?? '',
        ...(str(props, 'KmsKeyId') !== undefined ? { KmsKeyId: str(props, 'KmsKeyId') } : {}),
        ...(value !== undefined ? { SecretString: value } : {}),
      });
    }
    await syncTags(ctx, props, previous, (Tags) => ctx.call('secretsmanager', 'TagResource', { SecretId: arn, Tags }), (TagKeys) => ctx.call('secretsmanager', 'UntagResource', { SecretId: arn, TagKeys }));
    return { physicalId: arn, ref: arn, attributes: { Id: arn } };
  },
  /** At once, with no recovery window, as CloudFormation deletes secrets. */
  async delete(arn, _props, ctx) {
    await gone(ctx.call('secretsmanager', 'DeleteSecret', { SecretId: arn, ForceDeleteWithoutRecovery: true }), 'ResourceNotFoundException');
  },
};

const ROTATION = 'AWS::SecretsManager::RotationSchedule';
const ROTATION_PROPS = ['SecretId', 'RotationLambdaARN', 'RotationRules', 'RotateImmediatelyOnUpdate', 'HostedRotationLambda', 'ExternalSecretRotationMetadata', 'ExternalSecretRotationRoleArn'];

function rotateSecretInput(props: Properties): Record<string, unknown> {
  onlyKnown(ROTATION, props, ROTATION_PROPS);
  if (props['HostedRotationLambda'] !== undefined) throw new UnsupportedProperty(ROTATION, 'HostedRotationLambda', 'it needs the AWS::SecretsManager-2024-09-16 transform; give RotationLambdaARN, a function of this server, instead.');
  for (const k of ['ExternalSecretRotationMetadata', 'ExternalSecretRotationRoleArn']) {
    if (props[k] !== undefined) throw new UnsupportedProperty(ROTATION, k, 'Secrets Manager here rotates with a Lambda function only.');
  }
  const rules = obj(props, 'RotationRules');
  return {
    SecretId: str(props, 'SecretId') ?? '',
    ...(str(props, 'RotationLambdaARN') !== undefined ? { RotationLambdaARN: str(props, 'RotationLambdaARN') } : {}),
    ...(rules
      ? {
          RotationRules: {
            ...(int(rules, 'AutomaticallyAfterDays') !== undefined ? { AutomaticallyAfterDays: int(rules, 'AutomaticallyAfterDays') } : {}),
            ...(str(rules, 'ScheduleExpression') !== undefined ? { ScheduleExpression: str(rules, 'ScheduleExpression') } : {}),
            ...(str(rules, 'Duration') !== undefined ? { Duration: str(rules, 'Duration') } : {}),
          },
        }
      : {}),
  };
}
/** Ref and Id are the secret's ARN, as AWS defines them. */
const rotationAttributes = (arn: string) => ({ physicalId: arn, ref: arn, attributes: { Id: arn } });

/**
 * The secret's rotation, set with RotateSecret: created, the secret rotates at once through its
 * function's four steps; updated, at once unless RotateImmediatelyOnUpdate is false; deleted, automatic
 * rotation is cancelled (CancelRotateSecret).
 */
const rotationSchedule: ResourceProvider = {
  replaceOn: ['SecretId'],
  async create(props, ctx) {
    const input = rotateSecretInput(props);
    try {
      return rotationAttributes((await ctx.call('secretsmanager', 'RotateSecret', { ...input, RotateImmediately: true }))['ARN'] as string);
    } catch (err) {
      // A rotation that failed leaves rotation turned on: the failed resource turns it off, as it was.
      await ctx.call('secretsmanager', 'CancelRotateSecret', { SecretId: input['SecretId'] }).catch(() => undefined);
      throw err;
    }
  },
  async update(arn, props, _previous, ctx) {
    const input = rotateSecretInput(props);
    const out = await ctx.call('secretsmanager', 'RotateSecret', { ...input, SecretId: arn, RotateImmediately: bool(props, 'RotateImmediatelyOnUpdate') ?? true });
    return rotationAttributes(out['ARN'] as string);
  },
  async delete(arn, _props, ctx) {
    await gone(ctx.call('secretsmanager', 'CancelRotateSecret', { SecretId: arn }), 'ResourceNotFoundException');
  },
};

// --- KMS ---

const KEY = 'AWS::KMS::Key';
const KEY_PROPS = [
  'Description', 'Enabled', 'EnableKeyRotation', 'KeyPolicy', 'KeySpec', 'KeyUsage', 'MultiRegion', 'Origin', 'PendingWindowInDays', 'Tags',
  'BypassPolicyLockoutSafetyCheck', 'RotationPeriodInDays',
];
const kmsTags = (tags: { Key: string; Value: string }[]) => tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value }));

function refuseKeyFeatures(props: Properties): void {
  if (bool(props, 'EnableKeyRotation')) throw new UnsupportedProperty(KEY, 'EnableKeyRotation', 'KMS here does not rotate key material.');
  if (bool(props, 'MultiRegion')) throw new UnsupportedProperty(KEY, 'MultiRegion', 'this server serves one region.');
}

const keyAttributes = (out: Record<string, unknown>) => ({ physicalId: out['KeyId'] as string, attributes: { Arn: out['Arn'], KeyId: out['KeyId'] } });

// KeyPolicy is accepted and not kept: no policy is evaluated anywhere in Selfless yet (see the README's security section).
const key: ResourceProvider = {
  replaceOn: ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
  async create(props, ctx) {
    onlyKnown(KEY, props, KEY_PROPS);
    refuseKeyFeatures(props);
    const tags = tagsOf(props, ctx);
    const out = await ctx.call('kms', 'CreateKey', {
      ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
      ...(str(props, 'KeySpec') !== undefined ? { KeySpec: str(props, 'KeySpec') } : {}),
      ...(str(props, 'KeyUsage') !== undefined ? { KeyUsage: str(props, 'KeyUsage') } : {}),
      ...(str(props, 'Origin') !== undefined ? { Origin: str(props, 'Origin') } : {}),
      ...(tags.length > 0 ? { Tags: kmsTags(tags) } : {}),
    });
    const meta = out['KeyMetadata'] as Record<string, unknown>;
    return orUndo(
      async () => {
        if (bool(props, 'Enabled') === false) await ctx.call('kms', 'DisableKey', { KeyId: meta['KeyId'] });
        return keyAttributes(meta);
      },
      () => key.delete(meta['KeyId'] as string, { PendingWindowInDays: 7 }, ctx),
    );
  },
  async update(keyId, props, previous, ctx) {
    onlyKnown(KEY, props, KEY_PROPS);
    refuseKeyFeatures(props);
    if (changed(props, previous, 'Description')) await ctx.call('kms', 'UpdateKeyDescription', { KeyId: keyId, Description: str(props, 'Description') ?? '' });
    if (changed(props, previous, 'Enabled')) await ctx.call('kms', bool(props, 'Enabled') === false ? 'DisableKey' : 'EnableKey', { KeyId: keyId });
    await syncTags(ctx, props, previous, (tags) => ctx.call('kms', 'TagResource', { KeyId: keyId, Tags: kmsTags(tags) }), (TagKeys) => ctx.call('kms', 'UntagResource', { KeyId: keyId, TagKeys }));
    return keyAttributes((await ctx.call('kms', 'DescribeKey', { KeyId: keyId }))['KeyMetadata'] as Record<string, unknown>);
  },
  /** Scheduled for deletion after PendingWindowInDays (30 unless given), as CloudFormation deletes keys. */
  async delete(keyId, props, ctx) {
    try {
      await ctx.call('kms', 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: int(props, 'PendingWindowInDays') ?? 30 });
    } catch (err) {
      // Gone, or already waiting to go.
      await gone(Promise.reject(err), 'NotFoundException', 'KMSInvalidStateException');
    }
  },
};

const alias: ResourceProvider = {
  replaceOn: ['AliasName'],
  async create(props, ctx) {
    onlyKnown('AWS::KMS::Alias', props, ['AliasName', 'TargetKeyId']);
    const name = str(props, 'AliasName') ?? '';
    await ctx.call('kms', 'CreateAlias', { AliasName: name, TargetKeyId: str(props, 'TargetKeyId') ?? '' });
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, _previous, ctx) {
    onlyKnown('AWS::KMS::Alias', props, ['AliasName', 'TargetKeyId']);
    await ctx.call('kms', 'UpdateAlias', { AliasName: name, TargetKeyId: str(props, 'TargetKeyId') ?? '' });
    return { physicalId: name, attributes: {} };
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('kms', 'DeleteAlias', { AliasName: name }), 'NotFoundException');
  },
};

export const secretsProviders: Record<string, ResourceProvider> = {
  [PARAMETER]: parameter,
  [SECRET]: secret,
  [ROTATION]: rotationSchedule,
  [KEY]: key,
  'AWS::KMS::Alias': alias,
};
