/** Buckets: S3's naming rules, one namespace per server (its one account), deletion only when empty. */
import type { Clock } from '../../lib/clock.js';
import type { S3Repo } from '../../storage/store.js';
import { S3Errors } from '../../wire/errors.js';
import type { BucketRecord } from './model.js';

/** 3–63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not an IP address. */
export function validBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

export class BucketService {
  constructor(
    private readonly repo: S3Repo,
    private readonly clock: Clock,
    private readonly defaultRegion: string,
  ) {}

  async create(name: string, region: string | undefined): Promise<BucketRecord> {
    if (!validBucketName(name)) throw S3Errors.invalidBucketName(name);
    const bucket: BucketRecord = { name, region: region ?? this.defaultRegion, createdAt: this.clock.now(), notifications: [] };
    // One account per server: a taken name is always the caller's own.
    if (!(await this.repo.createBucket(bucket))) throw S3Errors.bucketAlreadyOwnedByYou(name);
    return bucket;
  }

  async require(name: string): Promise<BucketRecord> {
    const bucket = await this.repo.getBucket(name);
    if (!bucket) throw S3Errors.noSuchBucket(name);
    return bucket;
  }

  list(): Promise<BucketRecord[]> {
    return this.repo.listBuckets();
  }

  /** Sets (or, given undefined, removes) parts of a bucket's configuration: tags, CORS rules, policy. */
  async configure(name: string, patch: Partial<Pick<BucketRecord, 'tags' | 'cors' | 'policy' | 'lifecycle'>>): Promise<void> {
    const bucket: BucketRecord = { ...(await this.require(name)), ...patch };
    for (const k of Object.keys(patch) as (keyof typeof patch)[]) if (patch[k] === undefined) delete bucket[k];
    if (!(await this.repo.updateBucket(bucket))) throw S3Errors.noSuchBucket(name);
  }

  /** Versioning, once set, is Enabled or Suspended: a bucket never returns to unversioned. */
  async setVersioning(name: string, status: 'Enabled' | 'Suspended'): Promise<void> {
    const bucket = await this.require(name);
    if (!(await this.repo.updateBucket({ ...bucket, versioning: status }))) throw S3Errors.noSuchBucket(name);
  }

  async delete(name: string): Promise<void> {
    const outcome = await this.repo.deleteBucket(name);
    if (outcome === 'missing') throw S3Errors.noSuchBucket(name);
    if (outcome === 'not-empty') throw S3Errors.bucketNotEmpty(name);
  }
}
