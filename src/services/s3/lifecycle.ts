/**
 * Applies buckets' lifecycle rules on its own clock: objects past their expiration are removed (as
 * S3 does, at the first midnight UTC after their creation plus the rule's days, or at the rule's
 * date), versions past their days as noncurrent are removed (counted from when a newer version
 * replaced them), and multipart uploads older than a rule allows are aborted. A sweep runs every hour.
 */
import type { Clock } from '../../lib/clock.js';
import { Periodic } from '../../lib/periodic.js';
import type { Logger } from '../../lib/logger.js';
import type { S3Repo } from '../../storage/store.js';
import type { LifecycleRule, ObjectRecord, UploadRecord, VersionEntry } from './model.js';
import type { MultipartService } from './multipart-service.js';
import type { ObjectService } from './object-service.js';

const DAY_MS = 86_400_000;
export const SWEEP_INTERVAL_MS = 3_600_000;
const PAGE = 1000;

/** Creation plus `days`, rounded up to the next midnight UTC. */
export const expiresAt = (created: number, days: number): number => Math.ceil((created + days * DAY_MS) / DAY_MS) * DAY_MS;

export function isExpired(rule: LifecycleRule, object: ObjectRecord, now: number): boolean {
  if (!rule.enabled || !object.key.startsWith(rule.prefix)) return false;
  if (rule.expirationDate !== undefined && now >= rule.expirationDate) return true;
  return rule.expirationDays !== undefined && now >= expiresAt(object.lastModified, rule.expirationDays);
}

const isStale = (rule: LifecycleRule, upload: UploadRecord, now: number): boolean =>
  rule.enabled && rule.abortUploadsAfterDays !== undefined && upload.key.startsWith(rule.prefix) && now >= expiresAt(upload.initiated, rule.abortUploadsAfterDays);

export class LifecycleSweeper {
  private readonly sweeps: Periodic;
  private stopped = false;

  constructor(
    private readonly repo: S3Repo,
    private readonly objects: ObjectService,
    private readonly uploads: MultipartService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.sweeps = new Periodic(clock, () => SWEEP_INTERVAL_MS, () => this.sweep(), (err) => this.logger.warn('S3 lifecycle sweep failed', { error: String(err) }));
  }

  start(): void {
    this.stopped = false;
    this.sweeps.start();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.sweeps.stop();
  }

  /** One pass over every bucket with rules; returns how many objects expired. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    for (const bucket of await this.repo.listBuckets()) {
      const rules = bucket.lifecycle?.filter((r) => r.enabled) ?? [];
      if (rules.length === 0) continue;
      for (const rule of rules.filter((r) => r.expirationDays !== undefined || r.expirationDate !== undefined)) {
        let after = '';
        for (;;) {
          const page = await this.repo.listObjects(bucket.name, rule.prefix, after, PAGE);
          for (const object of page) if (isExpired(rule, object, now) && (await this.objects.expire(object))) expired++;
          if (page.length < PAGE || this.stopped) break;
          after = page[page.length - 1]!.key;
        }
      }
      if (bucket.versioning) for (const rule of rules.filter((r) => r.noncurrentDays !== undefined)) expired += await this.expireNoncurrent(bucket.name, rule, now);
      for (const upload of await this.repo.listUploads(bucket.name)) {
        if (rules.some((r) => isStale(r, upload, now))) await this.uploads.abort(upload.bucket, upload.key, upload.uploadId).catch(() => undefined);
      }
    }
    return expired;
  }

  /**
   * Noncurrent versions (delete markers included) under the rule's prefix whose days have passed since a
   * newer version came, beyond the `newerNoncurrentVersions` newest noncurrent ones of their key, which stay.
   */
  private async expireNoncurrent(bucket: string, rule: LifecycleRule, now: number): Promise<number> {
    let expired = 0;
    let cursor: { key: string; seq?: number } = { key: '' };
    // Newest first within a key: the entry before is the one that made this one noncurrent.
    let newer: VersionEntry | undefined;
    // Noncurrent versions of the key newer than this entry.
    let newerNoncurrent = 0;
    for (;;) {
      const page = await this.repo.listVersions(bucket, rule.prefix, cursor, PAGE);
      for (const entry of page) {
        const sameKey = newer !== undefined && newer.object.key === entry.object.key;
        if (!sameKey) newerNoncurrent = 0;
        const since = sameKey ? newer!.object.lastModified : undefined;
        const kept = newerNoncurrent < (rule.newerNoncurrentVersions ?? 0);
        if (!entry.latest) newerNoncurrent++;
        if (!entry.latest && !kept && since !== undefined && now >= expiresAt(since, rule.noncurrentDays!) && (await this.objects.expireVersion(entry.object))) expired++;
        newer = entry;
        cursor = { key: entry.object.key, seq: entry.seq };
      }
      if (page.length < PAGE || this.stopped) return expired;
    }
  }
}
