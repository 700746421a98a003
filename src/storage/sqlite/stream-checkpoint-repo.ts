import type Database from 'better-sqlite3';
import type { ShardCheckpoint, StreamCheckpointRepo } from '../stream-checkpoint-repo.js';

type Row = { shard_id: string; sequence: string; ended: number };

export class SqliteStreamCheckpointRepo implements StreamCheckpointRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      list: db.prepare<[string], Row>('SELECT shard_id, sequence, ended FROM stream_checkpoints WHERE mapping_uuid = ? ORDER BY shard_id'),
      save: db.prepare<[string, string, string, number]>('INSERT OR REPLACE INTO stream_checkpoints (mapping_uuid, shard_id, sequence, ended) VALUES (?, ?, ?, ?)'),
      forget: db.prepare<[string]>('DELETE FROM stream_checkpoints WHERE mapping_uuid = ?'),
    };
  }

  async list(mappingUuid: string): Promise<ShardCheckpoint[]> {
    return this.s.list.all(mappingUuid).map((r) => ({ shardId: r.shard_id, sequence: r.sequence, ended: r.ended === 1 }));
  }

  async save(mappingUuid: string, c: ShardCheckpoint): Promise<void> {
    this.s.save.run(mappingUuid, c.shardId, c.sequence, c.ended ? 1 : 0);
  }

  async forget(mappingUuid: string): Promise<void> {
    this.s.forget.run(mappingUuid);
  }
}
