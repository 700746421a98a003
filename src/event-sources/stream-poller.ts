/**
 * Polls a stream (Kinesis, DynamoDB Streams) for one mapping: one reader per shard, each in order,
 * a child shard only once its parents are read to their end, and each shard's checkpoint stored so a
 * restarted server resumes where it stopped. The first start of a mapping places every shard at the
 * mapping's StartingPosition (closed shards are skipped unless it is TRIM_HORIZON).
 */
import type { ShardCheckpoint, StreamCheckpointRepo } from '../storage/stream-checkpoint-repo.js';
import type { FunctionRef } from '../wire/arn.js';
import { compileStreamFilters, passesStreamFilters } from './stream-filters.js';
import type { StreamSettings } from './model.js';
import type { EventSourcePoller, PollerContext } from './poller.js';
import type { ShardedStream, ShardView, StreamItem } from './sharded-stream.js';
import { StreamBatch } from './stream-batch.js';
import { returnedState, windowEvent, windowOf, type WindowState } from './tumbling-windows.js';
import type { FailureSender } from './stream-failures.js';

const RESCAN_MS = 2_000;
/** Lambda's invocation payload limit is 6 MB: a batch stops growing short of it (and holds at least one record). */
const MAX_BATCH_BYTES = 5 * 1024 * 1024;

function withinPayload(items: StreamItem[]): StreamItem[] {
  let bytes = 0;
  const end = items.findIndex((i) => (bytes += i.bytes) > MAX_BATCH_BYTES);
  return end === -1 ? items : items.slice(0, Math.max(1, end));
}

export interface StreamPollerOptions {
  function: FunctionRef;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  filters: readonly string[];
  settings: StreamSettings;
  batchInfoKey: string;
  sendFailure: FailureSender;
}

export class StreamPoller implements EventSourcePoller {
  private stopped = false;
  /** Every pending sleep (a stop ends them all); idle ones also end when records arrive. */
  private readonly sleepers = new Set<() => void>();
  private readonly idle = new Set<() => void>();
  private readonly readers = new Map<string, Promise<void>>();
  private readonly ended = new Set<string>();
  private main: Promise<void> | undefined;
  private saved = new Map<string, ShardCheckpoint>();
  private placed = false;
  private unwatch: (() => void) | undefined;
  private readonly filters;

  constructor(
    private readonly o: StreamPollerOptions,
    private readonly stream: ShardedStream,
    private readonly checkpoints: StreamCheckpointRepo,
    private readonly ctx: PollerContext,
  ) {
    this.filters = compileStreamFilters(o.filters);
  }

  /**
   * Loads the checkpoints and, on a mapping's first start, places every shard at the StartingPosition
   * before the mapping reports Enabled: records put after that are read, whatever the poller's pace.
   */
  async prepare(): Promise<void> {
    this.saved = new Map((await this.checkpoints.list(this.ctx.mappingUuid)).map((c) => [c.shardId, c]));
    for (const c of this.saved.values()) if (c.ended) this.ended.add(c.shardId);
    if (this.saved.size > 0) {
      this.placed = true;
      return;
    }
    const shards = await this.stream.shards().catch(() => undefined);
    if (shards === undefined) return; // placed once the stream is readable
    for (const c of await this.place(shards)) this.saved.set(c.shardId, c);
    this.placed = true;
  }

