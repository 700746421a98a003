import type Database from 'better-sqlite3';
import type { BucketRecord, ObjectRecord, PartRecord, UploadRecord, WriteCondition } from '../../services/s3/model.js';
import { bucketOf, objectOf, partOf, pastPrefix, uploadOf } from '../rows/s3-rows.js';
import type { S3Repo } from '../store.js';

type Rec = { record: string };

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
      if (this.db.prepare('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(name)) return 'not-empty' as const;
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
      this.db
        .prepare('INSERT OR REPLACE INTO s3_objects (bucket, key, etag, record) VALUES (?, ?, ?, ?)')
        .run(object.bucket, object.key, object.etag, JSON.stringify(object));
      return { written: true, replaced: current };
    })();
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const row = this.db.prepare<[string, string], Rec>('SELECT record FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key);
    return row ? objectOf(row.record) : undefined;
  }

  async updateObject(object: ObjectRecord): Promise<boolean> {
    return (
      this.db.prepare('UPDATE s3_objects SET record = ? WHERE bucket = ? AND key = ? AND etag = ?').run(JSON.stringify(object), object.bucket, object.key, object.etag).changes === 1
    );
  }

  async deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined> {
    const row = this.db
      .prepare<[string, string, string | null, string | null], Rec>('DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND (? IS NULL OR etag = ?) RETURNING record')
      .get(bucket, key, etag ?? null, etag ?? null);
    return row ? objectOf(row.record) : undefined;
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
