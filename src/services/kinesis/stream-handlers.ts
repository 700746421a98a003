/** Stream operations: create, describe, list, delete, shards, retention, tags, mode and resharding. */
import { typedHandlers, type Input, type OperationHandler } from '../../api/service.js';
import { KinesisErrors } from '../../wire/errors.js';
import type { KinesisSystem } from './kinesis-system.js';
import { renderShard, streamRefOf, streamSummary, tagList, timestampMs } from './wire.js';
import type { KinesisInputs } from '../../wire/inputs/kinesis.js';

const OK = async (): Promise<Input> => ({});

export function streamHandlers({ streams }: KinesisSystem): Record<string, OperationHandler> {
  return typedHandlers<KinesisInputs>({
    async CreateStream(input) {
      const details = input.StreamModeDetails;
      await streams.create(input.StreamName, {
        shardCount: input.ShardCount,
        mode: details?.StreamMode,
        tags: input.Tags,
      });
      return OK();
    },

    async DescribeStream(input) {
      const s = await streams.get(streamRefOf(input));
      const visible = streams.visibleShards(s);
      const after = input.ExclusiveStartShardId;
      const limit = input.Limit ?? 100;
      const rest = after === undefined ? visible : visible.filter((x) => x.id > after);
      return {
        StreamDescription: {
          ...streamSummary(s),
          Shards: rest.slice(0, limit).map(renderShard),
          HasMoreShards: rest.length > limit,
          RetentionPeriodHours: s.retentionHours,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
        },
      };
    },

    async DescribeStreamSummary(input) {
      const s = await streams.get(streamRefOf(input));
      return {
        StreamDescriptionSummary: {
          ...streamSummary(s),
          StreamId: s.id,
          RetentionPeriodHours: s.retentionHours,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
          OpenShardCount: s.shards.filter((x) => x.endSeq === undefined).length,
          ConsumerCount: s.consumers.length,
        },
      };
    },

    async ListStreams(input) {
      const limit = input.Limit ?? 100;
      const token = input.NextToken;
      const after = token !== undefined ? decodeToken(token) : input.ExclusiveStartStreamName;
      const page = await streams.list(after, limit + 1);
      const shown = page.slice(0, limit);
      const more = page.length > limit;
      return {
        StreamNames: shown.map((s) => s.name),
        HasMoreStreams: more,
        ...(more ? { NextToken: encodeToken(shown[shown.length - 1]!.name) } : {}),
        StreamSummaries: shown.map(streamSummary),
      };
    },

    async DeleteStream(input) {
      await streams.delete(streamRefOf(input), input.EnforceConsumerDeletion ?? false);
      return OK();
    },

    async ListShards(input) {
      const token = input.NextToken;
      const ref = streamRefOf(input);
      if (token !== undefined && (ref.name !== undefined || ref.arn !== undefined)) {
        throw KinesisErrors.invalidArgument('NextToken and StreamName cannot be provided together.');
      }
      let name: string;
      let after = input.ExclusiveStartShardId;
      if (token !== undefined) {
        const parsed = decodeToken(token).split('\n');
        name = parsed[0]!;
        after = parsed[1];
      } else name = streams.nameOf(ref);
      const s = await streams.get({ name });
      let shards = streams.visibleShards(s);
      const filter = input.ShardFilter;
      if (filter?.Type === 'AT_LATEST') shards = shards.filter((x) => x.endSeq === undefined);
      else if (filter?.Type === 'AFTER_SHARD_ID') shards = shards.filter((x) => x.id > (filter.ShardId ?? ''));
      else if (filter?.Type === 'AT_TIMESTAMP' || filter?.Type === 'FROM_TIMESTAMP') {
        const at = timestampMs(filter.Timestamp) ?? 0;
        shards = shards.filter((x) => x.closedAt === undefined || x.closedAt >= at);
      }
      if (after !== undefined) shards = shards.filter((x) => x.id > after!);
      const limit = input.MaxResults ?? 1000;
      const page = shards.slice(0, limit);
      const more = shards.length > limit;
      return { Shards: page.map(renderShard), ...(more ? { NextToken: encodeToken(`${name}\n${page[page.length - 1]!.id}`) } : {}) };
    },

    async IncreaseStreamRetentionPeriod(input) {
      await streams.increaseRetention(streamRefOf(input), input.RetentionPeriodHours);
      return OK();
    },

    async DecreaseStreamRetentionPeriod(input) {
      await streams.decreaseRetention(streamRefOf(input), input.RetentionPeriodHours);
      return OK();
    },

    async AddTagsToStream(input) {
      await streams.addTags(streamRefOf(input), input.Tags);
      return OK();
    },

    async RemoveTagsFromStream(input) {
      await streams.removeTags(streamRefOf(input), input.TagKeys);
      return OK();
    },

    async ListTagsForStream(input) {
      const s = await streams.get(streamRefOf(input));
      const after = input.ExclusiveStartTagKey;
      const limit = input.Limit ?? 50;
      const all = tagList(s.tags).filter((t) => after === undefined || (t['Key'] as string) > after);
      return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit };
    },

    async TagResource(input) {
      await streams.addTags({ arn: input.ResourceARN}, input.Tags);
      return OK();
    },

    async UntagResource(input) {
      await streams.removeTags({ arn: input.ResourceARN}, input.TagKeys);
      return OK();
    },

    async ListTagsForResource(input) {
      return { Tags: tagList((await streams.get({ arn: input.ResourceARN})).tags) };
    },

    async UpdateStreamMode(input) {
      await streams.setMode({ arn: input.StreamARN}, input.StreamModeDetails.StreamMode);
      return OK();
    },

    async SplitShard(input) {
      await streams.split(streamRefOf(input), input.ShardToSplit, input.NewStartingHashKey);
      return OK();
    },

    async MergeShards(input) {
      await streams.merge(streamRefOf(input), input.ShardToMerge, input.AdjacentShardToMerge);
      return OK();
    },

    async UpdateShardCount(input) {
      const target = input.TargetShardCount;
      const { before, stream } = await streams.scale(streamRefOf(input), target);
      return { StreamName: stream.name, CurrentShardCount: before, TargetShardCount: target, StreamARN: stream.arn };
    },
  });
}

const encodeToken = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (text === '') throw KinesisErrors.invalidArgument('Invalid NextToken.');
  return text;
}
