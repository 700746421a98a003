/** AWS::Kinesis::Stream, through Kinesis's own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { changed, gone, int, obj, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const STREAM = 'AWS::Kinesis::Stream';
const KNOWN = ['Name', 'ShardCount', 'StreamModeDetails', 'RetentionPeriodHours', 'StreamEncryption', 'Tags'];
/** Kinesis keeps records 24 hours unless told otherwise. */
const DEFAULT_RETENTION_HOURS = 24;

/** Server-side encryption of records is not served: refused rather than ignored. */
function refuseUnserved(props: Properties): void {
  if (props['StreamEncryption'] !== undefined) throw new UnsupportedProperty(STREAM, 'StreamEncryption', 'server-side encryption of stream records is not served.');
}

const modeOf = (props: Properties): string => str(obj(props, 'StreamModeDetails') ?? {}, 'StreamMode') ?? 'PROVISIONED';

/** Moves the retention period from what it is to what the template says, up or down. */
async function applyRetention(ctx: ResourceContext, name: string, from: number, to: number): Promise<void> {
  if (to > from) await ctx.call('kinesis', 'IncreaseStreamRetentionPeriod', { StreamName: name, RetentionPeriodHours: to });
  if (to < from) await ctx.call('kinesis', 'DecreaseStreamRetentionPeriod', { StreamName: name, RetentionPeriodHours: to });
}

const retentionOf = (props: Properties): number => int(props, 'RetentionPeriodHours') ?? DEFAULT_RETENTION_HOURS;
const tagMap = (tags: { Key: string; Value: string }[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
const attributes = (ctx: ResourceContext, name: string) => ({ physicalId: name, attributes: { Arn: `arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/${name}` } });

const stream: ResourceProvider = {
  replaceOn: ['Name'],
  async create(props, ctx) {
    onlyKnown(STREAM, props, KNOWN);
    refuseUnserved(props);
    const name = str(props, 'Name') ?? ctx.physicalName(128);
    const mode = modeOf(props);
    await ctx.call('kinesis', 'CreateStream', {
      StreamName: name,
      StreamModeDetails: { StreamMode: mode },
      // CloudFormation's default for a provisioned stream is one shard.
      ...(mode === 'PROVISIONED' ? { ShardCount: int(props, 'ShardCount') ?? 1 } : {}),
    });
    return orUndo(
      async () => {
        await applyRetention(ctx, name, DEFAULT_RETENTION_HOURS, retentionOf(props));
        const tags = tagsOf(props, ctx);
        if (tags.length > 0) await ctx.call('kinesis', 'AddTagsToStream', { StreamName: name, Tags: tagMap(tags) });
        return attributes(ctx, name);
      },
      () => stream.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(STREAM, props, KNOWN);
    refuseUnserved(props);
    const arn = attributes(ctx, name).attributes.Arn;
    if (modeOf(props) !== modeOf(previous)) await ctx.call('kinesis', 'UpdateStreamMode', { StreamARN: arn, StreamModeDetails: { StreamMode: modeOf(props) } });
    if (modeOf(props) === 'PROVISIONED' && (changed(props, previous, 'ShardCount') || modeOf(previous) !== 'PROVISIONED')) {
      await ctx.call('kinesis', 'UpdateShardCount', { StreamName: name, TargetShardCount: int(props, 'ShardCount') ?? 1, ScalingType: 'UNIFORM_SCALING' });
    }
    await applyRetention(ctx, name, retentionOf(previous), retentionOf(props));
    await syncTags(
      ctx,
      props,
      previous,
      (t) => ctx.call('kinesis', 'AddTagsToStream', { StreamName: name, Tags: tagMap(t) }),
      (keys) => ctx.call('kinesis', 'RemoveTagsFromStream', { StreamName: name, TagKeys: keys }),
    );
    return attributes(ctx, name);
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('kinesis', 'DeleteStream', { StreamName: name, EnforceConsumerDeletion: true }), 'ResourceNotFoundException');
  },
};

export const kinesisProviders: Record<string, ResourceProvider> = { [STREAM]: stream };
