import type { BucketRecord, ObjectRecord, PartRecord, UploadRecord, WriteCondition } from '../../services/s3/model.js';
import { bucketOf, objectOf, partOf, pastPrefix, uploadOf } from '../rows/s3-rows.js';
import type { S3Repo } from '../store.js';
import { transaction, type Db } from './db.js';

type Rec = { record: string };

/** S3 metadata in PostgreSQL; key columns are `COLLATE "C"`, S3's byte order. */
export class PostgresS3Repo implements S3Repo {
  constructor(private readonly db: Db) {}

  async createBucket(bucket: BucketRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO s3_buckets (name, record) VALUES ($1, $2) ON CONFLICT DO NOTHING', [bucket.name, JSON.stringify(bucket)]);
    return r.rowCount === 1;
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_buckets WHERE name = $1', [name]);
    return rows[0] ? bucketOf(rows[0].record) : undefined;
  }

  async updateBucket(bucket: BucketRecord): Promise<boolean> {
    return (await this.db.query('UPDATE s3_buckets SET record = $1 WHERE name = $2', [JSON.stringify(bucket), bucket.name])).rowCount === 1;
  }

  async listBuckets(): Promise<BucketRecord[]> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_buckets ORDER BY name');
    return rows.map((r) => bucketOf(r.record));
  }

  async deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    return transaction(this.db, async (tx) => {
      // The bucket row locked first: an object written meanwhile waits for this decision.
      const { rows } = await tx.query('SELECT 1 FROM s3_buckets WHERE name = $1 FOR UPDATE', [name]);
      if (rows.length === 0) return 'missing';
      const used = await tx.query(
        'SELECT 1 FROM s3_objects WHERE bucket = $1 UNION ALL SELECT 1 FROM s3_uploads WHERE bucket = $1 LIMIT 1',
        [name],
      );
      if (used.rows.length > 0) return 'not-empty';
      await tx.query('DELETE FROM s3_buckets WHERE name = $1', [name]);
      return 'deleted';
    });
  }

  async putObject(object: ObjectRecord, condition?: WriteCondition): Promise<{ written: boolean; replaced: ObjectRecord | undefined }> {
    return transaction(this.db, async (tx) => {
      // Serialises writers of one key, whether or not it exists yet.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 83))', [`${object.bucket}/${object.key}`]);
      const { rows } = await tx.query<Rec>('SELECT record FROM s3_objects WHERE bucket = $1 AND key = $2', [object.bucket, object.key]);
      const current = rows[0] ? objectOf(rows[0].record) : undefined;
      if (condition?.kind === 'absent' && current) return { written: false, replaced: undefined };
      if (condition?.kind === 'etag' && current?.etag !== condition.etag) return { written: false, replaced: undefined };
      await tx.query(
        `INSERT INTO s3_objects (bucket, key, etag, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT (bucket, key) DO UPDATE SET etag = excluded.etag, record = excluded.record`,
        [object.bucket, object.key, object.etag, JSON.stringify(object)],
      );
      return { written: true, replaced: current };
    });
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_objects WHERE bucket = $1 AND key = $2', [bucket, key]);
    return rows[0] ? objectOf(rows[0].record) : undefined;
  }

  async updateObject(object: ObjectRecord): Promise<boolean> {
    const r = await this.db.query('UPDATE s3_objects SET record = $1 WHERE bucket = $2 AND key = $3 AND etag = $4', [JSON.stringify(object), object.bucket, object.key, object.etag]);
    return r.rowCount === 1;
  }

  async deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined> {
    const { rows } = await this.db.query<Rec>('DELETE FROM s3_objects WHERE bucket = $1 AND key = $2 AND ($3::text IS NULL OR etag = $3) RETURNING record', [
      bucket,
      key,
      etag ?? null,
    ]);
    return rows[0] ? objectOf(rows[0].record) : undefined;
  }

  async listObjects(bucket: string, prefix: string, after: string, limit: number): Promise<ObjectRecord[]> {
    const from = after > prefix ? after : prefix;
    const { rows } = await this.db.query<Rec>(
      'SELECT record FROM s3_objects WHERE bucket = $1 AND key > $2 AND key >= $3 AND key < $4 ORDER BY key LIMIT $5',
      [bucket, after, from, pastPrefix(prefix), limit],
    );
    return rows.map((r) => objectOf(r.record));
  }

  async createUpload(upload: UploadRecord): Promise<void> {
    await this.db.query('INSERT INTO s3_uploads (upload_id, bucket, key, initiated, record) VALUES ($1, $2, $3, $4, $5)', [
      upload.uploadId,
      upload.bucket,
      upload.key,
      upload.initiated,
      JSON.stringify(upload),
    ]);
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_uploads WHERE upload_id = $1', [uploadId]);
    return rows[0] ? uploadOf(rows[0].record) : undefined;
  }

  async listUploads(bucket: string): Promise<UploadRecord[]> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_uploads WHERE bucket = $1 ORDER BY key, initiated', [bucket]);
    return rows.map((r) => uploadOf(r.record));
  }

  async deleteUpload(uploadId: string): Promise<PartRecord[] | undefined> {
    return transaction(this.db, async (tx) => {
      const gone = await tx.query('DELETE FROM s3_uploads WHERE upload_id = $1', [uploadId]);
      if (gone.rowCount === 0) return undefined;
      const { rows } = await tx.query<Rec>('DELETE FROM s3_parts WHERE upload_id = $1 RETURNING record', [uploadId]);
      return rows.map((r) => partOf(r.record)).sort((a, b) => a.partNumber - b.partNumber);
    });
  }

  async putPart(part: PartRecord): Promise<PartRecord | undefined> {
    return transaction(this.db, async (tx) => {
      const { rows } = await tx.query<Rec>('SELECT record FROM s3_parts WHERE upload_id = $1 AND part_number = $2 FOR UPDATE', [part.uploadId, part.partNumber]);
      await tx.query(
        `INSERT INTO s3_parts (upload_id, part_number, record) VALUES ($1, $2, $3)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET record = excluded.record`,
        [part.uploadId, part.partNumber, JSON.stringify(part)],
      );
      return rows[0] ? partOf(rows[0].record) : undefined;
    });
  }

  async listParts(uploadId: string): Promise<PartRecord[]> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_parts WHERE upload_id = $1 ORDER BY part_number', [uploadId]);
    return rows.map((r) => partOf(r.record));
  }
}
