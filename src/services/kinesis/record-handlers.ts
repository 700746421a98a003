/** PutRecord, PutRecords, GetShardIterator, GetRecords. */
import type { OperationHandler } from '../../api/service.js';
import type { NewKinesisRecord } from '../../storage/kinesis-repo.js';
import { AwsError, KinesisErrors } from '../../wire/errors.js';
import type { KinesisSystem } from './kinesis-system.js';
import type { IteratorType } from './record-service.js';
import { formatSequence } from './sequence.js';
import { renderChildShard, streamRefOf, timestampMs } from './wire.js';

type EntryWire = { Data: Buffer; PartitionKey: string; ExplicitHashKey?: string };

const newRecord = (e: EntryWire): NewKinesisRecord => ({ partitionKey: e.PartitionKey, data: e.Data, explicitHashKey: e.ExplicitHashKey });

export function recordHandlers({ records }: KinesisSystem): Record<string, OperationHandler> {
  return {
    async PutRecord(input) {
      const { outcomes } = await records.put(streamRefOf(input), [newRecord(input as unknown as EntryWire)]);
      const o = outcomes[0]!;
      if ('error' in o) throw new AwsError(KinesisErrors.throughputExceeded.kind, o.error.message);
      return { ShardId: o.shardId, SequenceNumber: formatSequence(o.sequence), EncryptionType: 'NONE' };
    },

    async PutRecords(input) {
      const entries = input['Records'] as EntryWire[];
      const { outcomes } = await records.put(streamRefOf(input), entries.map(newRecord));
      return {
        FailedRecordCount: outcomes.filter((o) => 'error' in o).length,
        Records: outcomes.map((o) => ('error' in o ? { ErrorCode: o.error.code, ErrorMessage: o.error.message } : { SequenceNumber: formatSequence(o.sequence), ShardId: o.shardId })),
        EncryptionType: 'NONE',
      };
    },

    async GetShardIterator(input) {
      const it = await records.iterator(
        streamRefOf(input),
        input['ShardId'] as string,
        input['ShardIteratorType'] as IteratorType,
        input['StartingSequenceNumber'] as string | undefined,
        timestampMs(input['Timestamp']),
      );
      return { ShardIterator: it };
    },

    async GetRecords(input) {
      const r = await records.read(input['ShardIterator'] as string, (input['Limit'] as number | undefined) ?? 10_000);
      return {
        Records: r.records.map((x) => ({
          SequenceNumber: formatSequence(x.sequence),
          ApproximateArrivalTimestamp: x.arrivedAt / 1000,
          Data: x.data.toString('base64'),
          PartitionKey: x.partitionKey,
        })),
        ...(r.next !== undefined ? { NextShardIterator: r.next } : {}),
        MillisBehindLatest: r.millisBehindLatest,
        ...(r.children !== undefined ? { ChildShards: r.children.map(renderChildShard) } : {}),
      };
    },
  };
}
