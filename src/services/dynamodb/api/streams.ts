/** DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords. */
import { streamRecordJson } from '../stream-event.js';
import { formatSequence } from '../stream-service.js';
import type { DynamoDbSystem } from '../system.js';
import type { Account } from '../../../wire/arn.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import { keySchemaOut } from './describe.js';
import type { DynamodbstreamsInputs } from '../../../wire/inputs/dynamodbstreams.js';

export function streamHandlers({ streams }: DynamoDbSystem, account: Account): Record<string, OperationHandler> {
  return typedHandlers<DynamodbstreamsInputs>({
    async ListStreams(input) {
      const page = await streams.list(input.TableName, input.ExclusiveStartStreamArn, input.Limit ?? 100);
      return {
        Streams: page.streams.map((s, i) => ({ StreamArn: s.arn, TableName: page.tables[i], StreamLabel: s.label })),
        ...(page.last ? { LastEvaluatedStreamArn: page.last } : {}),
      };
    },

    async DescribeStream(input) {
      const info = await streams.describe(input.StreamArn);
      const range: Input = { StartingSequenceNumber: formatSequence(info.first ?? info.last + 1) };
      if (!info.stream.enabled) range['EndingSequenceNumber'] = formatSequence(info.last);
      return {
        StreamDescription: {
          StreamArn: info.stream.arn,
          StreamLabel: info.stream.label,
          StreamStatus: info.stream.enabled ? 'ENABLED' : 'DISABLED',
          StreamViewType: info.stream.viewType,
          CreationRequestDateTime: Date.parse(`${info.stream.label}Z`) / 1000,
          TableName: info.table.name,
          KeySchema: keySchemaOut(info.table.key),
          Shards: [{ ShardId: info.shardId, SequenceNumberRange: range }],
        },
      };
    },

    async GetShardIterator(input) {
      const it = await streams.iterator(
        input.StreamArn,
        input.ShardId,
        input.ShardIteratorType,
        input.SequenceNumber,
      );
      return { ShardIterator: it };
    },

    async GetRecords(input) {
      const { records, next } = await streams.records(input.ShardIterator, input.Limit ?? 1000);
      return {
        Records: records.map((r) => streamRecordJson(r, account.region)),
        ...(next ? { NextShardIterator: next } : {}),
      };
    },
  });
}
