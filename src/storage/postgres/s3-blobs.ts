/**
 * Object bytes in PostgreSQL, for a fleet: every node reads what any node wrote. A blob is stored in
 * 1 MiB chunks, each its own commit, so memory stays bounded whatever the size; it becomes readable
 * only once marked complete, after its last chunk. A write that fails removes what it had stored.
 */
import { randomUUID } from 'node:crypto';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../services/s3/blobs.js';
import type { Db } from './db.js';

const CHUNK = 1024 * 1024;
/** Chunks fetched per query when reading. */
const BATCH = 8;

export class PostgresBlobStore implements BlobStore {
  constructor(private readonly db: Db) {}

  async write(source: Readable, transforms: readonly Transform[]): Promise<{ id: string; size: number }> {
    const id = randomUUID();
    await this.db.query('INSERT INTO s3_blobs (id, size, complete) VALUES ($1, 0, false)', [id]);
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending, pendingBytes);
        const data = joined.subarray(0, Math.min(CHUNK, joined.length));
        await this.db.query('INSERT INTO s3_blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [id, seq++, data]);
        const rest = joined.subarray(data.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
      }
    };
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        flush(false).then(() => done(), done);
      },
      final(done) {
        flush(true).then(() => done(), done);
      },
    });
    try {
      await pipeline([source, ...transforms, sink]);
      await this.db.query('UPDATE s3_blobs SET size = $2, complete = true WHERE id = $1', [id, size]);
      return { id, size };
    } catch (err) {
      await this.remove(id).catch(() => undefined);
      throw err;
    }
  }

  read(id: string, start = 0, end?: number): Readable {
    const db = this.db;
    async function* chunks() {
      const { rows } = await db.query<{ size: number }>('SELECT size FROM s3_blobs WHERE id = $1 AND complete', [id]);
      if (!rows[0]) throw new Error(`blob ${id} does not exist`);
      const last = Math.min(end ?? rows[0].size - 1, rows[0].size - 1);
      if (last < start) return;
      const firstSeq = Math.floor(start / CHUNK);
      const lastSeq = Math.floor(last / CHUNK);
      for (let from = firstSeq; from <= lastSeq; from += BATCH) {
        const batch = await db.query<{ seq: number; data: Buffer }>(
          'SELECT seq, data FROM s3_blob_chunks WHERE blob_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq',
          [id, from, Math.min(from + BATCH - 1, lastSeq)],
        );
        for (const { seq, data } of batch.rows) {
          const offset = seq * CHUNK;
          yield data.subarray(Math.max(0, start - offset), Math.min(data.length, last - offset + 1));
        }
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM s3_blob_chunks WHERE blob_id = $1', [id]);
    await this.db.query('DELETE FROM s3_blobs WHERE id = $1', [id]);
  }
}
