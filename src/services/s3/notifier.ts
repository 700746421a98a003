/**
 * Delivers a bucket's event notifications. Each event is handed to its destinations before the
 * write is answered: a function's as a durable async invocation (with Lambda's retries, destinations
 * and DLQ), a queue's as a message, a topic's as a publication. A destination that fails is logged; the
 * write has happened.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { S3Repo } from '../../storage/store.js';
import { S3Errors } from '../../wire/errors.js';
import type { BucketService } from './bucket-service.js';
import type { NotificationTarget } from './model.js';
import { EVENT_TYPES, eventBridgeEvent, eventRecord, targetTakes, testEvent, type ObjectEvent } from './notification-events.js';

/** Where notifications go: the platform's functions, queues and topics, behind what S3 needs of them. */
export interface NotificationSinks {
  /** Throws unless the function exists and its resource policy lets `s3.amazonaws.com` invoke it for this bucket. */
  checkFunction(arn: string, bucket: string): Promise<void>;
  /** Throws unless the queue exists. */
  checkQueue(arn: string): Promise<void>;
  /** Throws unless the topic exists and is a standard topic (S3 does not notify FIFO topics). */
  checkTopic(arn: string): Promise<void>;
  invokeAsync(arn: string, payload: string): Promise<void>;
  sendToQueue(arn: string, body: string): Promise<void>;
  publishToTopic(arn: string, body: string): Promise<void>;
  /** Puts an event from `aws.s3` about the bucket on the default event bus. */
  putEvent(e: { bucket: string; region: string; time: number; detailType: string; detail: Record<string, unknown> }): Promise<void>;
  /** The account S3 names as the requester. */
  readonly accountId: string;
}

export class Notifier {
  private sequence = 0;

  constructor(
    private readonly repo: S3Repo,
    private readonly buckets: BucketService,
    private readonly sinks: NotificationSinks,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Validates every destination as S3 does, stores the configuration, then sends queues and topics their test event. */
  async configure(bucketName: string, targets: NotificationTarget[], requestId: string, eventBridge = false): Promise<void> {
    const bucket = await this.buckets.require(bucketName);
    const failed: string[] = [];
    for (const t of targets) {
      const unknown = t.events.find((e) => !EVENT_TYPES.includes(e));
      if (unknown) throw S3Errors.invalidArgument(`The event is not supported for notifications: ${unknown}`);
      try {
        if (t.kind === 'function') await this.sinks.checkFunction(t.arn, bucketName);
        else if (t.kind === 'topic') await this.sinks.checkTopic(t.arn);
        else await this.sinks.checkQueue(t.arn);
      } catch {
        failed.push(t.arn);
      }
    }
    if (failed.length > 0) throw S3Errors.invalidArgument(`Unable to validate the following destination configurations: ${failed.join(', ')}`);
    const { eventBridge: _was, ...rest } = bucket;
    await this.repo.updateBucket({ ...rest, notifications: targets, ...(eventBridge ? { eventBridge: true as const } : {}) });
    for (const t of targets.filter((x) => x.kind !== 'function')) {
      const body = JSON.stringify(testEvent(bucketName, requestId, this.clock.now()));
      if (t.kind === 'topic') await this.sinks.publishToTopic(t.arn, body);
      else await this.sinks.sendToQueue(t.arn, body);
    }
  }

  async configuration(bucketName: string): Promise<{ targets: NotificationTarget[]; eventBridge: boolean }> {
    const bucket = await this.buckets.require(bucketName);
    return { targets: bucket.notifications, eventBridge: bucket.eventBridge === true };
  }

  async emit(event: ObjectEvent): Promise<void> {
    const bucket = await this.repo.getBucket(event.bucket);
    const targets = bucket?.notifications.filter((t) => targetTakes(t, event)) ?? [];
    if (targets.length === 0 && bucket?.eventBridge !== true) return;
    const sequencer = (this.clock.now() * 1000 + (this.sequence++ % 1000)).toString(16).toUpperCase().padStart(16, '0');
    for (const target of targets) {
      const body = JSON.stringify(eventRecord(event, target, bucket!.region, sequencer));
      try {
        if (target.kind === 'function') await this.sinks.invokeAsync(target.arn, body);
        else if (target.kind === 'topic') await this.sinks.publishToTopic(target.arn, body);
        else await this.sinks.sendToQueue(target.arn, body);
      } catch (err) {
        this.logger.warn('S3 event notification not delivered', { bucket: event.bucket, destination: target.arn, error: (err as Error).message });
      }
    }
    if (bucket?.eventBridge === true) {
      const { detailType, detail } = eventBridgeEvent(event, this.sinks.accountId, sequencer);
      await this.sinks.putEvent({ bucket: event.bucket, region: bucket.region, time: event.time, detailType, detail }).catch((err: unknown) => {
        this.logger.warn('S3 event not put on the default event bus', { bucket: event.bucket, error: (err as Error).message });
      });
    }
  }
}
