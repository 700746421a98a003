/** S3's store interface: buckets, object metadata and multipart uploads (the bytes are in a BlobStore). Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { BucketRecord, ObjectRecord, PartRecord, Tags, UploadRecord, VersionEntry, WriteCondition } from '../services/s3/model.js';

// S3: buckets, object metadata, multipart uploads (the bytes are in a BlobStore).
export interface S3Repo {
  /** False if the name is taken. */
  createBucket(bucket: BucketRecord): Promise<boolean>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** Replaces a bucket's record (its configuration); false if it does not exist. */
  updateBucket(bucket: BucketRecord): Promise<boolean>;
  /** By name, ascending. */
  listBuckets(): Promise<BucketRecord[]>;
  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  /**
   * Makes `object` its key's newest version, if `condition` holds of the current object: `written` false
   * otherwise. A delete marker leaves the key without a current object; other versions stay, except the
   * one with the same version id (the `null` version, rewritten), returned as `replaced`: the caller
   * reclaims its blobs. In an unversioned bucket every object is `null`, so a write replaces the current one.
   */
  putObject(object: ObjectRecord, condition?: WriteCondition): Promise<{ written: boolean; replaced: ObjectRecord | undefined }>;
  /** One version by id (`null` included), or the key's newest version (which may be a delete marker). */
  getVersion(bucket: string, key: string, versionId?: string): Promise<VersionEntry | undefined>;
  /**
   * Removes one version; if it was the newest, the next newest becomes current (none if that is a
   * delete marker). Returns the removed version, whose blobs the caller reclaims.
   */
  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectRecord | undefined>;
  /**
   * Versions and delete markers of keys starting with `prefix`, by key (UTF-8 byte order) then newest
   * first, after the position `after`: keys past `after.key`, and of that key the versions older than `after.seq` if given.
   */
  listVersions(bucket: string, prefix: string, after: { key: string; seq?: number }, limit: number): Promise<VersionEntry[]>;
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /**
   * Replaces (or, given undefined, removes) the tags of one version (`null` included), and of the current
   * object when it is that version; its bytes stay. Returns the version as now stored, undefined if there is none.
   */
  setVersionTags(bucket: string, key: string, versionId: string, tags: Tags | undefined): Promise<ObjectRecord | undefined>;
  /** The current object removed with its version, if there was one (and, given `etag`, only if it is still that object). */
  deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined>;
  /** Objects whose keys start with `prefix` and sort after `after` (UTF-8 byte order), ascending. */
  listObjects(bucket: string, prefix: string, after: string, limit: number): Promise<ObjectRecord[]>;
  createUpload(upload: UploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /** By key then initiation, ascending. */
  listUploads(bucket: string): Promise<UploadRecord[]>;
  /** Removes the upload and its parts; returns the parts, whose blobs the caller reclaims (none if it was gone). */
  deleteUpload(uploadId: string): Promise<PartRecord[] | undefined>;
  /** The part it replaced, if any. */
  putPart(part: PartRecord): Promise<PartRecord | undefined>;
  /** By part number, ascending. */
  listParts(uploadId: string): Promise<PartRecord[]>;
}
