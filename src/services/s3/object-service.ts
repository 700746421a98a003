/** Objects: written from streams into blobs, read back as streams, listed, copied, deleted (their space reclaimed). */
import { randomBytes } from 'node:crypto';
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
import { listVersions, type VersionListing, type VersionListRequest } from './version-listing.js';
import { versionIdOf, type BucketRecord, type ContentHeaders, type ObjectRecord, type Tags, type WriteCondition } from './model.js';
import type { ObjectEvent, ObjectEventName } from './notification-events.js';
import { parseRange, readBlobs, type ByteRange } from './read-range.js';

const MAX_KEY_BYTES = 1024;

/** A new version id: 32 URL-safe characters, as S3's are opaque strings of about that length. */
export const newVersionId = (): string => randomBytes(24).toString('base64url');

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
  /** `ObjectCreated:Post` for a browser form upload. */
  event?: ObjectEventName;
}

export interface ReadResult {
  object: ObjectRecord;
  range: ByteRange | undefined;
  body: Readable;
}

/** What a DeleteObject did: removed a version, or wrote a delete marker (its version is then the marker's). */
export interface DeleteResult {
  versionId?: string;
  deleteMarker: boolean;
}

export interface CopyRequest {
  source: { bucket: string; key: string; versionId?: string | undefined; conditions: ReadConditions };
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
    const stored = await this.commit(object, req.condition);
    await this.created(req.event ?? 'ObjectCreated:Put', stored, req.origin);
    return stored;
  }

  /** Announces a new object (after it is in place). */
  async created(name: ObjectEventName, object: ObjectRecord, origin: Origin): Promise<void> {
    await this.events.emit({
      name, bucket: object.bucket, key: object.key, size: object.size, etag: object.etag.replace(/"/g, ''), time: object.lastModified,
      ...(object.versionId ? { versionId: object.versionId } : {}), ...origin,
    });
  }

  /**
   * Makes `object` current (if `condition` holds) as a new version in a versioned bucket, the `null`
   * version otherwise, reclaiming what it replaced; on refusal, its own blobs. Returns what was stored.
   */
  async commit(written: ObjectRecord, condition?: WriteCondition, orphans: readonly string[] = []): Promise<ObjectRecord> {
    const { versionId: _none, ...unversioned } = written;
    const bucket = await this.buckets.require(written.bucket).catch(async (err: unknown) => {
      await this.reclaim(written.blobs.map((b) => b.id));
      throw err;
    });
    const object: ObjectRecord = bucket.versioning === 'Enabled' ? Object.assign({}, unversioned, { versionId: newVersionId() }) : unversioned;
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

  async head(bucket: string, key: string, conditions: ReadConditions, rangeHeader?: string, versionId?: string): Promise<{ object: ObjectRecord; range: ByteRange | undefined }> {
    const object = await this.version(bucket, key, versionId, 'HEAD');
    checkRead(object, conditions);
    return { object, range: parseRange(rangeHeader, object.size) };
  }

  async get(bucket: string, key: string, conditions: ReadConditions, rangeHeader?: string, versionId?: string): Promise<ReadResult> {
    const object = await this.version(bucket, key, versionId, 'GET');
    checkRead(object, conditions);
    const range = parseRange(rangeHeader, object.size);
    return { object, range, body: readBlobs(this.blobs, object.blobs, range) };
  }

  /** The current object, or one version of it; a delete marker is no object to read (S3's errors say which it met). */
  async version(bucket: string, key: string, versionId: string | undefined, method: string): Promise<ObjectRecord> {
    if (versionId === undefined) {
      const object = await this.repo.getObject(bucket, key);
      if (object) return object;
      await this.buckets.require(bucket);
      const newest = await this.repo.getVersion(bucket, key);
      if (newest?.object.deleteMarker) throw S3Errors.deletedKey(key, newest.object.versionId ?? 'null', newest.object.lastModified);
      throw S3Errors.noSuchKey(key);
    }
    const entry = await this.repo.getVersion(bucket, key, versionId);
    if (!entry) {
      await this.buckets.require(bucket);
      throw S3Errors.noSuchVersion(key, versionId);
    }
    if (entry.object.deleteMarker) throw S3Errors.deleteMarkerRead(method, versionId, entry.object.lastModified);
    return entry.object;
  }

  /**
   * Deleting a key that does not exist succeeds, as in S3. Given a version id, that version goes (the
   * previous one becomes current); otherwise a versioned bucket gets a delete marker, and an
   * unversioned one loses the object.
   */
  async delete(bucket: string, key: string, origin: Origin, versionId?: string): Promise<DeleteResult> {
    const record = await this.buckets.require(bucket);
    if (versionId !== undefined) {
      const removed = await this.repo.deleteVersion(bucket, key, versionId);
      if (!removed) return { versionId, deleteMarker: false };
      await this.reclaim(removed.blobs.map((b) => b.id));
      await this.events.emit({ name: 'ObjectRemoved:Delete', bucket, key, versionId, time: this.clock.now(), ...origin });
      return { versionId, deleteMarker: removed.deleteMarker === true };
    }
    if (record.versioning) {
      const marker = await this.mark(record, key);
      await this.events.emit({ name: 'ObjectRemoved:DeleteMarkerCreated', bucket, key, versionId: marker.versionId ?? 'null', time: marker.lastModified, ...origin });
      return { versionId: marker.versionId ?? 'null', deleteMarker: true };
    }
    const removed = await this.repo.deleteObject(bucket, key);
    if (!removed) return { deleteMarker: false };
    await this.reclaim(removed.blobs.map((b) => b.id));
    await this.events.emit({ name: 'ObjectRemoved:Delete', bucket, key, time: this.clock.now(), ...origin });
    return { deleteMarker: false };
  }

  /** Writes a delete marker: a new version when versioning is on, the `null` version (replacing it) when suspended. */
  private async mark(bucket: BucketRecord, key: string): Promise<ObjectRecord> {
    const marker: ObjectRecord = {
      bucket: bucket.name, key, etag: '', size: 0, lastModified: this.clock.now(), headers: {}, metadata: {}, blobs: [], deleteMarker: true,
      ...(bucket.versioning === 'Enabled' ? { versionId: newVersionId() } : {}),
    };
    const { replaced } = await this.repo.putObject(marker);
    if (replaced) await this.reclaim(replaced.blobs.map((b) => b.id));
    return marker;
  }

  /**
   * Expires an object for a lifecycle rule, unless it has been replaced since (another ETag): an
   * unversioned bucket loses it, a versioned one gets a delete marker over it.
   */
  async expire(object: ObjectRecord): Promise<boolean> {
    const requestId = `lifecycle-${object.etag.replace(/"/g, '')}`;
    const bucket = await this.repo.getBucket(object.bucket);
    if (bucket?.versioning) {
      const current = await this.repo.getObject(object.bucket, object.key);
      if (current?.etag !== object.etag || current.versionId !== object.versionId) return false;
      const marker = await this.mark(bucket, object.key);
      await this.events.emit({ name: 'LifecycleExpiration:DeleteMarkerCreated', bucket: object.bucket, key: object.key, versionId: marker.versionId ?? 'null', time: marker.lastModified, requestId, principalId: 's3.amazonaws.com' });
      return true;
    }
    const removed = await this.repo.deleteObject(object.bucket, object.key, object.etag);
    if (!removed) return false;
    await this.reclaim(removed.blobs.map((b) => b.id));
    await this.events.emit({ name: 'LifecycleExpiration:Delete', bucket: object.bucket, key: object.key, time: this.clock.now(), requestId, principalId: 's3.amazonaws.com' });
    return true;
  }

  /** Removes a noncurrent version for a lifecycle rule (`NoncurrentVersionExpiration`). */
  async expireVersion(version: ObjectRecord): Promise<boolean> {
    const removed = await this.repo.deleteVersion(version.bucket, version.key, version.versionId ?? 'null');
    if (!removed) return false;
    await this.reclaim(removed.blobs.map((b) => b.id));
    await this.events.emit({
      name: 'LifecycleExpiration:Delete', bucket: version.bucket, key: version.key, versionId: version.versionId ?? 'null', time: this.clock.now(),
      requestId: `lifecycle-${version.versionId ?? 'null'}`, principalId: 's3.amazonaws.com',
    });
    return true;
  }

  async copy(req: CopyRequest): Promise<{ source: ObjectRecord; copied: ObjectRecord }> {
    checkKey(req.key);
    await this.buckets.require(req.bucket);
    if (req.source.versionId !== undefined) {
      const entry = await this.repo.getVersion(req.source.bucket, req.source.key, req.source.versionId);
      if (entry?.object.deleteMarker) throw S3Errors.invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
    }
    const source = await this.get(req.source.bucket, req.source.key, req.source.conditions, undefined, req.source.versionId);
    const same = req.source.bucket === req.bucket && req.source.key === req.key && req.source.versionId === undefined;
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
    const stored = await this.commit(object);
    await this.created('ObjectCreated:Copy', stored, req.origin);
    return { source: source.object, copied: stored };
  }

  /**
   * Replaces (or, given undefined, removes) the tags of an object's current version, or of the version
   * named; its bytes and ETag stay. Returns the version tagged.
   */
  async setTags(bucket: string, key: string, tags: Tags | undefined, origin: Origin, versionId?: string): Promise<ObjectRecord> {
    const target = await this.version(bucket, key, versionId, tags ? 'PUT' : 'DELETE');
    const updated = await this.repo.setVersionTags(bucket, key, versionIdOf(target), tags);
    // Gone in between (deleted, or the `null` version's key deleted): as if the request came after.
    if (!updated) throw versionId === undefined ? S3Errors.noSuchKey(key) : S3Errors.noSuchVersion(key, versionId);
    await this.events.emit({
      name: tags ? 'ObjectTagging:Put' : 'ObjectTagging:Delete', bucket, key, etag: updated.etag.replace(/"/g, ''), time: this.clock.now(),
      ...(updated.versionId ? { versionId: updated.versionId } : {}), ...origin,
    });
    return updated;
  }

  async list(req: ListRequest): Promise<Listing> {
    await this.buckets.require(req.bucket);
    return listObjects(this.repo, req);
  }

  async listVersions(req: VersionListRequest): Promise<VersionListing> {
    await this.buckets.require(req.bucket);
    return listVersions(this.repo, req);
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
