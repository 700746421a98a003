import { StreamSchema, type KinesisRecord, type StreamRecord } from '../../services/kinesis/model.js';
import type { KinesisRepo, NewKinesisRecord, PutOutcome, PutRoute } from '../kinesis-repo.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };
type RecordRow = { shard_id: string; sequence: number; partition_key: string; data: Buffer; arrived_at: number };

/*
 * Reads give the stream as `(SELECT $1::text)`, unknown when planning, so the planner sizes the
 * stream by the average (n_distinct). Given the name, it sizes it by its statistics, where a stream
 * created since the last ANALYZE looks empty: the arrival index (stream, arrived_at) then ties with
 * the primary key, and each read scanned and sorted every record of the stream.
 */
const READ_RECORDS = `SELECT shard_id, sequence, partition_key, data, arrived_at FROM kinesis_records
  WHERE stream = (SELECT $1::text) AND shard_id = $2 AND sequence > $3 AND arrived_at >= $4 ORDER BY sequence LIMIT $5`;
/** The statement above, for the test that checks its plan. */
export const SHARD_READS = { READ_RECORDS } as const;

const stream = (row: Row): StreamRecord => StreamSchema.parse(JSON.parse(row.record));
const kinesisRecord = (r: RecordRow): KinesisRecord => ({ shardId: r.shard_id, sequence: r.sequence, partitionKey: r.partition_key, data: r.data, arrivedAt: r.arrived_at });

/** The same rows as the SQLite adapter; puts and reshards lock the stream's row (FOR UPDATE) so every node numbers records alike. */
export class PostgresKinesisRepo implements KinesisRepo {
  constructor(private readonly db: Db) {}

  async createStream(s: StreamRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO kinesis_streams (name, record, last_sequence) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING', [s.name, JSON.stringify(s)]);
    return changed(r) === 1;
  }

  async getStream(name: string): Promise<StreamRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM kinesis_streams WHERE name = $1', [name]);
    return rows[0] ? stream(rows[0]) : undefined;
  }

  async listStreams(after: string | undefined, limit: number): Promise<StreamRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM kinesis_streams WHERE name > $1 ORDER BY name LIMIT $2', [after ?? '', limit]);
    return rows.map(stream);
  }

  async updateStream(name: string, change: (s: StreamRecord, lastSequence: number) => StreamRecord): Promise<StreamRecord | undefined> {
    return transaction(this.db, async (tx) => {
      const { rows } = await tx.query<Row & { last_sequence: number }>('SELECT record, last_sequence FROM kinesis_streams WHERE name = $1 FOR UPDATE', [name]);
      if (!rows[0]) return undefined;
      const next = change(stream(rows[0]), rows[0].last_sequence);
      await tx.query('UPDATE kinesis_streams SET record = $2 WHERE name = $1', [name, JSON.stringify(next)]);
      return next;
    });
  }

  async lastSequence(name: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ last_sequence: number }>('SELECT last_sequence FROM kinesis_streams WHERE name = $1', [name]);
    return rows[0]?.last_sequence;
  }

  async deleteStream(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM kinesis_records WHERE stream = $1', [name]);
      return changed(await tx.query('DELETE FROM kinesis_streams WHERE name = $1', [name])) === 1;
    });
  }

  async putRecords(name: string, records: readonly NewKinesisRecord[], at: number, route: PutRoute): Promise<PutOutcome[] | undefined> {
    return transaction(this.db, async (tx) => {
      const { rows } = await tx.query<Row & { last_sequence: number }>('SELECT record, last_sequence FROM kinesis_streams WHERE name = $1 FOR UPDATE', [name]);
      if (!rows[0]) return undefined;
      const routes = route(stream(rows[0]));
      let last = rows[0].last_sequence;
      const shards: string[] = [];
      const sequences: number[] = [];
      const keys: string[] = [];
      const data: Buffer[] = [];
      const out: PutOutcome[] = records.map((r, i) => {
        const where = routes[i]!;
        if ('error' in where) return where;
        last++;
        shards.push(where.shardId);
        sequences.push(last);
        keys.push(r.partitionKey);
        data.push(r.data);
        return { shardId: where.shardId, sequence: last };
      });
      if (sequences.length > 0) {
        await tx.query(
          `INSERT INTO kinesis_records (stream, shard_id, sequence, partition_key, data, arrived_at)
           SELECT $1, x.shard_id, x.sequence, x.partition_key, x.data, $2 FROM unnest($3::text[], $4::bigint[], $5::text[], $6::bytea[]) AS x(shard_id, sequence, partition_key, data)`,
          [name, at, shards, sequences, keys, data],
        );
        await tx.query('UPDATE kinesis_streams SET last_sequence = $2 WHERE name = $1', [name, last]);
      }
      return out;
    });
  }

  async readRecords(name: string, shardId: string, after: number, since: number, limit: number): Promise<KinesisRecord[]> {
    const { rows } = await this.db.query<RecordRow>(READ_RECORDS, [name, shardId, after, since, limit]);
    return rows.map(kinesisRecord);
  }

  async sequenceBefore(name: string, shardId: string, at: number): Promise<number | undefined> {
    const { rows } = await this.db.query<{ sequence: number }>(
      'SELECT sequence FROM kinesis_records WHERE stream = $1 AND shard_id = $2 AND arrived_at >= $3 ORDER BY sequence LIMIT 1',
      [name, shardId, at],
    );
    return rows[0] ? rows[0].sequence - 1 : undefined;
  }

  async trim(name: string, before: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM kinesis_records WHERE stream = $1 AND arrived_at < $2', [name, before]));
  }
}
