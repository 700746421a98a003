/**
 * The record Lambda sends to a stream mapping's on-failure destination for records it discards:
 * where they were in the shard, why, and how the last invocation went (no record data).
 */
import type { StreamItem } from './sharded-stream.js';

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface LastInvocation {
  requestId: string;
  executedVersion: string;
  /** "Unhandled" or the function's error type; undefined when the function was not invoked. */
  functionError: string | undefined;
}

export interface FailureContext {
  functionArn: string;
  shardId: string;
  streamArn: string;
  batchInfoKey: string;
  now: number;
}

export function failureRecord(c: FailureContext, items: readonly StreamItem[], condition: DiscardCondition, invokeCount: number, last: LastInvocation | undefined): Record<string, unknown> {
  const first = items[0]!;
  const final = items[items.length - 1]!;
  return {
    requestContext: { requestId: last?.requestId ?? '', functionArn: c.functionArn, condition, approximateInvokeCount: invokeCount },
    responseContext: {
      statusCode: 200,
      executedVersion: last?.executedVersion ?? '$LATEST',
      functionError: last?.functionError ?? 'Unhandled',
    },
    version: '1.0',
    timestamp: new Date(c.now).toISOString(),
    [c.batchInfoKey]: {
      shardId: c.shardId,
      startSequenceNumber: first.sequence,
      endSequenceNumber: final.sequence,
      approximateArrivalOfFirstRecord: new Date(first.arrivedAt).toISOString(),
      approximateArrivalOfLastRecord: new Date(final.arrivedAt).toISOString(),
      batchSize: items.length,
      streamArn: c.streamArn,
    },
  };
}

/** What an S3 destination's object adds to the record: its place in the bucket, and the event sent. */
export interface FailureDetails {
  mappingUuid: string;
  shardId: string;
  /** The event the function was (or would have been) sent. */
  payload: unknown;
}

/** Sends a failure record to an SQS queue, SNS topic or S3 bucket; false when it could not. */
export type FailureSender = (destinationArn: string, record: Record<string, unknown>, details: FailureDetails) => Promise<boolean>;
