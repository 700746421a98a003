/** PutRecord, PutRecords, GetShardIterator, GetRecords. */
import { typedHandlers, type OperationHandler } from '../../api/service.js';
import type { NewKinesisRecord } from '../../storage/kinesis-repo.js';
import { AwsError, KinesisErrors } from '../../wire/errors.js';
import type { KinesisSystem } from './kinesis-system.js';
import { formatSequence } from './sequence.js';
import { renderChildShard, streamRefOf, timestampMs } from './wire.js';
import type { KinesisInputs } from '../../wire/inputs/kinesis.js';

type EntryWire = { Data: Buffer; PartitionKey: string; ExplicitHashKey?: string };

const newRecord = (e: EntryWire): NewKinesisRecord => ({ partitionKey: e.PartitionKey, data: e.Data, explicitHashKey: e.ExplicitHashKey });

export function recordHandlers({ records }: KinesisSystem): Record<string, OperationHandler> {
  return typedHandlers<KinesisInputs>({
    async PutRecord(input) {
      const { outcomes } = await records.put(streamRefOf(input), [newRecord(input)]);
      const o = outcomes[0]!;
      if ('error' in o) throw new AwsError(KinesisErrors.throughputExceeded.kind, o.error.message);
      return { ShardId: o.shardId, SequenceNumber: formatSequence(o.sequence), EncryptionType: 'NONE' };
    },

    async PutRecords(input) {
      const entries = input.Records;
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
        input.ShardId,
        input.ShardIteratorType,
        input.StartingSequenceNumber,
        timestampMs(input['Timestamp']),
      );
      return { ShardIterator: it };
    },

    async GetRecords(input) {
      const r = await records.read(input.ShardIterator, (input.Limit) ?? 10_000);
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
  });
}
