/** DynamoDB table streams, read by stream event source mappings: one shard per stream, as Selfless keeps them. */
import { streamRecordJson } from '../services/dynamodb/stream-event.js';
import { formatSequence, type ReadRecord } from '../services/dynamodb/stream-service.js';
import type { DynamoDbSystem } from '../services/dynamodb/system.js';
import type { ShardedStream, StreamItem } from './sharded-stream.js';
import { BaseStreamAdapter } from './stream-adapter.js';

export class DynamoDbStreamAdapter extends BaseStreamAdapter {
  constructor(
    private readonly dynamodb: DynamoDbSystem,
    private readonly region: string,
  ) {
    super({ label: 'DynamoDB', batchInfoKey: 'DDBStreamBatchInfo', allowsTimestamp: false, service: 'dynamodb', marker: '/stream/' });
  }

  protected exists(arn: string): Promise<boolean> {
    return this.dynamodb.streams.describe(arn).then(() => true, () => false);
  }

  open(arn: string): ShardedStream {
    const { streams } = this.dynamodb;
    const region = this.region;
    return {
      arn,
      // Writes through this process wake the reader; the poll finds those of other nodes (a fleet).
      idlePollMs: 1_000,
      async shards() {
        const info = await streams.describe(arn).catch(() => undefined);
        return info && [{ id: info.shardId, predecessors: [], closed: !info.stream.enabled }];
      },
      async startPosition(_shardId, position) {
        if (position === 'TRIM_HORIZON') return formatSequence(0);
        return formatSequence((await streams.describe(arn)).last);
      },
      async read(_shardId, after, limit) {
        const { records, closed } = await streams.readAfter(arn, Number(after), limit);
        return { items: records.map((r) => item(r, arn, region)), ended: closed };
      },
      onChange: (listener) => this.dynamodb.onStreamWrite((written) => written === arn && listener()),
    };
  }
}

function item(r: ReadRecord, streamArn: string, region: string): StreamItem {
  const event = Object.assign(streamRecordJson(r, region), { eventSourceARN: streamArn });
  return {
    sequence: formatSequence(r.sequence),
    // Changes of one item stay in order across concurrent batches.
    partitionKey: JSON.stringify(r.keys),
    arrivedAt: r.at,
    bytes: JSON.stringify(event).length,
    event: () => event,
    filterView: () => event,
  };
}
