/**
 * S3's events as it sends them to EventBridge (when a bucket's configuration has
 * `EventBridgeConfiguration`): every event, unfiltered, to the account's default bus, source `aws.s3`,
 * a `detail-type` per kind and, for creations and deletions, a `reason` naming the API (or lifecycle) behind it.
 */
import type { ObjectEvent, ObjectEventName } from './notification-events.js';

/** What S3 hands EventBridge: the envelope's own fields come from the bus. */
export interface S3BusEvent {
  source: 'aws.s3';
  detailType: string;
  /** JSON. */
  detail: string;
  resources: string[];
  time: number;
}

const KINDS: Record<ObjectEventName, { detailType: string; reason?: string; deletionType?: string }> = {
  'ObjectCreated:Put': { detailType: 'Object Created', reason: 'PutObject' },
  'ObjectCreated:Post': { detailType: 'Object Created', reason: 'POST Object' },
  'ObjectCreated:Copy': { detailType: 'Object Created', reason: 'CopyObject' },
  'ObjectCreated:CompleteMultipartUpload': { detailType: 'Object Created', reason: 'CompleteMultipartUpload' },
  'ObjectRemoved:Delete': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Permanently Deleted' },
  'ObjectRemoved:DeleteMarkerCreated': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Delete Marker Created' },
  'LifecycleExpiration:Delete': { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Permanently Deleted' },
  'LifecycleExpiration:DeleteMarkerCreated': { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Delete Marker Created' },
  'ObjectTagging:Put': { detailType: 'Object Tags Added' },
  'ObjectTagging:Delete': { detailType: 'Object Tags Deleted' },
};

/** S3 itself, as the requester of what lifecycle rules do. */
const S3_SERVICE = 's3.amazonaws.com';

/** One event in EventBridge's S3 shape; `accountId` is the requester of API calls (S3 names the account). */
export function busEvent(event: ObjectEvent, sequencer: string, accountId: string): S3BusEvent {
  const kind = KINDS[event.name];
  const object: Record<string, unknown> = { key: event.key };
  if (event.size !== undefined) object['size'] = event.size;
  if (event.etag !== undefined) object['etag'] = event.etag;
  if (event.versionId !== undefined) object['version-id'] = event.versionId;
  object['sequencer'] = sequencer;
  const detail = {
    version: '0',
    bucket: { name: event.bucket },
    object,
    'request-id': event.requestId,
    requester: event.principalId === S3_SERVICE ? S3_SERVICE : accountId,
    'source-ip-address': '127.0.0.1',
    ...(kind.reason ? { reason: kind.reason } : {}),
    ...(kind.deletionType ? { 'deletion-type': kind.deletionType } : {}),
  };
  return { source: 'aws.s3', detailType: kind.detailType, detail: JSON.stringify(detail), resources: [`arn:aws:s3:::${event.bucket}`], time: event.time };
}
