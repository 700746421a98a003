/** DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords. */
import { streamRecordJson } from '../stream-event.js';
import { formatSequence, type IteratorType } from '../stream-service.js';
import type { DynamoDbSystem } from '../system.js';
import type { Account } from '../../../wire/arn.js';
import type { Input, OperationHandler } from '../../../api/service.js';
import { keySchemaOut } from './describe.js';

export function streamHandlers({ streams }: DynamoDbSystem, account: Account): Record<string, OperationHandler> {
  return {
    async ListStreams(input) {
      const page = await streams.list(input['TableName'] as string | undefined, input['ExclusiveStartStreamArn'] as string | undefined, (input['Limit'] as number | undefined) ?? 100);
      return {
        Streams: page.streams.map((s, i) => ({ StreamArn: s.arn, TableName: page.tables[i], StreamLabel: s.label })),
        ...(page.last ? { LastEvaluatedStreamArn: page.last } : {}),
      };
    },

    async DescribeStream(input) {
      const info = await streams.describe(input['StreamArn'] as string);
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
        input['StreamArn'] as string,
        input['ShardId'] as string,
        input['ShardIteratorType'] as IteratorType,
        input['SequenceNumber'] as string | undefined,
      );
      return { ShardIterator: it };
    },

    async GetRecords(input) {
      const { records, next } = await streams.records(input['ShardIterator'] as string, (input['Limit'] as number | undefined) ?? 1000);
      return {
        Records: records.map((r) => streamRecordJson(r, account.region)),
        ...(next ? { NextShardIterator: next } : {}),
      };
    },
  };
}
