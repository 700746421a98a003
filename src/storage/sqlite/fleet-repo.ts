import type Database from 'better-sqlite3';
import { NodeRecordSchema, type LeaseRecord, type NodeLoad, type NodeRecord, type PoolShareRecord, type SlotRecord } from '../../domain/fleet.js';
import type { FleetRepo } from '../fleet-repo.js';

type NodeRow = { record: string };
type LeaseRow = { name: string; holder: string; expires_at: number };

export class SqliteFleetRepo implements FleetRepo {
  constructor(private readonly db: Database.Database) {}

  async join(node: NodeRecord, aliveSince: number): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string], NodeRow>('SELECT record FROM fleet_nodes WHERE id = ?').get(node.id);
      const existing = row ? NodeRecordSchema.parse(JSON.parse(row.record)) : undefined;
      if (existing && existing.stoppedAt === undefined && existing.heartbeatAt >= aliveSince) return false;
      this.db.prepare('INSERT OR REPLACE INTO fleet_nodes (id, heartbeat_at, record) VALUES (?, ?, ?)').run(node.id, node.heartbeatAt, JSON.stringify(node));
      return true;
    })();
  }

  async heartbeat(id: string, at: number, load: NodeLoad): Promise<void> {
    this.db
      .prepare("UPDATE fleet_nodes SET heartbeat_at = ?, record = json_set(record, '$.heartbeatAt', ?, '$.load', json(?)) WHERE id = ?")
      .run(at, at, JSON.stringify(load), id);
  }

  async leave(id: string, at: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare("UPDATE fleet_nodes SET record = json_set(record, '$.stoppedAt', ?) WHERE id = ?").run(at, id);
      this.db.prepare('DELETE FROM fleet_leases WHERE holder = ?').run(id);
    })();
  }

  async nodes(): Promise<NodeRecord[]> {
    return this.db
      .prepare<[], NodeRow>('SELECT record FROM fleet_nodes ORDER BY id')
      .all()
      .map((r) => NodeRecordSchema.parse(JSON.parse(r.record)));
  }

  async forget(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM fleet_nodes WHERE heartbeat_at < ?').run(before).changes;
  }

  async acquire(name: string, holder: string, now: number, expiresAt: number): Promise<boolean> {
    const r = this.db
      .prepare(
        `INSERT INTO fleet_leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE fleet_leases.holder = excluded.holder OR fleet_leases.expires_at <= ?`,
      )
      .run(name, holder, expiresAt, now);
    return r.changes === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    this.db.prepare('DELETE FROM fleet_leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  async releaseAll(holder: string): Promise<number> {
    return this.db.prepare('DELETE FROM fleet_leases WHERE holder = ?').run(holder).changes;
  }

  async leases(): Promise<LeaseRecord[]> {
    return this.db
      .prepare<[], LeaseRow>('SELECT name, holder, expires_at FROM fleet_leases ORDER BY name')
      .all()
      .map((r) => ({ name: r.name, holder: r.holder, expiresAt: r.expires_at }));
  }

  async takeSlot(functionName: string, holder: string, limit: number, aliveSince: number, at: number): Promise<number | undefined> {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM fleet_concurrency_slots WHERE function_name = ? AND holder <> ? AND NOT EXISTS (
             SELECT 1 FROM fleet_nodes n WHERE n.id = fleet_concurrency_slots.holder AND n.heartbeat_at >= ?)`,
        )
        .run(functionName, holder, aliveSince);
      const held = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM fleet_concurrency_slots WHERE function_name = ?').get(functionName)!.n;
      if (held >= limit) return undefined;
      return Number(this.db.prepare('INSERT INTO fleet_concurrency_slots (function_name, holder, taken_at) VALUES (?, ?, ?)').run(functionName, holder, at).lastInsertRowid);
    })();
  }

  async releaseSlot(id: number): Promise<void> {
    this.db.prepare('DELETE FROM fleet_concurrency_slots WHERE id = ?').run(id);
  }

  async releaseSlots(holder: string): Promise<number> {
    return this.db.prepare('DELETE FROM fleet_concurrency_slots WHERE holder = ?').run(holder).changes;
  }

  async slots(): Promise<SlotRecord[]> {
    return this.db
      .prepare<[], { id: number; function_name: string; holder: string; taken_at: number }>('SELECT id, function_name, holder, taken_at FROM fleet_concurrency_slots ORDER BY id')
      .all()
      .map((r) => ({ id: r.id, functionName: r.function_name, holder: r.holder, takenAt: r.taken_at }));
  }

  async resizePoolShare(holder: string, want: number, limit: number, aliveSince: number, at: number): Promise<number> {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM fleet_pool_shares WHERE holder <> ? AND NOT EXISTS (
             SELECT 1 FROM fleet_nodes n WHERE n.id = fleet_pool_shares.holder AND n.heartbeat_at >= ?)`,
        )
        .run(holder, aliveSince);
      const others = this.db.prepare<[string], { n: number }>('SELECT coalesce(sum(slots), 0) AS n FROM fleet_pool_shares WHERE holder <> ?').get(holder)!.n;
      const granted = Math.max(0, Math.min(want, limit - others));
      this.db
        .prepare('INSERT INTO fleet_pool_shares (holder, slots, updated_at) VALUES (?, ?, ?) ON CONFLICT (holder) DO UPDATE SET slots = excluded.slots, updated_at = excluded.updated_at')
        .run(holder, granted, at);
      return granted;
    })();
  }

  async releasePoolShare(holder: string): Promise<void> {
    this.db.prepare('DELETE FROM fleet_pool_shares WHERE holder = ?').run(holder);
  }

  async poolShares(): Promise<PoolShareRecord[]> {
    return this.db
      .prepare<[], { holder: string; slots: number; updated_at: number }>('SELECT holder, slots, updated_at FROM fleet_pool_shares ORDER BY holder')
      .all()
      .map((r) => ({ holder: r.holder, slots: r.slots, updatedAt: r.updated_at }));
  }
}
