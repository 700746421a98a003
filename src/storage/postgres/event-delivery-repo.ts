import { PendingDeliverySchema, type PendingDelivery } from '../../services/events/model.js';
import type { EventDeliveryRepo } from '../store.js';
import { changed, type Db } from './db.js';

/** Deliveries waiting for a retry, as validated JSON documents; taking one is a delete only one node wins. */
export class PostgresEventDeliveryRepo implements EventDeliveryRepo {
  constructor(private readonly db: Db) {}

  async put(d: PendingDelivery): Promise<void> {
    await this.db.query(
      'INSERT INTO event_deliveries (id, due_at, record) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, record = excluded.record',
      [d.id, d.dueAt, JSON.stringify(d)],
    );
  }

  async take(id: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM event_deliveries WHERE id = $1', [id])) === 1;
  }

  async list(): Promise<PendingDelivery[]> {
    const { rows } = await this.db.query<{ record: string }>('SELECT record FROM event_deliveries ORDER BY due_at, id');
    return rows.map((r) => PendingDeliverySchema.parse(JSON.parse(r.record)));
  }
}
