/**
 * Subscription filters' deliveries, as CloudWatch Logs makes them: matching events are gathered per
 * filter and stream for a moment, then sent as `{ awslogs: { data: base64(gzip(DATA_MESSAGE)) } }`.
 *
 * Loops: a function subscribed to its own group is refused when the filter is put, and the lines an
 * invocation prints while handling a delivery are never delivered by any subscription filter (the
 * request ids of deliveries are remembered), so two functions subscribed to each other's groups
 * cannot feed each other without bound either. Those lines are still stored and metric-filtered.
 */
import { gzipSync } from 'node:zlib';
import type { Clock, Timer } from '../../lib/clock.js';
import { newRequestId } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type { LogRecord } from '../../storage/store.js';
import type { SubscriptionSender } from './filter-sink.js';
import { groupName } from './group-names.js';
import type { LogEvent } from './metric-filters.js';
import { filterKey, type SubscriptionFilterRecord } from './model.js';

/** Sends a payload to a destination as an invocation with this request id. */
export type Deliver = (destinationArn: string, payload: string, requestId: string) => Promise<void>;

/** Uncompressed message bytes per delivery: compressed and in base64 it stays under an async invoke's 256 KB. */
const MAX_BATCH_BYTES = 128 * 1024;
const MAX_BATCH_EVENTS = 10_000;
/** Delivery request ids remembered, oldest forgotten first. */
const REMEMBERED_DELIVERIES = 10_000;

interface Batch {
  filter: SubscriptionFilterRecord;
  stream: string;
  events: { id: string; timestamp: number; message: string }[];
  bytes: number;
}

export class LambdaSubscriptions implements SubscriptionSender {
  private readonly batches = new Map<string, Batch>();
  private timer: Timer | undefined;
  private readonly deliveries = new Set<string>();
  private readonly sending = new Set<Promise<void>>();
  private sequence = 0;

  constructor(
    private readonly deliver: Deliver,
    private readonly accountId: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly gatherMs = 200,
  ) {}

  excluded(record: LogRecord): boolean {
    return record.requestId !== null && this.deliveries.has(record.requestId);
  }

  send(filter: SubscriptionFilterRecord, record: LogRecord, events: readonly LogEvent[]): void {
    const key = `${filterKey(filter.group, filter.filterName)}\n${record.stream}`;
    for (const e of events) {
      let batch = this.batches.get(key);
      const bytes = Buffer.byteLength(e.message) + 26;
      if (batch && (batch.bytes + bytes > MAX_BATCH_BYTES || batch.events.length >= MAX_BATCH_EVENTS)) {
        this.batches.delete(key);
        this.ship(batch);
        batch = undefined;
      }
      if (!batch) this.batches.set(key, (batch = { filter, stream: record.stream, events: [], bytes: 0 }));
      batch.events.push({ id: this.eventId(e.timestamp), timestamp: e.timestamp, message: e.message });
      batch.bytes += bytes;
    }
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.gatherMs);
  }

  /** Sends every batch gathered so far and resolves once they are handed over. */
  async drain(): Promise<void> {
    this.flush();
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  private flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const batches = [...this.batches.values()];
    this.batches.clear();
    for (const b of batches) this.ship(b);
  }

  /** CloudWatch's event ids are 56 digits: here the time, then a sequence. */
  private eventId(timestamp: number): string {
    this.sequence = (this.sequence + 1) % 1e15;
    return `${String(timestamp).padStart(20, '0')}${String(this.sequence).padStart(36, '0')}`;
  }

  private ship(b: Batch): void {
    const message = {
      messageType: 'DATA_MESSAGE',
      owner: this.accountId,
      logGroup: groupName(b.filter.group),
      logStream: b.stream,
      subscriptionFilters: [b.filter.filterName],
      logEvents: b.events,
    };
    const payload = JSON.stringify({ awslogs: { data: gzipSync(JSON.stringify(message)).toString('base64') } });
    // Remembered before the invocation exists, so that none of its lines can come first.
    const requestId = newRequestId();
    this.deliveries.add(requestId);
    if (this.deliveries.size > REMEMBERED_DELIVERIES) this.deliveries.delete(this.deliveries.values().next().value!);
    const p = this.deliver(b.filter.destinationArn, payload, requestId)
      .catch((err: unknown) => this.logger.warn('could not deliver log events to a subscription', { filter: b.filter.filterName, destination: b.filter.destinationArn, error: String(err) }))
      .finally(() => this.sending.delete(p));
    this.sending.add(p);
  }
}
