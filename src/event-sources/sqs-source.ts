/** Queues of the built-in queue service as an event source kind. */
import type { QueueSystem } from '../services/sqs/queue-system.js';
import { Errors } from '../wire/errors.js';
import { PatternError } from './filter-pattern.js';
import type { EventSourceMapping, MappingSettings } from './model.js';
import type { EventSourcePoller, PollerContext } from './poller.js';
import type { EventSourceKind } from './sources.js';
import { parseSqsFilters } from './sqs-event.js';
import { DEFAULT_MAXIMUM_CONCURRENCY, SqsPoller } from './sqs-poller.js';

const MAX_BATCH_SIZE = 10_000;
const MAX_FIFO_BATCH_SIZE = 10;

/** Members for stream and broker sources, which an SQS mapping refuses as Lambda does. */
const NOT_FOR_SQS = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'ParallelizationFactor',
  'BisectBatchOnFunctionError',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'TumblingWindowInSeconds',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'DestinationConfig',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
];

export class SqsSourceKind implements EventSourceKind {
  readonly label = 'SQS';
  readonly refusedMembers = NOT_FOR_SQS;
  readonly pollsOnOneNode = false;

  constructor(private readonly queues: QueueSystem) {}

  claims(arn: string): boolean {
    return arn.split(':')[2] === 'sqs';
  }

  async check(arn: string): Promise<void> {
    await this.fifo(arn);
  }

  defaults() {
    return { batchSize: 10, maximumBatchingWindowInSeconds: 0, reportBatchItemFailures: false };
  }

  async validate(s: MappingSettings, arn: string): Promise<void> {
    const fifo = await this.fifo(arn);
    if (s.batchSize > (fifo ? MAX_FIFO_BATCH_SIZE : MAX_BATCH_SIZE)) {
      throw Errors.invalidParameter(
        fifo ? 'BatchSize must be less than or equal to 10 for FIFO queues.' : `BatchSize must be less than or equal to ${MAX_BATCH_SIZE}.`,
      );
    }
    if (s.batchSize > 10 && s.maximumBatchingWindowInSeconds < 1) {
      throw Errors.invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
    checkFilters(s.filters);
  }

  async poller(m: EventSourceMapping, ctx: PollerContext): Promise<EventSourcePoller> {
    const queue = await this.queues.queues.byArn(m.eventSourceArn);
    const queueName = m.eventSourceArn.split(':')[5]!;
    return new SqsPoller(
      {
        queueName,
        queueArn: m.eventSourceArn,
        fifo: queue?.settings.fifoQueue ?? queueName.endsWith('.fifo'),
        function: { name: m.functionName, ...(m.qualifier !== undefined ? { qualifier: m.qualifier } : {}) },
        batchSize: m.batchSize,
        maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
        reportBatchItemFailures: m.reportBatchItemFailures,
        maximumConcurrency: m.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY,
        filters: parseSqsFilters(m.filters),
      },
      this.queues,
      ctx,
    );
  }

  async forget(): Promise<void> {}

  private async fifo(arn: string): Promise<boolean> {
    const queue = await this.queues.queues.byArn(arn);
    if (!queue) {
      throw Errors.invalidParameter(
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.',
      );
    }
    return queue.settings.fifoQueue;
  }
}

/** Filter patterns, checked as Lambda checks them when a mapping is created or updated. */
export function checkFilters(filters: readonly string[]): void {
  for (const f of filters) {
    try {
      parseSqsFilters([f]);
    } catch (err) {
      if (err instanceof PatternError) throw Errors.invalidParameter(`Invalid filter pattern definition: ${err.message}.`);
      throw err;
    }
  }
}
