import type Database from 'better-sqlite3';
import { StreamSchema, type KinesisRecord, type StreamRecord } from '../../services/kinesis/model.js';
import type { KinesisRepo, NewKinesisRecord, PutOutcome, PutRoute } from '../kinesis-repo.js';

type Row = { record: string };
type RecordRow = { shard_id: string; sequence: number; partition_key: string; data: Buffer; arrived_at: number };

const stream = (row: Row): StreamRecord => StreamSchema.parse(JSON.parse(row.record));
const kinesisRecord = (r: RecordRow): KinesisRecord => ({ shardId: r.shard_id, sequence: r.sequence, partitionKey: r.partition_key, data: r.data, arrivedAt: r.arrived_at });

export class SqliteKinesisRepo implements KinesisRepo {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      insert: db.prepare<[string, string]>('INSERT OR IGNORE INTO kinesis_streams (name, record, last_sequence) VALUES (?, ?, 0)'),
      get: db.prepare<[string], Row & { last_sequence: number }>('SELECT record, last_sequence FROM kinesis_streams WHERE name = ?'),
      list: db.prepare<[string, number], Row>('SELECT record FROM kinesis_streams WHERE name > ? ORDER BY name LIMIT ?'),
      update: db.prepare<[string, string]>('UPDATE kinesis_streams SET record = ? WHERE name = ?'),
      advance: db.prepare<[number, string]>('UPDATE kinesis_streams SET last_sequence = ? WHERE name = ?'),
      delete: db.prepare<[string]>('DELETE FROM kinesis_streams WHERE name = ?'),
      deleteRecords: db.prepare<[string]>('DELETE FROM kinesis_records WHERE stream = ?'),
      append: db.prepare<[string, string, number, string, Buffer, number]>(
        'INSERT INTO kinesis_records (stream, shard_id, sequence, partition_key, data, arrived_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      read: db.prepare<[string, string, number, number, number], RecordRow>(
        'SELECT shard_id, sequence, partition_key, data, arrived_at FROM kinesis_records WHERE stream = ? AND shard_id = ? AND sequence > ? AND arrived_at >= ? ORDER BY sequence LIMIT ?',
      ),
      firstAt: db.prepare<[string, string, number], { sequence: number }>(
        'SELECT sequence FROM kinesis_records WHERE stream = ? AND shard_id = ? AND arrived_at >= ? ORDER BY sequence LIMIT 1',
      ),
      trim: db.prepare<[string, number]>('DELETE FROM kinesis_records WHERE stream = ? AND arrived_at < ?'),
    };
  }

  async createStream(s: StreamRecord): Promise<boolean> {
    return this.s.insert.run(s.name, JSON.stringify(s)).changes === 1;
  }

  async getStream(name: string): Promise<StreamRecord | undefined> {
    const row = this.s.get.get(name);
    return row ? stream(row) : undefined;
  }

  async listStreams(after: string | undefined, limit: number): Promise<StreamRecord[]> {
    return this.s.list.all(after ?? '', limit).map(stream);
  }

  async updateStream(name: string, change: (s: StreamRecord, lastSequence: number) => StreamRecord): Promise<StreamRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.s.get.get(name);
      if (!row) return undefined;
      const next = change(stream(row), row.last_sequence);
      this.s.update.run(JSON.stringify(next), name);
      return next;
    })();
  }

  async lastSequence(name: string): Promise<number | undefined> {
    return this.s.get.get(name)?.last_sequence;
  }

  async deleteStream(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.s.deleteRecords.run(name);
      return this.s.delete.run(name).changes === 1;
    })();
  }

  async putRecords(name: string, records: readonly NewKinesisRecord[], at: number, route: PutRoute): Promise<PutOutcome[] | undefined> {
    return this.db.transaction(() => {
      const row = this.s.get.get(name);
      if (!row) return undefined;
      const routes = route(stream(row));
      let last = row.last_sequence;
      const out: PutOutcome[] = records.map((r, i) => {
        const where = routes[i]!;
        if ('error' in where) return where;
        last++;
        this.s.append.run(name, where.shardId, last, r.partitionKey, r.data, at);
        return { shardId: where.shardId, sequence: last };
      });
      this.s.advance.run(last, name);
      return out;
    })();
  }

  async readRecords(name: string, shardId: string, after: number, since: number, limit: number): Promise<KinesisRecord[]> {
    return this.s.read.all(name, shardId, after, since, limit).map(kinesisRecord);
  }

  async sequenceBefore(name: string, shardId: string, at: number): Promise<number | undefined> {
    const row = this.s.firstAt.get(name, shardId, at);
    return row ? row.sequence - 1 : undefined;
  }

  async trim(name: string, before: number): Promise<number> {
    return this.s.trim.run(name, before).changes;
  }
}
