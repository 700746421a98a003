/**
 * Where a stream mapping's failure records go: an SQS queue (as async destinations send), an SNS
 * topic, or an S3 bucket (one object per discarded batch, with the event the function was sent).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Destinations } from '../async/destinations.js';
import type { S3System } from '../services/s3/s3-system.js';
import type { SnsSystem } from '../services/sns/sns-system.js';
import { Errors } from '../wire/errors.js';
import type { FailureDetails } from './stream-failures.js';

const serviceOf = (arn: string): string | undefined => arn.split(':')[2];
const bucketOf = (arn: string): string => arn.slice('arn:aws:s3:::'.length);

export interface FailureSinks {
  destinations: Destinations;
  sns: SnsSystem;
  s3: S3System;
}

export async function sendStreamFailure(arn: string, record: Record<string, unknown>, details: FailureDetails, sinks: FailureSinks): Promise<boolean> {
  try {
    switch (serviceOf(arn)) {
      case 'sns':
        await sinks.sns.publisher.publish({ topicArn: arn, message: JSON.stringify(record), attributes: {} });
        return true;
      case 's3': {
        const body = Buffer.from(JSON.stringify({ ...record, payload: details.payload }));
        await sinks.s3.objects.put({
          bucket: bucketOf(arn),
          key: objectKey(details, new Date(String(record['timestamp']))),
          body: { source: Readable.from([body]), transforms: [], declaredLength: body.length },
          headers: { contentType: 'application/json' },
          metadata: {},
          origin: { requestId: randomUUID(), principalId: 'AWS:lambda' },
        });
        return true;
      }
      default:
        return await sinks.destinations.deliver(arn, record);
    }
  } catch {
    return false;
  }
}

/** As Lambda names them: aws/lambda/<mapping>/<shard>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>. */
function objectKey(d: FailureDetails, at: Date): string {
  const iso = at.toISOString();
  const [day, time] = [iso.slice(0, 10), iso.slice(11, 19).replace(/:/g, '.')];
  return `aws/lambda/${d.mappingUuid}/${d.shardId}/${day.replace(/-/g, '/')}/${day}T${time}-${randomUUID()}`;
}

export async function checkStreamFailureDestination(arn: string, sinks: FailureSinks): Promise<void> {
  switch (serviceOf(arn)) {
    case 'sns':
      await sinks.sns.topics.get(arn).catch(() => {
        throw Errors.invalidParameter(`The destination topic ${arn} does not exist.`);
      });
      return;
    case 's3':
      await sinks.s3.buckets.require(bucketOf(arn)).catch(() => {
        throw Errors.invalidParameter(`The destination bucket ${arn} does not exist.`);
      });
      return;
    default:
      return sinks.destinations.check(arn);
  }
}
