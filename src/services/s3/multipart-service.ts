/**
 * Multipart uploads: parts stream into blobs of their own; completing makes an object of the chosen
 * parts' blobs as they are (no copy), and reclaims the parts left out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { S3Repo } from '../../storage/store.js';
import { S3Errors } from '../../wire/errors.js';
import type { BlobStore } from './blobs.js';
import type { BucketService } from './bucket-service.js';
import type { ReadConditions } from './conditions.js';
import { etagOf, ingest, type IncomingBody } from './ingest.js';
import { runningChecksum } from './checksums.js';
import type { Checksum, ChecksumAlgorithm, ContentHeaders, ObjectRecord, PartRecord, Tags, UploadRecord } from './model.js';
import { checkKey, type ObjectService, type Origin } from './object-service.js';

/** S3's minimum size of every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface CompletedPart {
  partNumber: number;
  etag: string;
  /** The part's checksum as the client has it (`ChecksumCRC32`...): it must be the one stored. */
  checksum?: Checksum;
}

/** Algorithms whose multipart checksum S3 makes COMPOSITE: the checksum of the parts' checksums, then `-<parts>`. */
const COMPOSITE: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

/** The object's checksum from its parts', when the upload chose a composable algorithm and every part has one. */
function compositeChecksum(algorithm: ChecksumAlgorithm | undefined, parts: readonly PartRecord[]): Checksum | undefined {
  if (!algorithm || !COMPOSITE.includes(algorithm) || parts.some((p) => p.checksum?.algorithm !== algorithm)) return undefined;
  const running = runningChecksum(algorithm);
  for (const p of parts) running.update(Buffer.from(p.checksum!.value, 'base64'));
  return { algorithm, value: `${running.digest().toString('base64')}-${parts.length}` };
}

const unquoted = (etag: string) => etag.replace(/^"|"$/g, '');

export class MultipartService {
  constructor(
    private readonly repo: S3Repo,
    private readonly blobs: BlobStore,
    private readonly buckets: BucketService,
    private readonly objects: ObjectService,
    private readonly clock: Clock,
    private readonly minPartSize = MIN_PART_SIZE,
  ) {}

  async create(bucket: string, key: string, headers: ContentHeaders, metadata: Record<string, string>, checksumAlgorithm?: ChecksumAlgorithm, tags?: Tags): Promise<UploadRecord> {
    checkKey(key);
    await this.buckets.require(bucket);
    const upload: UploadRecord = {
      uploadId: randomBytes(24).toString('base64url'),
      bucket,
      key,
      initiated: this.clock.now(),
      headers,
      metadata,
      ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    };
    await this.repo.createUpload(upload);
    return upload;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: IncomingBody): Promise<PartRecord> {
    await this.require(bucket, key, uploadId);
    this.checkPartNumber(partNumber);
    const { blob, md5, checksum } = await ingest(this.blobs, body);
    return this.store({ uploadId, partNumber, etag: etagOf(md5), size: blob.size, lastModified: this.clock.now(), blob, ...(checksum ? { checksum } : {}) });
  }

  async uploadPartCopy(bucket: string, key: string, uploadId: string, partNumber: number, source: { bucket: string; key: string; versionId?: string; conditions: ReadConditions; range?: string }): Promise<PartRecord> {
    await this.require(bucket, key, uploadId);
    this.checkPartNumber(partNumber);
    const read = await this.objects.get(source.bucket, source.key, source.conditions, source.range, source.versionId);
    const { blob, md5 } = await ingest(this.blobs, { source: read.body, transforms: [] });
    return this.store({ uploadId, partNumber, etag: etagOf(md5), size: blob.size, lastModified: this.clock.now(), blob });
  }

  async complete(bucket: string, key: string, uploadId: string, chosen: readonly CompletedPart[], origin: Origin): Promise<ObjectRecord> {
    const upload = await this.require(bucket, key, uploadId);
    if (chosen.length === 0) throw S3Errors.malformedXml('no parts');
    const stored = new Map((await this.repo.listParts(uploadId)).map((p) => [p.partNumber, p]));
    const parts: PartRecord[] = [];
    for (const [i, c] of chosen.entries()) {
      if (i > 0 && c.partNumber <= chosen[i - 1]!.partNumber) throw S3Errors.invalidPartOrder();
      const part = stored.get(c.partNumber);
      if (!part || unquoted(part.etag) !== unquoted(c.etag)) throw S3Errors.invalidPart();
      if (c.checksum && (part.checksum?.algorithm !== c.checksum.algorithm || part.checksum.value !== c.checksum.value)) throw S3Errors.invalidPart();
      parts.push(part);
    }
    if (parts.slice(0, -1).some((p) => p.size < this.minPartSize)) throw S3Errors.entityTooSmall();
    const md5s = createHash('md5');
    for (const p of parts) md5s.update(Buffer.from(unquoted(p.etag), 'hex'));
    const checksum = compositeChecksum(upload.checksumAlgorithm, parts);
    const object: ObjectRecord = {
      bucket,
      key,
      etag: `"${md5s.digest('hex')}-${parts.length}"`,
      size: parts.reduce((n, p) => n + p.size, 0),
      lastModified: this.clock.now(),
      headers: upload.headers,
      metadata: upload.metadata,
      blobs: parts.map((p) => p.blob),
      parts: parts.length,
      ...(checksum ? { checksum } : {}),
      ...(upload.tags ? { tags: upload.tags } : {}),
    };
    const used = new Set(parts.map((p) => p.blob.id));
    // The upload's rows go once the object is in place: a crash between the two leaves an upload to abort, never a lost object.
    const committed = await this.objects.commit(object);
    const removed = (await this.repo.deleteUpload(uploadId)) ?? [];
    await this.objects.reclaim(removed.map((p) => p.blob.id).filter((id) => !used.has(id)));
    await this.objects.created('ObjectCreated:CompleteMultipartUpload', committed, origin);
    return committed;
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.require(bucket, key, uploadId);
    const removed = await this.repo.deleteUpload(uploadId);
    if (!removed) throw S3Errors.noSuchUpload(uploadId);
    await this.objects.reclaim(removed.map((p) => p.blob.id));
  }

  async listParts(bucket: string, key: string, uploadId: string): Promise<{ upload: UploadRecord; parts: PartRecord[] }> {
    const upload = await this.require(bucket, key, uploadId);
    return { upload, parts: await this.repo.listParts(uploadId) };
  }

  async listUploads(bucket: string): Promise<UploadRecord[]> {
    await this.buckets.require(bucket);
    return this.repo.listUploads(bucket);
  }

  private async require(bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
    await this.buckets.require(bucket);
    const upload = await this.repo.getUpload(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw S3Errors.noSuchUpload(uploadId);
    return upload;
  }

  private checkPartNumber(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw S3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive');
  }

  private async store(part: PartRecord): Promise<PartRecord> {
    const replaced = await this.repo.putPart(part);
    if (replaced) await this.objects.reclaim([replaced.blob.id]);
    return part;
  }
}
