/**
 * A provisioned shard's write limits: 1,000 records and 1 MiB (data and partition keys) per second,
 * counted per whole second of the injected clock, in memory (per server, not across a fleet).
 */
const RECORDS_PER_SECOND = 1000;
const BYTES_PER_SECOND = 1024 * 1024;

export class ShardThroughput {
  private second = -1;
  private readonly used = new Map<string, { records: number; bytes: number }>();

  /** Counts a record against its shard's second; false if it would go over (then it is not counted). */
  admit(shardKey: string, bytes: number, now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.used.clear();
    }
    const u = this.used.get(shardKey) ?? { records: 0, bytes: 0 };
    if (u.records + 1 > RECORDS_PER_SECOND || u.bytes + bytes > BYTES_PER_SECOND) return false;
    this.used.set(shardKey, { records: u.records + 1, bytes: u.bytes + bytes });
    return true;
  }
}
