import { versionIdOf, type BucketRecord, type ObjectRecord, type PartRecord, type Tags, type UploadRecord, type VersionEntry, type WriteCondition } from '../../services/s3/model.js';
import { bucketOf, objectOf, partOf, pastPrefix, uploadOf, withTags } from '../rows/s3-rows.js';
import type { S3Repo } from '../store.js';
import { transaction, type Db, type Queryable } from './db.js';

type Rec = { record: string };
type VersionRow = { record: string; seq: string; latest: boolean };

/** Whether a version row is its key's newest. */
const LATEST = '(seq = (SELECT MAX(seq) FROM s3_versions n WHERE n.bucket = v.bucket AND n.key = v.key)) AS latest';
const entryOf = (r: VersionRow): VersionEntry => ({ object: objectOf(r.record), seq: Number(r.seq), latest: r.latest });
/** Serialises writers of one key, whether or not it exists yet. */
const lockKey = (tx: Queryable, bucket: string, key: string) => tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 83))', [`${bucket}/${key}`]);

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
        'SELECT 1 FROM s3_versions WHERE bucket = $1 UNION ALL SELECT 1 FROM s3_uploads WHERE bucket = $1 LIMIT 1',
        [name],
      );
      if (used.rows.length > 0) return 'not-empty';
      await tx.query('DELETE FROM s3_buckets WHERE name = $1', [name]);
      return 'deleted';
    });
  }

  async putObject(object: ObjectRecord, condition?: WriteCondition): Promise<{ written: boolean; replaced: ObjectRecord | undefined }> {
    return transaction(this.db, async (tx) => {
      await lockKey(tx, object.bucket, object.key);
      const { rows } = await tx.query<Rec>('SELECT record FROM s3_objects WHERE bucket = $1 AND key = $2', [object.bucket, object.key]);
      const current = rows[0] ? objectOf(rows[0].record) : undefined;
      if (condition?.kind === 'absent' && current) return { written: false, replaced: undefined };
      if (condition?.kind === 'etag' && current?.etag !== condition.etag) return { written: false, replaced: undefined };
      const old = await tx.query<Rec>('DELETE FROM s3_versions WHERE bucket = $1 AND key = $2 AND version_id = $3 RETURNING record', [object.bucket, object.key, versionIdOf(object)]);
      await tx.query('INSERT INTO s3_versions (bucket, key, version_id, record) VALUES ($1, $2, $3, $4)', [object.bucket, object.key, versionIdOf(object), JSON.stringify(object)]);
      if (object.deleteMarker) await tx.query('DELETE FROM s3_objects WHERE bucket = $1 AND key = $2', [object.bucket, object.key]);
      else await setCurrent(tx, object);
      return { written: true, replaced: old.rows[0] ? objectOf(old.rows[0].record) : undefined };
    });
  }

  async getVersion(bucket: string, key: string, versionId?: string): Promise<VersionEntry | undefined> {
    const { rows } =
      versionId === undefined
        ? await this.db.query<VersionRow>('SELECT record, seq, true AS latest FROM s3_versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1', [bucket, key])
        : await this.db.query<VersionRow>(`SELECT record, seq, ${LATEST} FROM s3_versions v WHERE bucket = $1 AND key = $2 AND version_id = $3`, [bucket, key, versionId]);
    return rows[0] ? entryOf(rows[0]) : undefined;
  }

  async deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectRecord | undefined> {
    return transaction(this.db, async (tx) => {
      await lockKey(tx, bucket, key);
      const gone = await tx.query<Rec>('DELETE FROM s3_versions WHERE bucket = $1 AND key = $2 AND version_id = $3 RETURNING record', [bucket, key, versionId]);
      if (!gone.rows[0]) return undefined;
      const next = await tx.query<Rec>('SELECT record FROM s3_versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1', [bucket, key]);
      const newest = next.rows[0] ? objectOf(next.rows[0].record) : undefined;
      if (newest && !newest.deleteMarker) await setCurrent(tx, newest);
      else await tx.query('DELETE FROM s3_objects WHERE bucket = $1 AND key = $2', [bucket, key]);
      return objectOf(gone.rows[0].record);
    });
  }

  async listVersions(bucket: string, prefix: string, after: { key: string; seq?: number }, limit: number): Promise<VersionEntry[]> {
    const from = after.key > prefix ? after.key : prefix;
    // Within the `after` key, versions older than `seq` (none when it is not given).
    const { rows } = await this.db.query<VersionRow>(
      `SELECT record, seq, ${LATEST} FROM s3_versions v
       WHERE bucket = $1 AND key >= $2 AND key < $3 AND (key > $4 OR (key = $4 AND seq < $5))
       ORDER BY key, seq DESC LIMIT $6`,
      [bucket, from, pastPrefix(prefix), after.key, after.seq ?? 0, limit],
    );
    return rows.map(entryOf);
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const { rows } = await this.db.query<Rec>('SELECT record FROM s3_objects WHERE bucket = $1 AND key = $2', [bucket, key]);
    return rows[0] ? objectOf(rows[0].record) : undefined;
  }

  async setVersionTags(bucket: string, key: string, versionId: string, tags: Tags | undefined): Promise<ObjectRecord | undefined> {
    return transaction(this.db, async (tx) => {
      await lockKey(tx, bucket, key);
      const { rows } = await tx.query<Rec>('SELECT record FROM s3_versions WHERE bucket = $1 AND key = $2 AND version_id = $3', [bucket, key, versionId]);
      if (!rows[0]) return undefined;
      const updated = withTags(objectOf(rows[0].record), tags);
      const record = JSON.stringify(updated);
      await tx.query('UPDATE s3_versions SET record = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4', [record, bucket, key, versionId]);
      await tx.query(`UPDATE s3_objects SET record = $1 WHERE bucket = $2 AND key = $3 AND coalesce(record::jsonb->>'versionId', 'null') = $4`, [record, bucket, key, versionId]);
      return updated;
    });
  }

  async deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined> {
    return transaction(this.db, async (tx) => {
      await lockKey(tx, bucket, key);
      const { rows } = await tx.query<Rec>('DELETE FROM s3_objects WHERE bucket = $1 AND key = $2 AND ($3::text IS NULL OR etag = $3) RETURNING record', [bucket, key, etag ?? null]);
      if (!rows[0]) return undefined;
      const removed = objectOf(rows[0].record);
      await tx.query('DELETE FROM s3_versions WHERE bucket = $1 AND key = $2 AND version_id = $3', [bucket, key, versionIdOf(removed)]);
      return removed;
    });
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

async function setCurrent(tx: Queryable, object: ObjectRecord): Promise<void> {
  await tx.query(
    `INSERT INTO s3_objects (bucket, key, etag, record) VALUES ($1, $2, $3, $4)
     ON CONFLICT (bucket, key) DO UPDATE SET etag = excluded.etag, record = excluded.record`,
    [object.bucket, object.key, object.etag, JSON.stringify(object)],
  );
}
