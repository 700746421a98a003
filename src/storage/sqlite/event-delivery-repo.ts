import type Database from 'better-sqlite3';
import { PendingDeliverySchema, type PendingDelivery } from '../../services/events/model.js';
import type { EventDeliveryRepo } from '../store.js';

/** Deliveries waiting for a retry, as validated JSON documents. */
export class SqliteEventDeliveryRepo implements EventDeliveryRepo {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      put: db.prepare<[string, number, string]>('INSERT INTO event_deliveries (id, due_at, record) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, record = excluded.record'),
      take: db.prepare<[string]>('DELETE FROM event_deliveries WHERE id = ?'),
      list: db.prepare<[], { record: string }>('SELECT record FROM event_deliveries ORDER BY due_at, id'),
    };
  }

  async put(d: PendingDelivery): Promise<void> {
    this.stmts.put.run(d.id, d.dueAt, JSON.stringify(d));
  }

  async take(id: string): Promise<boolean> {
    return this.stmts.take.run(id).changes === 1;
  }

  async list(): Promise<PendingDelivery[]> {
    return this.stmts.list.all().map((r) => PendingDeliverySchema.parse(JSON.parse(r.record)));
  }
}
