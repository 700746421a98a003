/** Streams (Kinesis, DynamoDB Streams) as an event source kind: Lambda's stream settings, their limits, and a StreamPoller. */
import type { StreamCheckpointRepo } from '../storage/stream-checkpoint-repo.js';
import { Errors } from '../wire/errors.js';
import type { EventSourceMapping, MappingSettings } from './model.js';
import type { EventSourcePoller, PollerContext } from './poller.js';
import type { StreamAdapter } from './sharded-stream.js';
import type { EventSourceKind } from './sources.js';
import { checkFilters } from './sqs-source.js';
import type { FailureSender } from './stream-failures.js';
import { StreamPoller } from './stream-poller.js';

const MAX_BATCH_SIZE = 10_000;
const MAX_WINDOW_SECONDS = 300;

/** Members for queue and broker sources, which a stream mapping refuses as Lambda does. */
const NOT_FOR_STREAMS = ['ScalingConfig', 'Topics', 'Queues', 'SourceAccessConfigurations', 'SelfManagedEventSource', 'AmazonManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig', 'DocumentDBEventSourceConfig'];

export interface StreamKindDeps {
  checkpoints: StreamCheckpointRepo;
  sendFailure: FailureSender;
  /** Throws Lambda's error when an on-failure destination cannot receive records. */
  checkDestination(arn: string): Promise<void>;
}

export class StreamSourceKind implements EventSourceKind {
  readonly refusedMembers = NOT_FOR_STREAMS;
  readonly pollsOnOneNode = true;

  constructor(
    private readonly adapter: StreamAdapter,
    private readonly d: StreamKindDeps,
  ) {}

  get label(): string {
    return this.adapter.label;
  }

  claims(arn: string): boolean {
    return this.adapter.claims(arn);
  }

  check(arn: string): Promise<void> {
    return this.adapter.check(arn);
  }

  defaults() {
    return {
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: false,
      stream: {
        // Required of the caller; validate() refuses a mapping without one.
        startingPosition: undefined as unknown as 'LATEST',
        parallelizationFactor: 1,
        bisectBatchOnFunctionError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
      },
    };
  }

  async validate(s: MappingSettings, arn: string): Promise<void> {
    const st = s.stream;
    if (st?.startingPosition === undefined) throw Errors.invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: Member must not be null');
    if (st.startingPosition === 'AT_TIMESTAMP') {
      if (!this.adapter.allowsTimestamp) throw Errors.invalidParameter(`Unsupported starting position AT_TIMESTAMP for ${this.adapter.label} event source ${arn}.`);
      if (st.startingPositionTimestamp === undefined) throw Errors.invalidParameter('Need to specify a timestamp');
    }
    if (s.batchSize < 1 || s.batchSize > MAX_BATCH_SIZE) throw Errors.invalidParameter(`BatchSize must be between 1 and ${MAX_BATCH_SIZE}.`);
    if (s.maximumBatchingWindowInSeconds > MAX_WINDOW_SECONDS) throw Errors.invalidParameter(`MaximumBatchingWindowInSeconds must be less than or equal to ${MAX_WINDOW_SECONDS}.`);
    if (st.parallelizationFactor < 1 || st.parallelizationFactor > 10) throw Errors.invalidParameter('ParallelizationFactor must be between 1 and 10.');
    if (st.maximumRetryAttempts < -1 || st.maximumRetryAttempts > 10_000) throw Errors.invalidParameter('MaximumRetryAttempts must be between -1 and 10000.');
    const age = st.maximumRecordAgeInSeconds;
    if (age !== -1 && (age < 60 || age > 604_800)) throw Errors.invalidParameter('MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.');
    const tw = st.tumblingWindowInSeconds ?? 0;
    if (tw < 0 || tw > 900) throw Errors.invalidParameter('TumblingWindowInSeconds must be between 0 and 900.');
    if (st.onFailure !== undefined) {
      const service = st.onFailure.split(':')[2];
      if (service !== 'sqs' && service !== 'sns' && service !== 's3') {
        throw Errors.invalidParameter(`Unsupported on-failure destination ${st.onFailure}: Selfless sends stream failure records to SQS queues, SNS topics and S3 buckets.`);
      }
      await this.d.checkDestination(st.onFailure);
    }
    checkFilters(s.filters);
  }

  async poller(m: EventSourceMapping, ctx: PollerContext): Promise<EventSourcePoller> {
    const poller = new StreamPoller(
      {
        function: { name: m.functionName, ...(m.qualifier !== undefined ? { qualifier: m.qualifier } : {}) },
        batchSize: m.batchSize,
        maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
        reportBatchItemFailures: m.reportBatchItemFailures,
        filters: m.filters,
        settings: m.stream!,
        batchInfoKey: this.adapter.batchInfoKey,
        sendFailure: this.d.sendFailure,
      },
      this.adapter.open(m.eventSourceArn),
      this.d.checkpoints,
      ctx,
    );
    await poller.prepare();
    return poller;
  }

  forget(uuid: string): Promise<void> {
    return this.d.checkpoints.forget(uuid);
  }
}
