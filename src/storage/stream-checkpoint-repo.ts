/**
 * Where each stream event source mapping stands in each shard, so a restarted server resumes there:
 * the last sequence number settled (as the source writes it), and whether a closed shard is done.
 */
export interface ShardCheckpoint {
  shardId: string;
  /** The last record settled, or the position before the first to read; empty before a shard's first record. */
  sequence: string;
  /** A closed shard read to its end: its children may start. */
  ended: boolean;
}

export interface StreamCheckpointRepo {
  /** A mapping's checkpoints, by shard. */
  list(mappingUuid: string): Promise<ShardCheckpoint[]>;
  /** Sets a shard's checkpoint (insert or replace). */
  save(mappingUuid: string, checkpoint: ShardCheckpoint): Promise<void>;
  /** Forgets a mapping's checkpoints (the mapping was deleted). */
  forget(mappingUuid: string): Promise<void>;
}