  start(): void {
    this.unwatch = this.stream.onChange(() => this.wakeIdle());
    this.main = this.run().catch((err: unknown) => this.ctx.logger.error('stream poller failed', { stream: this.stream.arn, error: String(err) }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.wakeAll();
    await this.main;
    await Promise.allSettled([...this.readers.values()]);
  }

  private async run(): Promise<void> {
    const saved = this.saved;
    while (!this.stopped) {
      let shards: ShardView[] | undefined;
      try {
        shards = await this.stream.shards();
      } catch (err) {
        this.ctx.report(`PROBLEM: ${(err as Error).message}`);
      }
      if (shards === undefined) {
        if (!this.stopped) this.ctx.report('PROBLEM: Stream not found');
      } else {
        if (!this.placed) {
          for (const c of await this.place(shards)) saved.set(c.shardId, c);
          this.placed = true;
        }
        const known = new Set(shards.map((s) => s.id));
        for (const shard of shards) {
          if (this.readers.has(shard.id) || this.ended.has(shard.id)) continue;
          // A predecessor gone from the stream (past retention) no longer holds its children back.
          if (!shard.predecessors.every((p) => this.ended.has(p) || !known.has(p))) continue;
          const reader = this.read(shard, saved.get(shard.id)?.sequence)
            .catch((err: unknown) => this.ctx.logger.error('stream shard reader failed', { stream: this.stream.arn, shard: shard.id, error: String(err) }))
            .finally(() => {
              this.readers.delete(shard.id);
              saved.delete(shard.id);
              this.wakeIdle();
            });
          this.readers.set(shard.id, reader);
        }
      }
      await this.sleep(RESCAN_MS, true);
    }
  }

  /** A mapping's first start: each shard's starting checkpoint, so a restart cannot skip records put meanwhile. */
  private async place(shards: ShardView[]): Promise<ShardCheckpoint[]> {
    const { startingPosition, startingPositionTimestamp } = this.o.settings;
    if (startingPosition === 'TRIM_HORIZON') return []; // every shard from its start, parents first
    const placed: ShardCheckpoint[] = [];
    for (const shard of shards) {
      const c = shard.closed
        ? { shardId: shard.id, sequence: '', ended: true }
        : { shardId: shard.id, sequence: await this.stream.startPosition(shard.id, startingPosition, startingPositionTimestamp), ended: false };
      if (c.ended) this.ended.add(shard.id);
      await this.checkpoints.save(this.ctx.mappingUuid, c);
      placed.push(c);
    }
    return placed;
  }

  private async read(shard: ShardView, from: string | undefined): Promise<void> {
    let position = from ?? (await this.stream.startPosition(shard.id, 'TRIM_HORIZON', undefined));
    const save = (sequence: string, ended = false) => this.checkpoints.save(this.ctx.mappingUuid, { shardId: shard.id, sequence, ended });
    if (from === undefined) await save(position);
    const tumbling = this.o.settings.tumblingWindowInSeconds ?? 0;
    let window: WindowState | undefined;
    while (!this.stopped) {
      let { items, ended } = await this.stream.read(shard.id, position, this.o.batchSize);
      if (items.length === 0) {
        if (window && (ended || this.ctx.clock.now() >= window.end)) {
          await this.endWindow(shard.id, window);
          window = undefined;
        }
        if (ended) {
          await save(position, true);
          this.ended.add(shard.id);
          return;
        }
        await this.sleep(window ? Math.min(this.stream.idlePollMs, window.end - this.ctx.clock.now()) : this.stream.idlePollMs, true);
        continue;
      }
      if (this.o.maximumBatchingWindowInSeconds > 0 && items.length < this.o.batchSize && !ended) {
        const deadline = this.ctx.clock.now() + this.o.maximumBatchingWindowInSeconds * 1000;
        while (!this.stopped && items.length < this.o.batchSize && this.ctx.clock.now() < deadline) {
          await this.sleep(Math.min(this.stream.idlePollMs, deadline - this.ctx.clock.now()), true);
          ({ items, ended } = await this.stream.read(shard.id, position, this.o.batchSize));
        }
      }
      items = withinPayload(items);
      if (tumbling > 0) {
        // A batch never spans two windows; a new window first closes the one before it.
        const w = windowOf(items[0]!.arrivedAt, tumbling);
        const inWindow = items.findIndex((i) => i.arrivedAt >= w.end);
        if (inWindow > 0) items = items.slice(0, inWindow);
        if (window && window.start !== w.start) {
          await this.endWindow(shard.id, window);
          window = undefined;
        }
        window ??= { ...w, state: {} };
      }
      const current = window;
      const passing = items.filter((i) => passesStreamFilters(this.filters, i));
      const batchLast = items[items.length - 1]!;
      if (passing.length > 0) {
        const batch = new StreamBatch(
          passing,
          {
            function: this.o.function,
            settings: this.o.settings,
            reportBatchItemFailures: this.o.reportBatchItemFailures,
            failure: { shardId: shard.id, streamArn: this.stream.arn, batchInfoKey: this.o.batchInfoKey },
            sendFailure: this.o.sendFailure,
            ...(current
              ? {
                  window: {
                    event: (records: unknown[]) => windowEvent(records, current, shard.id, this.stream.arn, false),
                    returned: (payload: Buffer) => void (current.state = returnedState(payload, current.state)),
                  },
                }
              : {}),
          },
          this.ctx,
          (last: StreamItem) => save(last.sequence),
          (ms) => this.sleep(ms),
          () => this.stopped,
        );
        if (!(await batch.run())) return; // stopped: the next start resumes from the last checkpoint
      }
      position = batchLast.sequence;
      await save(position);
    }
  }

  /** The window's last invocation: no records, its final state, `isFinalInvokeForWindow`. */
  private async endWindow(shardId: string, w: WindowState): Promise<void> {
    try {
      const target = await this.ctx.invoker.resolve(this.o.function);
      const payload = Buffer.from(JSON.stringify(windowEvent([], w, shardId, this.stream.arn, true)));
      const result = await this.ctx.invoker.invoke(target, payload, { stopRecursion: true });
      if (!result.outcome.ok) this.ctx.report('PROBLEM: Function call failed');
    } catch (err) {
      this.ctx.report(`PROBLEM: ${(err as Error).message}`);
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private wakeIdle(): void {
    for (const wake of [...this.idle]) wake();
  }

  /** Waits `ms` on the injected clock; an idle wait also ends when records arrive. */
  private sleep(ms: number, idle = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        timer.cancel();
        this.sleepers.delete(wake);
        this.idle.delete(wake);
        resolve();
      };
      const timer = this.ctx.clock.setTimeout(wake, Math.max(0, ms));
      this.sleepers.add(wake);
      if (idle) this.idle.add(wake);
    });
  }
}
