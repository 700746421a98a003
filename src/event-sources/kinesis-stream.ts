/** Kinesis streams of the built-in Kinesis service, read by stream event source mappings. */
import type { KinesisSystem } from '../services/kinesis/kinesis-system.js';
import type { KinesisRecord, StreamRecord } from '../services/kinesis/model.js';
import { predecessorsOf } from '../services/kinesis/resharding.js';
import { formatSequence, parseSequence } from '../services/kinesis/sequence.js';
import { parseJsonKeepingNumbers } from './json-numbers.js';
import type { ShardedStream, StreamItem } from './sharded-stream.js';
import { BaseStreamAdapter } from './stream-adapter.js';

export class KinesisStreamAdapter extends BaseStreamAdapter {
  constructor(
    private readonly kinesis: KinesisSystem,
    private readonly region: string,
  ) {
    super({ label: 'Kinesis', batchInfoKey: 'KinesisBatchInfo', allowsTimestamp: true, service: 'kinesis', marker: ':stream/' });
  }

  protected async exists(arn: string): Promise<boolean> {
    return (await this.find(arn)) !== undefined;
  }

  open(arn: string): ShardedStream {
    const { streams, records } = this.kinesis;
    const name = streams.nameOf({ arn });
    const find = () => this.find(arn);
    const region = this.region;
    const stream = async (): Promise<StreamRecord> => {
      const s = await find();
      if (!s) throw new Error(`Stream not found: ${arn}`);
      return s;
    };
    return {
      arn,
      idlePollMs: 1_000,
      async shards() {
        const s = await find();
        if (!s) return undefined;
        return streams.visibleShards(s).map((shard) => ({ id: shard.id, predecessors: predecessorsOf(s, shard).map((p) => p.id), closed: shard.endSeq !== undefined }));
      },
      async startPosition(shardId, position, timestamp) {
        const s = await stream();
        const shard = s.shards.find((x) => x.id === shardId)!;
        if (position === 'TRIM_HORIZON') return formatSequence(shard.startSeq - 1);
        const latest = shard.endSeq ?? (await records.lastSequence(s));
        if (position === 'LATEST') return formatSequence(latest);
        return formatSequence((await records.sequenceBefore(s, shardId, timestamp ?? 0)) ?? latest);
      },
      async read(shardId, after, limit) {
        const s = await stream();
        const shard = s.shards.find((x) => x.id === shardId);
        if (!shard) return { items: [], ended: true };
        const rows = await records.readShard(s, shardId, parseSequence(after) ?? 0, limit);
        return { items: rows.map((r) => item(r, arn, region)), ended: shard.endSeq !== undefined && rows.length < limit };
      },
      onChange: (listener) => records.onPut((changed) => changed === name && listener()),
    };
  }

  private find(arn: string): Promise<StreamRecord | undefined> {
    return this.kinesis.streams.get({ arn }).catch(() => undefined);
  }
}

function item(r: KinesisRecord, streamArn: string, region: string): StreamItem {
  const sequenceNumber = formatSequence(r.sequence);
  const data = r.data.toString('base64');
  return {
    sequence: sequenceNumber,
    partitionKey: r.partitionKey,
    arrivedAt: r.arrivedAt,
    bytes: data.length + r.partitionKey.length + 2 * sequenceNumber.length + 400,
    event: (role) => ({
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: r.partitionKey, sequenceNumber, data, approximateArrivalTimestamp: r.arrivedAt / 1000 },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${r.shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: role,
      awsRegion: region,
      eventSourceARN: streamArn,
    }),
    // Lambda filters Kinesis records on their data alone, read as JSON.
    filterView: () => {
      try {
        return { data: parseJsonKeepingNumbers(r.data.toString('utf8')) };
      } catch {
        return { data };
      }
    },
  };
}
