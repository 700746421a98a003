/** Objects: written from streams into blobs, read back as streams, listed, copied, deleted (their space reclaimed). */
import type { Readable } from 'node:stream';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { S3Repo } from '../../storage/store.js';
import { S3Errors } from '../../wire/errors.js';
import type { BlobStore } from './blobs.js';
import type { BucketService } from './bucket-service.js';
import { checkRead, type ReadConditions } from './conditions.js';
import { etagOf, ingest, type IncomingBody } from './ingest.js';
import { listObjects, type ListRequest, type Listing } from './listing.js';
import type { ContentHeaders, ObjectRecord, Tags, WriteCondition } from './model.js';
import type { ObjectEvent, ObjectEventName } from './notification-events.js';
import { parseRange, readBlobs, type ByteRange } from './read-range.js';

const MAX_KEY_BYTES = 1024;

/** Who made a change, as event notifications name them. */
export interface Origin {
  requestId: string;
  principalId: string;
}

/** Where changes to objects are announced (event notifications). */
export interface ObjectEvents {
  emit(event: ObjectEvent): Promise<void>;
}

export interface PutRequest {
  bucket: string;
  key: string;
  body: IncomingBody;
  headers: ContentHeaders;
  metadata: Record<string, string>;
  condition?: WriteCondition;
  tags?: Tags;
  origin: Origin;
}

export interface ReadResult {
  object: ObjectRecord;
  range: ByteRange | undefined;
  body: Readable;
}

export interface CopyRequest {
  source: { bucket: string; key: string; conditions: ReadConditions };
  bucket: string;
  key: string;
  /** New headers and metadata (`REPLACE`), or undefined to keep the source's (`COPY`). */
  replace?: { headers: ContentHeaders; metadata: Record<string, string> };
  /** New tags (`TaggingDirective: REPLACE`), or undefined to keep the source's. */
  tags?: Tags;
  origin: Origin;
}

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw S3Errors.keyTooLong(size);
}

export class ObjectService {
  constructor(
    private readonly repo: S3Repo,
    private readonly blobs: BlobStore,
    private readonly buckets: BucketService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: ObjectEvents,
  ) {}

  async put(req: PutRequest): Promise<ObjectRecord> {
    checkKey(req.key);
    await this.buckets.require(req.bucket);
    const { blob, md5, checksum } = await ingest(this.blobs, req.body);
    const object: ObjectRecord = {
      bucket: req.bucket,
      key: req.key,
      etag: etagOf(md5),
      size: blob.size,
      lastModified: this.clock.now(),
      headers: req.headers,
      metadata: req.metadata,
      blobs: [blob],
      ...(checksum ? { checksum } : {}),
      ...(req.tags && Object.keys(req.tags).length > 0 ? { tags: req.tags } : {}),
    };
    await this.commit(object, req.condition);
    await this.created('ObjectCreated:Put', object, req.origin);
    return object;
  }

  /** Announces a new object (after it is in place). */
  async created(name: ObjectEventName, object: ObjectRecord, origin: Origin): Promise<void> {
    await this.events.emit({ name, bucket: object.bucket, key: object.key, size: object.size, etag: object.etag.replace(/"/g, ''), time: object.lastModified, ...origin });
  }

  /** Makes `object` current (if `condition` holds), reclaiming what it replaced; on refusal, its own blobs. */
  async commit(object: ObjectRecord, condition?: WriteCondition, orphans: readonly string[] = []): Promise<ObjectRecord> {
    let result;
    try {
      result = await this.repo.putObject(object, condition);
    } catch (err) {
      await this.reclaim(object.blobs.map((b) => b.id));
      throw err;
    }
    if (!result.written) {
      await this.reclaim(object.blobs.map((b) => b.id));
      throw S3Errors.preconditionFailed(condition?.kind === 'absent' ? 'If-None-Match' : 'If-Match');
    }
    await this.reclaim([...(result.replaced?.blobs.map((b) => b.id) ?? []), ...orphans]);
    return object;
  }

  async head(bucket: string, key: string, conditions: ReadConditions, rangeHeader?: string): Promise<{ object: ObjectRecord; range: ByteRange | undefined }> {
    const object = await this.current(bucket, key);
    checkRead(object, conditions);
    return { object, range: parseRange(rangeHeader, object.size) };
  }

  async get(bucket: string, key: string, conditions: ReadConditions, rangeHeader?: string): Promise<ReadResult> {
    const { object, range } = await this.head(bucket, key, conditions, rangeHeader);
    return { object, range, body: readBlobs(this.blobs, object.blobs, range) };
  }

  /** Deleting a key that does not exist succeeds, as in S3. */
  async delete(bucket: string, key: string, origin: Origin): Promise<void> {
    await this.buckets.require(bucket);
    const removed = await this.repo.deleteObject(bucket, key);
    if (!removed) return;
    await this.reclaim(removed.blobs.map((b) => b.id));
    await this.events.emit({ name: 'ObjectRemoved:Delete', bucket, key, time: this.clock.now(), ...origin });
  }

  /** Removes an object that a lifecycle rule expired, unless it has been replaced since (another ETag). */
  async expire(object: ObjectRecord): Promise<boolean> {
    const removed = await this.repo.deleteObject(object.bucket, object.key, object.etag);
    if (!removed) return false;
    await this.reclaim(removed.blobs.map((b) => b.id));
    await this.events.emit({ name: 'LifecycleExpiration:Delete', bucket: object.bucket, key: object.key, time: this.clock.now(), requestId: `lifecycle-${object.etag.replace(/"/g, '')}`, principalId: 's3.amazonaws.com' });
    return true;
  }

  async copy(req: CopyRequest): Promise<ObjectRecord> {
    checkKey(req.key);
    await this.buckets.require(req.bucket);
    const source = await this.get(req.source.bucket, req.source.key, req.source.conditions);
    const same = req.source.bucket === req.bucket && req.source.key === req.key;
    if (same && !req.replace) {
      source.body.destroy();
      throw S3Errors.invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const { blob, md5 } = await ingest(this.blobs, { source: source.body, transforms: [] });
    const object: ObjectRecord = {
      bucket: req.bucket,
      key: req.key,
      etag: etagOf(md5),
      size: blob.size,
      lastModified: this.clock.now(),
      headers: req.replace?.headers ?? source.object.headers,
      metadata: req.replace?.metadata ?? source.object.metadata,
      blobs: [blob],
      ...((req.tags ?? source.object.tags) ? { tags: req.tags ?? source.object.tags } : {}),
    };
    await this.commit(object);
    await this.created('ObjectCreated:Copy', object, req.origin);
    return object;
  }

  /** Replaces (or, given undefined, removes) an object's tags; its bytes and ETag stay. */
  async setTags(bucket: string, key: string, tags: Tags | undefined): Promise<void> {
    for (;;) {
      const { tags: _old, ...object } = await this.current(bucket, key);
      // Another write in between makes this a different object: tag that one instead.
      if (await this.repo.updateObject(tags ? { ...object, tags } : object)) return;
    }
  }

  async list(req: ListRequest): Promise<Listing> {
    await this.buckets.require(req.bucket);
    return listObjects(this.repo, req);
  }

  async current(bucket: string, key: string): Promise<ObjectRecord> {
    const object = await this.repo.getObject(bucket, key);
    if (object) return object;
    await this.buckets.require(bucket);
    throw S3Errors.noSuchKey(key);
  }

  /** Space of blobs nothing points at any more; a failure leaves garbage, never a broken object. */
  async reclaim(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.blobs.remove(id).catch((err: unknown) => this.logger.warn('could not reclaim a blob', { id, error: String(err) }));
  }
}
