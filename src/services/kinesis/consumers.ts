/** Enhanced fan-out consumers: registered, described, listed and deregistered (SubscribeToShard is not served). */
import type { Clock } from '../../lib/clock.js';
import { KinesisErrors } from '../../wire/errors.js';
import type { ConsumerRecord, StreamRecord } from './model.js';
import type { StreamService } from './stream-service.js';

const MAX_CONSUMERS = 20;

export interface ConsumerRef {
  arn?: string | undefined;
  streamArn?: string | undefined;
  name?: string | undefined;
}

export class ConsumerService {
  constructor(
    private readonly streams: StreamService,
    private readonly clock: Clock,
  ) {}

  async register(streamArn: string, name: string): Promise<{ stream: StreamRecord; consumer: ConsumerRecord }> {
    let consumer!: ConsumerRecord;
    const stream = await this.streams.change({ arn: streamArn }, (s) => {
      if (s.consumers.some((c) => c.name === name)) throw KinesisErrors.resourceInUse(`Consumer ${name} under stream ${s.name} already exists for account ${this.streams.account.accountId}.`);
      if (s.consumers.length >= MAX_CONSUMERS) throw KinesisErrors.limitExceeded(`Stream ${s.name} under account ${this.streams.account.accountId} already has ${MAX_CONSUMERS} registered consumers.`);
      const now = this.clock.now();
      consumer = { name, arn: `${s.arn}/consumer/${name}:${Math.floor(now / 1000)}`, createdAt: now };
      return { ...s, consumers: [...s.consumers, consumer] };
    });
    return { stream, consumer };
  }

  async describe(ref: ConsumerRef): Promise<{ stream: StreamRecord; consumer: ConsumerRecord }> {
    const stream = await this.streamOf(ref);
    const consumer = stream.consumers.find((c) => (ref.arn !== undefined ? c.arn === ref.arn : c.name === ref.name));
    if (!consumer) throw KinesisErrors.consumerNotFound(ref.arn ?? `${ref.name} under stream ${stream.name}`);
    return { stream, consumer };
  }

  async list(streamArn: string): Promise<ConsumerRecord[]> {
    return (await this.streams.get({ arn: streamArn })).consumers;
  }

  async deregister(ref: ConsumerRef): Promise<void> {
    const { stream, consumer } = await this.describe(ref);
    await this.streams.change({ name: stream.name }, (s) => ({ ...s, consumers: s.consumers.filter((c) => c.arn !== consumer.arn) }));
  }

  private streamOf(ref: ConsumerRef): Promise<StreamRecord> {
    if (ref.arn !== undefined) {
      const streamArn = ref.arn.split('/consumer/')[0]!;
      return this.streams.get({ arn: streamArn }).catch(() => {
        throw KinesisErrors.consumerNotFound(ref.arn!);
      });
    }
    if (ref.streamArn === undefined || ref.name === undefined) throw KinesisErrors.invalidArgument('Either ConsumerARN or both StreamARN and ConsumerName should be provided.');
    return this.streams.get({ arn: ref.streamArn });
  }
}
