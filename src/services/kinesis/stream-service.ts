/**
 * Kinesis streams: create, describe, list, delete, retention, tags, stream mode and resharding.
 * Streams are ACTIVE as soon as they are made (no shard provisioning to wait for); every change goes
 * through the store's `updateStream`, under the stream's lock.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { KinesisRepo } from '../../storage/kinesis-repo.js';
import type { Account } from '../../wire/arn.js';
import { KinesisErrors } from '../../wire/errors.js';
import { uniformRange } from './hash-keys.js';
import { shardIdOf, type ShardRecord, type StreamMode, type StreamRecord } from './model.js';
import { MAX_SHARDS, mergeShards, scaleUniformly, splitShard } from './resharding.js';

export const MIN_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;
const ON_DEMAND_SHARDS = 4;
const MAX_TAGS = 50;

/** A stream named by StreamName or StreamARN, as most operations accept either. */
export interface StreamRef {
  name?: string | undefined;
  arn?: string | undefined;
}

export class StreamService {
  constructor(
    private readonly repo: KinesisRepo,
    private readonly clock: Clock,
    readonly account: Account,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:kinesis:${this.account.region}:${this.account.accountId}:stream/${name}`;
  }

  nameOf(ref: StreamRef): string {
    if (ref.name !== undefined) return ref.name;
    const m = ref.arn === undefined ? null : /^arn:aws[\w-]*:kinesis:[^:]*:[^:]*:stream\/([^/]+)$/.exec(ref.arn);
    if (!m) throw KinesisErrors.invalidArgument(ref.arn === undefined ? 'Either StreamName or StreamARN should be provided.' : `StreamARN ${ref.arn} is not a valid stream ARN.`);
    return m[1]!;
  }

  async create(name: string, opts: { shardCount?: number | undefined; mode?: StreamMode | undefined; tags?: Record<string, string> | undefined }): Promise<StreamRecord> {
    const mode = opts.mode ?? (opts.shardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    if (mode === 'PROVISIONED' && opts.shardCount === undefined) throw KinesisErrors.invalidArgument('ShardCount is required when StreamModeDetails is PROVISIONED.');
    if (mode === 'ON_DEMAND' && opts.shardCount !== undefined) throw KinesisErrors.invalidArgument('ShardCount must not be specified for an ON_DEMAND stream.');
    const count = opts.shardCount ?? ON_DEMAND_SHARDS;
    if (count > MAX_SHARDS) throw KinesisErrors.limitExceeded(`This request would exceed the shard limit for the account ${this.account.accountId} in ${this.account.region}. Current limit of shards is ${MAX_SHARDS}.`);
    if (Object.keys(opts.tags ?? {}).length > MAX_TAGS) throw KinesisErrors.invalidArgument(`A stream cannot have more than ${MAX_TAGS} tags.`);
    const now = this.clock.now();
    const shards: ShardRecord[] = Array.from({ length: count }, (_, i) => {
      const { start, end } = uniformRange(i, count);
      return { id: shardIdOf(i), startHash: start.toString(), endHash: end.toString(), startSeq: 1, createdAt: now };
    });
    const stream: StreamRecord = {
      name,
      arn: this.arnOf(name),
      id: randomUUID(),
      mode,
      createdAt: now,
      retentionHours: MIN_RETENTION_HOURS,
      tags: { ...opts.tags },
      shards,
      nextShardIndex: count,
      consumers: [],
    };
    if (!(await this.repo.createStream(stream))) throw KinesisErrors.streamExists(name, this.account.accountId);
    return stream;
  }

  async get(ref: StreamRef): Promise<StreamRecord> {
    const name = this.nameOf(ref);
    const stream = await this.repo.getStream(name);
    if (!stream) throw KinesisErrors.streamNotFound(name, this.account.accountId);
    return stream;
  }

  /** Shards a reader can still see: open ones, and closed ones whose records are not all past retention. */
  visibleShards(stream: StreamRecord): ShardRecord[] {
    const horizon = this.clock.now() - stream.retentionHours * 3_600_000;
    return stream.shards.filter((s) => s.closedAt === undefined || s.closedAt >= horizon);
  }

  list(after: string | undefined, limit: number): Promise<StreamRecord[]> {
    return this.repo.listStreams(after, limit);
  }

  async delete(ref: StreamRef, enforceConsumerDeletion: boolean): Promise<void> {
    const stream = await this.get(ref);
    if (stream.consumers.length > 0 && !enforceConsumerDeletion) {
      throw KinesisErrors.resourceInUse(`Stream ${stream.name} under account ${this.account.accountId} has registered consumers. Set EnforceConsumerDeletion to delete them with the stream.`);
    }
    if (!(await this.repo.deleteStream(stream.name))) throw KinesisErrors.streamNotFound(stream.name, this.account.accountId);
  }

  /** Applies `change` to the stream under its lock; the change may throw to refuse. */
  async change(ref: StreamRef, change: (s: StreamRecord, last: number) => StreamRecord): Promise<StreamRecord> {
    const name = this.nameOf(ref);
    const next = await this.repo.updateStream(name, change);
    if (!next) throw KinesisErrors.streamNotFound(name, this.account.accountId);
    return next;
  }

  increaseRetention(ref: StreamRef, hours: number): Promise<StreamRecord> {
    return this.change(ref, (s) => {
      if (hours > MAX_RETENTION_HOURS) throw KinesisErrors.invalidArgument(`Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too long.`);
      if (hours < s.retentionHours) {
        throw KinesisErrors.invalidArgument(`Requested retention period (${hours} hours) for stream ${s.name} can not be shorter than existing retention period (${s.retentionHours} hours). Use DecreaseRetentionPeriod API.`);
      }
      return { ...s, retentionHours: hours };
    });
  }

  decreaseRetention(ref: StreamRef, hours: number): Promise<StreamRecord> {
    return this.change(ref, (s) => {
      if (hours < MIN_RETENTION_HOURS) throw KinesisErrors.invalidArgument(`Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`);
      if (hours > s.retentionHours) {
        throw KinesisErrors.invalidArgument(`Requested retention period (${hours} hours) for stream ${s.name} can not be longer than existing retention period (${s.retentionHours} hours). Use IncreaseRetentionPeriod API.`);
      }
      return { ...s, retentionHours: hours };
    });
  }

  addTags(ref: StreamRef, tags: Record<string, string>): Promise<StreamRecord> {
    return this.change(ref, (s) => {
      const next = { ...s.tags, ...tags };
      if (Object.keys(next).length > MAX_TAGS) throw KinesisErrors.invalidArgument(`Failed to add tags to stream ${s.name} under account ${this.account.accountId} because a given stream cannot have more than ${MAX_TAGS} tags.`);
      return { ...s, tags: next };
    });
  }

  removeTags(ref: StreamRef, keys: readonly string[]): Promise<StreamRecord> {
    return this.change(ref, (s) => ({ ...s, tags: Object.fromEntries(Object.entries(s.tags).filter(([k]) => !keys.includes(k))) }));
  }

  setMode(ref: StreamRef, mode: StreamMode): Promise<StreamRecord> {
    return this.change(ref, (s) => ({ ...s, mode }));
  }

  split(ref: StreamRef, shardId: string, newStartingHashKey: string): Promise<StreamRecord> {
    return this.change(ref, (stream, last) => splitShard({ stream, last, now: this.clock.now() }, shardId, newStartingHashKey, this.account.accountId));
  }

  merge(ref: StreamRef, shardId: string, adjacentId: string): Promise<StreamRecord> {
    return this.change(ref, (stream, last) => mergeShards({ stream, last, now: this.clock.now() }, shardId, adjacentId, this.account.accountId));
  }

  scale(ref: StreamRef, target: number): Promise<{ before: number; stream: StreamRecord }> {
    let before = 0;
    return this.change(ref, (stream, last) => {
      before = stream.shards.filter((s) => s.endSeq === undefined).length;
      if (stream.mode === 'ON_DEMAND') throw KinesisErrors.invalidArgument(`UpdateShardCount is not supported for stream ${stream.name} under account ${this.account.accountId}, which is in ON_DEMAND mode.`);
      return scaleUniformly({ stream, last, now: this.clock.now() }, target, this.account.accountId);
    }).then((stream) => ({ before, stream }));
  }
}
