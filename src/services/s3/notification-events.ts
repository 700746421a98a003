/** S3 event notifications' wire-independent parts: which targets an event goes to, and the records S3 sends. */
import type { NotificationTarget } from './model.js';

export type ObjectEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated'
  | 'LifecycleExpiration:Delete'
  | 'LifecycleExpiration:DeleteMarkerCreated';

export const EVENT_TYPES: readonly string[] = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
];

export interface ObjectEvent {
  name: ObjectEventName;
  bucket: string;
  key: string;
  size?: number;
  /** Unquoted, as event records carry it. */
  etag?: string;
  /** Present in versioned buckets (`null` for a suspended bucket's delete marker). */
  versionId?: string;
  requestId: string;
  principalId: string;
  time: number;
}

/** `s3:ObjectCreated:*` covers every `ObjectCreated` event; otherwise names match exactly. */
export function targetTakes(target: NotificationTarget, event: ObjectEvent): boolean {
  const named = target.events.some((e) => e === `s3:${event.name}` || (e.endsWith(':*') && `s3:${event.name}`.startsWith(e.slice(0, -1))));
  return named && event.key.startsWith(target.prefix ?? '') && event.key.endsWith(target.suffix ?? '');
}

/** Keys in records are URL-encoded as forms are: a space is `+`. */
const recordKey = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/** One event in S3's record shape (event version 2.1). */
export function eventRecord(event: ObjectEvent, target: NotificationTarget, region: string, sequencer: string): Record<string, unknown> {
  const object: Record<string, unknown> = { key: recordKey(event.key) };
  if (event.size !== undefined) object['size'] = event.size;
  if (event.etag !== undefined) object['eTag'] = event.etag;
  if (event.versionId !== undefined) object['versionId'] = event.versionId;
  object['sequencer'] = sequencer;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date(event.time).toISOString(),
        eventName: event.name,
        userIdentity: { principalId: event.principalId },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: target.id,
          bucket: { name: event.bucket, ownerIdentity: { principalId: event.principalId }, arn: `arn:aws:s3:::${event.bucket}` },
          object,
        },
      },
    ],
  };
}

/** The detail-type, reason and deletion type of an event as S3 sends it to EventBridge. */
const EVENT_BRIDGE_KINDS: Record<ObjectEventName, { detailType: string; reason: string; deletionType?: string }> = {
  'ObjectCreated:Put': { detailType: 'Object Created', reason: 'PutObject' },
  'ObjectCreated:Post': { detailType: 'Object Created', reason: 'POST Object' },
  'ObjectCreated:Copy': { detailType: 'Object Created', reason: 'CopyObject' },
  'ObjectCreated:CompleteMultipartUpload': { detailType: 'Object Created', reason: 'CompleteMultipartUpload' },
  'ObjectRemoved:Delete': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Permanently Deleted' },
  'ObjectRemoved:DeleteMarkerCreated': { detailType: 'Object Deleted', reason: 'DeleteObject', deletionType: 'Delete Marker Created' },
  'LifecycleExpiration:Delete': { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Permanently Deleted' },
  'LifecycleExpiration:DeleteMarkerCreated': { detailType: 'Object Deleted', reason: 'Lifecycle Expiration', deletionType: 'Delete Marker Created' },
};

/** An event as S3 puts it on the default event bus: its detail-type and detail (the bus adds the envelope). */
export function eventBridgeEvent(event: ObjectEvent, account: string, sequencer: string): { detailType: string; detail: Record<string, unknown> } {
  const kind = EVENT_BRIDGE_KINDS[event.name];
  const object: Record<string, unknown> = { key: event.key };
  if (event.size !== undefined) object['size'] = event.size;
  if (event.etag !== undefined) object['etag'] = event.etag;
  if (event.versionId !== undefined) object['version-id'] = event.versionId;
  object['sequencer'] = sequencer;
  return {
    detailType: kind.detailType,
    detail: {
      version: '0',
      bucket: { name: event.bucket },
      object,
      'request-id': event.requestId,
      requester: account,
      'source-ip-address': '127.0.0.1',
      reason: kind.reason,
      ...(kind.deletionType ? { 'deletion-type': kind.deletionType } : {}),
    },
  };
}

/** What S3 sends a queue or topic when a configuration names it. */
export const testEvent = (bucket: string, requestId: string, time: number) => ({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: new Date(time).toISOString(),
  Bucket: bucket,
  RequestId: requestId,
  HostId: requestId,
});
