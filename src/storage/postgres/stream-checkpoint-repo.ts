import type { ShardCheckpoint, StreamCheckpointRepo } from '../stream-checkpoint-repo.js';
import type { Db } from './db.js';

type Row = { shard_id: string; sequence: string; ended: boolean };

export class PostgresStreamCheckpointRepo implements StreamCheckpointRepo {
  constructor(private readonly db: Db) {}

  async list(mappingUuid: string): Promise<ShardCheckpoint[]> {
    const { rows } = await this.db.query<Row>('SELECT shard_id, sequence, ended FROM stream_checkpoints WHERE mapping_uuid = $1 ORDER BY shard_id', [mappingUuid]);
    return rows.map((r) => ({ shardId: r.shard_id, sequence: r.sequence, ended: r.ended }));
  }

  async save(mappingUuid: string, c: ShardCheckpoint): Promise<void> {
    await this.db.query(
      `INSERT INTO stream_checkpoints (mapping_uuid, shard_id, sequence, ended) VALUES ($1, $2, $3, $4)
       ON CONFLICT (mapping_uuid, shard_id) DO UPDATE SET sequence = excluded.sequence, ended = excluded.ended`,
      [mappingUuid, c.shardId, c.sequence, c.ended],
    );
  }

  async forget(mappingUuid: string): Promise<void> {
    await this.db.query('DELETE FROM stream_checkpoints WHERE mapping_uuid = $1', [mappingUuid]);
  }
}
