import type Database from 'better-sqlite3';
import { versionIdOf, type BucketRecord, type ObjectRecord, type PartRecord, type Tags, type UploadRecord, type VersionEntry, type WriteCondition } from '../../services/s3/model.js';
import { bucketOf, objectOf, partOf, pastPrefix, uploadOf, withTags } from '../rows/s3-rows.js';
import type { S3Repo } from '../store.js';

type Rec = { record: string };
type VersionRow = { record: string; seq: number; latest: number };

/** Whether a version row is its key's newest. */
const LATEST = '(seq = (SELECT MAX(seq) FROM s3_versions n WHERE n.bucket = v.bucket AND n.key = v.key)) AS latest';
const entryOf = (r: VersionRow): VersionEntry => ({ object: objectOf(r.record), seq: r.seq, latest: r.latest === 1 });

/** S3 metadata in SQLite; TEXT compares by bytes, which is S3's key order. */
export class SqliteS3Repo implements S3Repo {
  constructor(private readonly db: Database.Database) {}

  async createBucket(bucket: BucketRecord): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO s3_buckets (name, record) VALUES (?, ?)').run(bucket.name, JSON.stringify(bucket)).changes === 1;
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    const row = this.db.prepare<[string], Rec>('SELECT record FROM s3_buckets WHERE name = ?').get(name);
    return row ? bucketOf(row.record) : undefined;
  }

  async updateBucket(bucket: BucketRecord): Promise<boolean> {
    return this.db.prepare('UPDATE s3_buckets SET record = ? WHERE name = ?').run(JSON.stringify(bucket), bucket.name).changes === 1;
  }

  async listBuckets(): Promise<BucketRecord[]> {
    return this.db.prepare<[], Rec>('SELECT record FROM s3_buckets ORDER BY name').all().map((r) => bucketOf(r.record));
  }

  async deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM s3_versions WHERE bucket = ? LIMIT 1').get(name)) return 'not-empty' as const;
      if (this.db.prepare('SELECT 1 FROM s3_uploads WHERE bucket = ? LIMIT 1').get(name)) return 'not-empty' as const;
      return this.db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name).changes === 1 ? ('deleted' as const) : ('missing' as const);
    })();
  }

  async putObject(object: ObjectRecord, condition?: WriteCondition): Promise<{ written: boolean; replaced: ObjectRecord | undefined }> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string, string], Rec>('SELECT record FROM s3_objects WHERE bucket = ? AND key = ?').get(object.bucket, object.key);
      const current = row ? objectOf(row.record) : undefined;
      if (condition?.kind === 'absent' && current) return { written: false, replaced: undefined };
      if (condition?.kind === 'etag' && current?.etag !== condition.etag) return { written: false, replaced: undefined };
      const old = this.db
        .prepare<[string, string, string], Rec>('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ? RETURNING record')
        .get(object.bucket, object.key, versionIdOf(object));
      this.db.prepare('INSERT INTO s3_versions (bucket, key, version_id, record) VALUES (?, ?, ?, ?)').run(object.bucket, object.key, versionIdOf(object), JSON.stringify(object));
      if (object.deleteMarker) this.db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(object.bucket, object.key);
      else this.setCurrent(object);
      return { written: true, replaced: old ? objectOf(old.record) : undefined };
    })();
  }

  private setCurrent(object: ObjectRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO s3_objects (bucket, key, etag, record) VALUES (?, ?, ?, ?)').run(object.bucket, object.key, object.etag, JSON.stringify(object));
  }

  async getVersion(bucket: string, key: string, versionId?: string): Promise<VersionEntry | undefined> {
    const row =
      versionId === undefined
        ? this.db.prepare<[string, string], VersionRow>(`SELECT record, seq, 1 AS latest FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`).get(bucket, key)
        : this.db.prepare<[string, string, string], VersionRow>(`SELECT record, seq, ${LATEST} FROM s3_versions v WHERE bucket = ? AND key = ? AND version_id = ?`).get(bucket, key, versionId);
    return row ? entryOf(row) : undefined;
  }

  async deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectRecord | undefined> {
    return this.db.transaction(() => {
      const gone = this.db.prepare<[string, string, string], Rec>('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ? RETURNING record').get(bucket, key, versionId);
      if (!gone) return undefined;
      const next = this.db.prepare<[string, string], Rec>('SELECT record FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1').get(bucket, key);
      const newest = next ? objectOf(next.record) : undefined;
      if (newest && !newest.deleteMarker) this.setCurrent(newest);
      else this.db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
      return objectOf(gone.record);
    })();
  }

  async listVersions(bucket: string, prefix: string, after: { key: string; seq?: number }, limit: number): Promise<VersionEntry[]> {
    const from = after.key > prefix ? after.key : prefix;
    // Within the `after` key, versions older than `seq` (none when it is not given).
    const seq = after.seq ?? 0;
    return this.db
      .prepare<[string, string, string, string, string, number, number], VersionRow>(
        `SELECT record, seq, ${LATEST} FROM s3_versions v
         WHERE bucket = ? AND key >= ? AND key < ? AND (key > ? OR (key = ? AND seq < ?))
         ORDER BY key, seq DESC LIMIT ?`,
      )
      .all(bucket, from, pastPrefix(prefix), after.key, after.key, seq, limit)
      .map(entryOf);
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const row = this.db.prepare<[string, string], Rec>('SELECT record FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key);
    return row ? objectOf(row.record) : undefined;
  }

  async setVersionTags(bucket: string, key: string, versionId: string, tags: Tags | undefined): Promise<ObjectRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string, string, string], Rec>('SELECT record FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket, key, versionId);
      if (!row) return undefined;
      const updated = withTags(objectOf(row.record), tags);
      const record = JSON.stringify(updated);
      this.db.prepare('UPDATE s3_versions SET record = ? WHERE bucket = ? AND key = ? AND version_id = ?').run(record, bucket, key, versionId);
      this.db.prepare(`UPDATE s3_objects SET record = ? WHERE bucket = ? AND key = ? AND coalesce(json_extract(record, '$.versionId'), 'null') = ?`).run(record, bucket, key, versionId);
      return updated;
    })();
  }

  async deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.db
        .prepare<[string, string, string | null, string | null], Rec>('DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND (? IS NULL OR etag = ?) RETURNING record')
        .get(bucket, key, etag ?? null, etag ?? null);
      if (!row) return undefined;
      const removed = objectOf(row.record);
      this.db.prepare('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?').run(bucket, key, versionIdOf(removed));
      return removed;
    })();
  }

  async listObjects(bucket: string, prefix: string, after: string, limit: number): Promise<ObjectRecord[]> {
    const from = after > prefix ? after : prefix;
    return this.db
      .prepare<[string, string, string, string, number], Rec>(
        'SELECT record FROM s3_objects WHERE bucket = ? AND key > ? AND key >= ? AND key < ? ORDER BY key LIMIT ?',
      )
      .all(bucket, after, from, pastPrefix(prefix), limit)
      .map((r) => objectOf(r.record));
  }

  async createUpload(upload: UploadRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO s3_uploads (upload_id, bucket, key, initiated, record) VALUES (?, ?, ?, ?, ?)')
      .run(upload.uploadId, upload.bucket, upload.key, upload.initiated, JSON.stringify(upload));
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const row = this.db.prepare<[string], Rec>('SELECT record FROM s3_uploads WHERE upload_id = ?').get(uploadId);
    return row ? uploadOf(row.record) : undefined;
  }

  async listUploads(bucket: string): Promise<UploadRecord[]> {
    return this.db
      .prepare<[string], Rec>('SELECT record FROM s3_uploads WHERE bucket = ? ORDER BY key, initiated')
      .all(bucket)
      .map((r) => uploadOf(r.record));
  }

  async deleteUpload(uploadId: string): Promise<PartRecord[] | undefined> {
    return this.db.transaction(() => {
      if (this.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(uploadId).changes === 0) return undefined;
      return this.db
        .prepare<[string], Rec>('DELETE FROM s3_parts WHERE upload_id = ? RETURNING record')
        .all(uploadId)
        .map((r) => partOf(r.record))
        .sort((a, b) => a.partNumber - b.partNumber);
    })();
  }

  async putPart(part: PartRecord): Promise<PartRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string, number], Rec>('SELECT record FROM s3_parts WHERE upload_id = ? AND part_number = ?').get(part.uploadId, part.partNumber);
      this.db.prepare('INSERT OR REPLACE INTO s3_parts (upload_id, part_number, record) VALUES (?, ?, ?)').run(part.uploadId, part.partNumber, JSON.stringify(part));
      return row ? partOf(row.record) : undefined;
    })();
  }

  async listParts(uploadId: string): Promise<PartRecord[]> {
    return this.db
      .prepare<[string], Rec>('SELECT record FROM s3_parts WHERE upload_id = ? ORDER BY part_number')
      .all(uploadId)
      .map((r) => partOf(r.record));
  }
}
