/** AWS::Logs::LogGroup and AWS::Logs::ResourcePolicy, through CloudWatch Logs' own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { changed, gone, int, json, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const GROUP = 'AWS::Logs::LogGroup';
const KNOWN = ['LogGroupName', 'RetentionInDays', 'LogGroupClass', 'KmsKeyId', 'Tags', 'DataProtectionPolicy', 'DeletionProtectionEnabled'];

/** What CloudWatch Logs here does not serve, refused rather than ignored. */
function refuseUnserved(props: Properties): void {
  if (props['DataProtectionPolicy'] !== undefined) throw new UnsupportedProperty(GROUP, 'DataProtectionPolicy', 'log data protection is not served.');
}

async function applyRetention(ctx: ResourceContext, name: string, props: Properties): Promise<void> {
  const days = int(props, 'RetentionInDays');
  if (days !== undefined) await ctx.call('logs', 'PutRetentionPolicy', { logGroupName: name, retentionInDays: days });
  else await ctx.call('logs', 'DeleteRetentionPolicy', { logGroupName: name });
}

/** CloudWatch Logs takes tags as a map. */
const tagMap = (tags: { Key: string; Value: string }[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

const attributes = (ctx: ResourceContext, name: string) => ({ physicalId: name, attributes: { Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*` } });

const logGroup: ResourceProvider = {
  replaceOn: ['LogGroupName', 'LogGroupClass', 'KmsKeyId'],
  async create(props, ctx) {
    onlyKnown(GROUP, props, KNOWN);
    refuseUnserved(props);
    // A group without a name gets a generated one, as CloudFormation names it.
    const name = str(props, 'LogGroupName') ?? ctx.physicalName(512);
    const tags = tagMap(tagsOf(props, ctx));
    await ctx.call('logs', 'CreateLogGroup', {
      logGroupName: name,
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
      ...(str(props, 'LogGroupClass') !== undefined ? { logGroupClass: str(props, 'LogGroupClass') } : {}),
      ...(str(props, 'KmsKeyId') !== undefined ? { kmsKeyId: str(props, 'KmsKeyId') } : {}),
      ...(props['DeletionProtectionEnabled'] !== undefined ? { deletionProtectionEnabled: props['DeletionProtectionEnabled'] === true || props['DeletionProtectionEnabled'] === 'true' } : {}),
    });
    return orUndo(
      async () => {
        if (int(props, 'RetentionInDays') !== undefined) await applyRetention(ctx, name, props);
        return attributes(ctx, name);
      },
      () => logGroup.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(GROUP, props, KNOWN);
    refuseUnserved(props);
    if (changed(props, previous, 'DeletionProtectionEnabled')) throw new UnsupportedProperty(GROUP, 'DeletionProtectionEnabled', 'log groups are not protected from deletion here.');
    if (changed(props, previous, 'RetentionInDays')) await applyRetention(ctx, name, props);
    const arn = `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
    await syncTags(ctx, props, previous, (t) => ctx.call('logs', 'TagResource', { resourceArn: arn, tags: tagMap(t) }), (tagKeys) => ctx.call('logs', 'UntagResource', { resourceArn: arn, tagKeys }));
    return attributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('logs', 'DeleteLogGroup', { logGroupName: name }), 'ResourceNotFoundException');
  },
};

const POLICY = 'AWS::Logs::ResourcePolicy';
const POLICY_KNOWN = ['PolicyName', 'PolicyDocument'];

/** A resource policy (Ref: its name): stored, not enforced. */
const putPolicy = (ctx: ResourceContext, name: string, props: Properties) =>
  ctx.call('logs', 'PutResourcePolicy', { policyName: name, policyDocument: json(props, 'PolicyDocument') ?? '' });

const resourcePolicy: ResourceProvider = {
  replaceOn: ['PolicyName'],
  async create(props, ctx) {
    onlyKnown(POLICY, props, POLICY_KNOWN);
    const name = str(props, 'PolicyName') ?? ctx.physicalName(255);
    await putPolicy(ctx, name, props);
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, _previous, ctx) {
    onlyKnown(POLICY, props, POLICY_KNOWN);
    await putPolicy(ctx, name, props);
    return { physicalId: name, attributes: {} };
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('logs', 'DeleteResourcePolicy', { policyName: name }), 'ResourceNotFoundException');
  },
};

export const logsProviders: Record<string, ResourceProvider> = { [GROUP]: logGroup, [POLICY]: resourcePolicy };
