/** Stream operations: create, describe, list, delete, shards, retention, tags, mode and resharding. */
import type { Input, OperationHandler } from '../../api/service.js';
import { KinesisErrors } from '../../wire/errors.js';
import type { KinesisSystem } from './kinesis-system.js';
import type { StreamMode } from './model.js';
import { renderShard, streamRefOf, streamSummary, tagList, timestampMs } from './wire.js';

const OK = async (): Promise<Input> => ({});

export function streamHandlers({ streams }: KinesisSystem): Record<string, OperationHandler> {
  return {
    async CreateStream(input) {
      const details = input['StreamModeDetails'] as { StreamMode: StreamMode } | undefined;
      await streams.create(input['StreamName'] as string, {
        shardCount: input['ShardCount'] as number | undefined,
        mode: details?.StreamMode,
        tags: input['Tags'] as Record<string, string> | undefined,
      });
      return OK();
    },

    async DescribeStream(input) {
      const s = await streams.get(streamRefOf(input));
      const visible = streams.visibleShards(s);
      const after = input['ExclusiveStartShardId'] as string | undefined;
      const limit = (input['Limit'] as number | undefined) ?? 100;
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
      const limit = (input['Limit'] as number | undefined) ?? 100;
      const token = input['NextToken'] as string | undefined;
      const after = token !== undefined ? decodeToken(token) : (input['ExclusiveStartStreamName'] as string | undefined);
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
      await streams.delete(streamRefOf(input), (input['EnforceConsumerDeletion'] as boolean | undefined) ?? false);
      return OK();
    },

    async ListShards(input) {
      const token = input['NextToken'] as string | undefined;
      const ref = streamRefOf(input);
      if (token !== undefined && (ref.name !== undefined || ref.arn !== undefined)) {
        throw KinesisErrors.invalidArgument('NextToken and StreamName cannot be provided together.');
      }
      let name: string;
      let after = input['ExclusiveStartShardId'] as string | undefined;
      if (token !== undefined) {
        const parsed = decodeToken(token).split('\n');
        name = parsed[0]!;
        after = parsed[1];
      } else name = streams.nameOf(ref);
      const s = await streams.get({ name });
      let shards = streams.visibleShards(s);
      const filter = input['ShardFilter'] as { Type: string; ShardId?: string; Timestamp?: unknown } | undefined;
      if (filter?.Type === 'AT_LATEST') shards = shards.filter((x) => x.endSeq === undefined);
      else if (filter?.Type === 'AFTER_SHARD_ID') shards = shards.filter((x) => x.id > (filter.ShardId ?? ''));
      else if (filter?.Type === 'AT_TIMESTAMP' || filter?.Type === 'FROM_TIMESTAMP') {
        const at = timestampMs(filter.Timestamp) ?? 0;
        shards = shards.filter((x) => x.closedAt === undefined || x.closedAt >= at);
      }
      if (after !== undefined) shards = shards.filter((x) => x.id > after!);
      const limit = (input['MaxResults'] as number | undefined) ?? 1000;
      const page = shards.slice(0, limit);
      const more = shards.length > limit;
      return { Shards: page.map(renderShard), ...(more ? { NextToken: encodeToken(`${name}\n${page[page.length - 1]!.id}`) } : {}) };
    },

    async IncreaseStreamRetentionPeriod(input) {
      await streams.increaseRetention(streamRefOf(input), input['RetentionPeriodHours'] as number);
      return OK();
    },

    async DecreaseStreamRetentionPeriod(input) {
      await streams.decreaseRetention(streamRefOf(input), input['RetentionPeriodHours'] as number);
      return OK();
    },

    async AddTagsToStream(input) {
      await streams.addTags(streamRefOf(input), input['Tags'] as Record<string, string>);
      return OK();
    },

    async RemoveTagsFromStream(input) {
      await streams.removeTags(streamRefOf(input), input['TagKeys'] as string[]);
      return OK();
    },

    async ListTagsForStream(input) {
      const s = await streams.get(streamRefOf(input));
      const after = input['ExclusiveStartTagKey'] as string | undefined;
      const limit = (input['Limit'] as number | undefined) ?? 50;
      const all = tagList(s.tags).filter((t) => after === undefined || (t['Key'] as string) > after);
      return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit };
    },

    async TagResource(input) {
      await streams.addTags({ arn: input['ResourceARN'] as string }, input['Tags'] as Record<string, string>);
      return OK();
    },

    async UntagResource(input) {
      await streams.removeTags({ arn: input['ResourceARN'] as string }, input['TagKeys'] as string[]);
      return OK();
    },

    async ListTagsForResource(input) {
      return { Tags: tagList((await streams.get({ arn: input['ResourceARN'] as string })).tags) };
    },

    async UpdateStreamMode(input) {
      await streams.setMode({ arn: input['StreamARN'] as string }, (input['StreamModeDetails'] as { StreamMode: StreamMode }).StreamMode);
      return OK();
    },

    async SplitShard(input) {
      await streams.split(streamRefOf(input), input['ShardToSplit'] as string, input['NewStartingHashKey'] as string);
      return OK();
    },

    async MergeShards(input) {
      await streams.merge(streamRefOf(input), input['ShardToMerge'] as string, input['AdjacentShardToMerge'] as string);
      return OK();
    },

    async UpdateShardCount(input) {
      const target = input['TargetShardCount'] as number;
      const { before, stream } = await streams.scale(streamRefOf(input), target);
      return { StreamName: stream.name, CurrentShardCount: before, TargetShardCount: target, StreamARN: stream.arn };
    },
  };
}

const encodeToken = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (text === '') throw KinesisErrors.invalidArgument('Invalid NextToken.');
  return text;
}
