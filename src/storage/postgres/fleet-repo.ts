import { NodeRecordSchema, type LeaseRecord, type NodeLoad, type NodeRecord, type PoolShareRecord, type SlotRecord } from '../../domain/fleet.js';
import type { FleetRepo } from '../fleet-repo.js';
import { changed, type Db } from './db.js';

type NodeRow = { record: string };
type LeaseRow = { name: string; holder: string; expires_at: string };

export class PostgresFleetRepo implements FleetRepo {
  constructor(private readonly db: Db) {}

  async join(node: NodeRecord, aliveSince: number): Promise<boolean> {
    // One statement: two nodes started with the same id cannot both join.
    const r = await this.db.query(
      `INSERT INTO fleet_nodes (id, heartbeat_at, stopped, record) VALUES ($1, $2, false, $3)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, stopped = false, record = excluded.record
       WHERE fleet_nodes.stopped OR fleet_nodes.heartbeat_at < $4`,
      [node.id, node.heartbeatAt, JSON.stringify(node), aliveSince],
    );
    return changed(r) === 1;
  }

  async heartbeat(id: string, at: number, load: NodeLoad): Promise<void> {
    await this.db.query(
      `UPDATE fleet_nodes SET heartbeat_at = $1, record = (record::jsonb || jsonb_build_object('heartbeatAt', $1::bigint, 'load', $2::jsonb))::text WHERE id = $3`,
      [at, JSON.stringify(load), id],
    );
  }

  async leave(id: string, at: number): Promise<void> {
    await this.db.query(`UPDATE fleet_nodes SET stopped = true, record = (record::jsonb || jsonb_build_object('stoppedAt', $1::bigint))::text WHERE id = $2`, [at, id]);
    await this.db.query('DELETE FROM fleet_leases WHERE holder = $1', [id]);
  }

  async nodes(): Promise<NodeRecord[]> {
    const { rows } = await this.db.query<NodeRow>('SELECT record FROM fleet_nodes ORDER BY id');
    return rows.map((r) => NodeRecordSchema.parse(JSON.parse(r.record)));
  }

  async forget(before: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM fleet_nodes WHERE heartbeat_at < $1', [before]));
  }

  async acquire(name: string, holder: string, now: number, expiresAt: number): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO fleet_leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE fleet_leases.holder = excluded.holder OR fleet_leases.expires_at <= $4`,
      [name, holder, expiresAt, now],
    );
    return changed(r) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM fleet_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async releaseAll(holder: string): Promise<number> {
    return changed(await this.db.query('DELETE FROM fleet_leases WHERE holder = $1', [holder]));
  }

  async leases(): Promise<LeaseRecord[]> {
    const { rows } = await this.db.query<LeaseRow>('SELECT name, holder, expires_at FROM fleet_leases ORDER BY name');
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresAt: Number(r.expires_at) }));
  }

  async takeSlot(functionName: string, holder: string, limit: number, aliveSince: number, at: number): Promise<number | undefined> {
    // One call: the function (migration 38) locks the function's slots, counts the live ones, inserts.
    const { rows } = await this.db.query<{ id: number | null }>('SELECT selfless_take_concurrency_slot($1, $2, $3, $4, $5) AS id', [functionName, holder, limit, aliveSince, at]);
    const id = rows[0]?.id;
    return id === null || id === undefined ? undefined : Number(id);
  }

  async releaseSlot(id: number): Promise<void> {
    await this.db.query('DELETE FROM fleet_concurrency_slots WHERE id = $1', [id]);
  }

  async releaseSlots(holder: string): Promise<number> {
    return changed(await this.db.query('DELETE FROM fleet_concurrency_slots WHERE holder = $1', [holder]));
  }

  async slots(): Promise<SlotRecord[]> {
    const { rows } = await this.db.query<SlotRow>('SELECT id, function_name, holder, taken_at FROM fleet_concurrency_slots ORDER BY id');
    return rows.map(slotOf);
  }

  async resizePoolShare(holder: string, want: number, limit: number, aliveSince: number, at: number): Promise<number> {
    // One call: the function (migration 39) locks, drops dead nodes' shares, grants what the rest leave.
    const { rows } = await this.db.query<{ granted: number }>('SELECT selfless_resize_pool_share($1, $2, $3, $4, $5) AS granted', [holder, want, limit, aliveSince, at]);
    return Number(rows[0]?.granted ?? 0);
  }

  async releasePoolShare(holder: string): Promise<void> {
    await this.db.query('DELETE FROM fleet_pool_shares WHERE holder = $1', [holder]);
  }

  async poolShares(): Promise<PoolShareRecord[]> {
    const { rows } = await this.db.query<{ holder: string; slots: number; updated_at: string }>('SELECT holder, slots, updated_at FROM fleet_pool_shares ORDER BY holder');
    return rows.map((r) => ({ holder: r.holder, slots: Number(r.slots), updatedAt: Number(r.updated_at) }));
  }
}

type SlotRow = { id: number; function_name: string; holder: string; taken_at: number };
const slotOf = (r: SlotRow): SlotRecord => ({ id: Number(r.id), functionName: r.function_name, holder: r.holder, takenAt: Number(r.taken_at) });
