/**
 * DynamoDB and Kinesis, and the event source mappings that read queues and streams into functions
 * (stream failures go to SQS, SNS or S3).
 */
import { DynamoDbStreamAdapter } from '../event-sources/dynamodb-stream.js';
import { checkStreamFailureDestination, sendStreamFailure } from '../event-sources/failure-destinations.js';
import { KinesisStreamAdapter } from '../event-sources/kinesis-stream.js';
import { EventSourceMappingService } from '../event-sources/mapping-service.js';
import { SqsSourceKind } from '../event-sources/sqs-source.js';
import { StreamSourceKind } from '../event-sources/stream-source.js';
import { createDynamoDbSystem } from '../services/dynamodb/system.js';
import { createKinesisSystem } from '../services/kinesis/kinesis-system.js';
import type { S3System } from '../services/s3/s3-system.js';
import type { SnsSystem } from '../services/sns/sns-system.js';
import type { FailureDetails } from '../event-sources/stream-failures.js';
import type { Events } from './events.js';
import type { Fleet } from './fleet.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';
import type { Late } from './late.js';
import type { PlatformOverrides } from './overrides.js';

export type Streams = ReturnType<typeof createStreams>;

const mappingLease = (uuid: string): string => `event-source-mapping:${uuid}`;

export function createStreams(
  { config, store, clock, logger, account }: Foundation,
  { functions }: Lambda,
  { invoker, queues, metrics }: Invocation,
  { asyncSystem }: Events,
  { member, shared }: Fleet,
  overrides: PlatformOverrides,
  sns: Late<SnsSystem>,
  s3: Late<S3System>,
) {
  const dynamodb = createDynamoDbSystem(store.dynamodb, overrides.dynamodbClock ?? clock, logger, account);
  const kinesis = createKinesisSystem(store.kinesis, overrides.kinesisClock ?? clock, logger, account);
  // Event source mappings read queues and streams (Kinesis, DynamoDB); stream failures go to SQS, SNS or S3.
  const sinks = () => ({ destinations: asyncSystem.destinations, sns: sns.get(), s3: s3.get() });
  const streamKind = {
    checkpoints: store.streamCheckpoints,
    sendFailure: (arn: string, record: Record<string, unknown>, details: FailureDetails) => sendStreamFailure(arn, record, details, sinks()),
    checkDestination: (arn: string) => checkStreamFailureDestination(arn, sinks()),
  };
  const mappings = new EventSourceMappingService({
    repo: store.eventSourceMappings,
    functions,
    invoker,
    sources: [
      new SqsSourceKind(queues),
      new StreamSourceKind(new KinesisStreamAdapter(kinesis, config.region), streamKind),
      new StreamSourceKind(new DynamoDbStreamAdapter(dynamodb, config.region), streamKind),
    ],
    clock,
    logger,
    region: config.region,
    accountId: config.accountId,
    metrics,
    // On a fleet, a stream mapping is polled by the one node holding its lease.
    ...(shared ? { leases: { take: (uuid: string) => member.lease(mappingLease(uuid)), release: (uuid: string) => member.release(mappingLease(uuid)) } } : {}),
  });
  // Mappings created, changed or deleted through other nodes; stream mappings follow their leases.
  if (shared) member.afterEachBeat(() => mappings.refresh());
  return { dynamodb, kinesis, mappings };
}
