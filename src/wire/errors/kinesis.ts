import { kind, entry, text } from './core.js';

/** Kinesis Data Streams' errors (JSON 1.1): every client error is a 400. */
const invalidArgument = kind('InvalidArgumentException', 400);
const notFound = kind('ResourceNotFoundException', 400);
const inUse = kind('ResourceInUseException', 400);
export const KinesisErrors = {
  invalidArgument: entry(invalidArgument, text),
  streamNotFound: entry(notFound, (name: string, account: string) => `Stream ${name} under account ${account} not found.`),
  shardNotFound: entry(notFound, (shard: string, name: string, account: string) => `Shard ${shard} in stream ${name} under account ${account} does not exist`),
  consumerNotFound: entry(notFound, (what: string) => `Consumer ${what} not found.`),
  streamExists: entry(inUse, (name: string, account: string) => `Stream ${name} under account ${account} already exists.`),
  resourceInUse: entry(inUse, text),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
  expiredIterator: entry(
    kind('ExpiredIteratorException', 400),
    (made: string, now: string) =>
      `Iterator expired. The iterator was created at time ${made} while right now it is ${now} which is further in the future than the tolerated delay of 300000 milliseconds.`,
  ),
  throughputExceeded: entry(
    kind('ProvisionedThroughputExceededException', 400),
    (shard: string, name: string, account: string) => `Rate exceeded for shard ${shard} in stream ${name} under account ${account}.`,
  ),
  expiredNextToken: entry(kind('ExpiredNextTokenException', 400), text),
} as const;
