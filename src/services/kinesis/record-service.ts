/**
 * Kinesis records: PutRecord(s) route each record to the open shard whose hash range holds its key
 * (refusing what a provisioned shard cannot take this second), GetShardIterator places a reader in a
 * shard, GetRecords reads after it. Reads skip records past the stream's retention, whether or not
 * the sweeper has deleted them yet.
 */
import type { Clock } from '../../lib/clock.js';
import type { KinesisRepo, NewKinesisRecord, PutOutcome } from '../../storage/kinesis-repo.js';
import { KinesisErrors } from '../../wire/errors.js';
import { hashOfPartitionKey, inRange, parseHashKey } from './hash-keys.js';
import { decodeIterator, encodeIterator } from './iterators.js';
import { isOpen, openShards, type KinesisRecord, type ShardRecord, type StreamRecord } from './model.js';
import { parseSequence } from './sequence.js';
import type { StreamRef, StreamService } from './stream-service.js';
import { ShardThroughput } from './throughput.js';

export type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP';

export interface ReadResult {
  stream: StreamRecord;
  records: KinesisRecord[];
  next: string | undefined;
  millisBehindLatest: number;
  /** Set when the read reached the end of a closed shard: the shards that took over its range. */
  children: ShardRecord[] | undefined;
}

export class RecordService {
  private readonly throughput = new ShardThroughput();
  private readonly listeners = new Set<(stream: string) => void>();

  constructor(
    private readonly repo: KinesisRepo,
    private readonly streams: StreamService,
    private readonly clock: Clock,
  ) {}

  /** Called after each put that stored records (stream pollers wake on it instead of waiting out their interval). */
  onPut(listener: (stream: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async put(ref: StreamRef, records: readonly NewKinesisRecord[]): Promise<{ stream: StreamRecord; outcomes: PutOutcome[] }> {
    const name = this.streams.nameOf(ref);
    const account = this.streams.account.accountId;
    for (const r of records) {
      if (r.explicitHashKey !== undefined && parseHashKey(r.explicitHashKey) === undefined) {
        throw KinesisErrors.invalidArgument(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${r.explicitHashKey}`);
      }
    }
    const now = this.clock.now();
    let seen: StreamRecord | undefined;
    const outcomes = await this.repo.putRecords(name, records, now, (stream) => {
      seen = stream;
      const open = openShards(stream);
      return records.map((r) => {
        const hash = r.explicitHashKey !== undefined ? parseHashKey(r.explicitHashKey)! : hashOfPartitionKey(r.partitionKey);
        const shard = open.find((s) => inRange(hash, s))!;
        const bytes = r.data.length + Buffer.byteLength(r.partitionKey);
        if (stream.mode === 'PROVISIONED' && !this.throughput.admit(`${stream.id}/${shard.id}`, bytes, now)) {
          return { error: { code: 'ProvisionedThroughputExceededException', message: `Rate exceeded for shard ${shard.id} in stream ${name} under account ${account}.` } };
        }
        return { shardId: shard.id };
      });
    });
    if (!outcomes || !seen) throw KinesisErrors.streamNotFound(name, account);
    if (outcomes.some((o) => !('error' in o))) for (const l of this.listeners) l(name);
    return { stream: seen, outcomes };
  }

  async iterator(ref: StreamRef, shardId: string, type: IteratorType, sequence: string | undefined, timestamp: number | undefined): Promise<string> {
    const stream = await this.streams.get(ref);
    const account = this.streams.account.accountId;
    const shard = this.streams.visibleShards(stream).find((s) => s.id === shardId);
    if (!shard) throw KinesisErrors.shardNotFound(shardId, stream.name, account);
    let after: number;
    switch (type) {
      case 'TRIM_HORIZON':
        after = shard.startSeq - 1;
        break;
      case 'LATEST':
        after = shard.endSeq ?? (await this.lastSequence(stream));
        break;
      case 'AT_TIMESTAMP': {
        if (timestamp === undefined) throw KinesisErrors.invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
        const before = await this.repo.sequenceBefore(stream.name, shard.id, Math.max(timestamp, this.horizon(stream)));
        after = before ?? shard.endSeq ?? (await this.lastSequence(stream));
        break;
      }
      default: {
        const n = sequence === undefined ? undefined : parseSequence(sequence);
        if (sequence === undefined) throw KinesisErrors.invalidArgument(`Must specify StartingSequenceNumber for iterator of type ${type}.`);
        if (n === undefined || n < shard.startSeq || (shard.endSeq !== undefined && n > shard.endSeq)) {
          throw KinesisErrors.invalidArgument(`Invalid StartingSequenceNumber. It encodes ${shard.id}, while it was used in a call to a shard with ${shardId}`);
        }
        after = type === 'AT_SEQUENCE_NUMBER' ? n - 1 : n;
      }
    }
    return encodeIterator({ s: stream.name, i: stream.id, h: shard.id, a: after, m: this.clock.now() });
  }

  async read(token: string, limit: number): Promise<ReadResult> {
    const now = this.clock.now();
    const it = decodeIterator(token, now);
    const stream = await this.streams.get({ name: it.s }).catch(() => undefined);
    if (!stream || stream.id !== it.i) throw KinesisErrors.streamNotFound(it.s, this.streams.account.accountId);
    const shard = stream.shards.find((s) => s.id === it.h);
    if (!shard) throw KinesisErrors.shardNotFound(it.h, stream.name, this.streams.account.accountId);
    // One more than asked: whether it exists says how far behind the reader is.
    const rows = await this.repo.readRecords(stream.name, shard.id, it.a, this.horizon(stream), limit + 1);
    const records = rows.slice(0, limit);
    const ahead = rows[limit];
    const after = records.length > 0 ? records[records.length - 1]!.sequence : it.a;
    const ended = !isOpen(shard) && ahead === undefined;
    return {
      stream,
      records,
      next: ended ? undefined : encodeIterator(Object.assign({}, it, { a: after, m: now })),
      millisBehindLatest: ahead ? Math.max(0, now - ahead.arrivedAt) : 0,
      children: ended ? stream.shards.filter((s) => s.parent === shard.id || s.adjacentParent === shard.id) : undefined,
    };
  }

  /** Reads a shard directly (for event source mappings): records after `after`, within retention. */
  readShard(stream: StreamRecord, shardId: string, after: number, limit: number): Promise<KinesisRecord[]> {
    return this.repo.readRecords(stream.name, shardId, after, this.horizon(stream), limit);
  }

  sequenceBefore(stream: StreamRecord, shardId: string, at: number): Promise<number | undefined> {
    return this.repo.sequenceBefore(stream.name, shardId, Math.max(at, this.horizon(stream)));
  }

  /** The last sequence number the stream has given. */
  async lastSequence(stream: StreamRecord): Promise<number> {
    return (await this.repo.lastSequence(stream.name)) ?? 0;
  }

  private horizon(stream: StreamRecord): number {
    return this.clock.now() - stream.retentionHours * 3_600_000;
  }
}
