import type Database from 'better-sqlite3';
import { EventSourceMappingSchema, type EventSourceMapping } from '../../event-sources/model.js';
import type { EventSourceMappingRepo } from '../store.js';

/** Event source mappings as validated JSON documents keyed by UUID. */
export class SqliteEventSourceMappingRepo implements EventSourceMappingRepo {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare<[string], { record: string }>('SELECT record FROM event_source_mappings WHERE uuid = ?'),
      all: db.prepare<[], { record: string }>('SELECT record FROM event_source_mappings ORDER BY created, uuid'),
      insert: db.prepare<[string, string, string, string, number]>(
        'INSERT INTO event_source_mappings (uuid, function_name, event_source_arn, record, created) VALUES (?, ?, ?, ?, ?)',
      ),
      update: db.prepare<[string, string, string, string]>(
        'UPDATE event_source_mappings SET function_name = ?, event_source_arn = ?, record = ? WHERE uuid = ?',
      ),
      delete: db.prepare<[string]>('DELETE FROM event_source_mappings WHERE uuid = ?'),
    };
  }

  async get(uuid: string): Promise<EventSourceMapping | undefined> {
    const row = this.stmts.get.get(uuid);
    return row ? parse(row.record) : undefined;
  }

  async all(): Promise<EventSourceMapping[]> {
    return this.stmts.all.all().map((r) => parse(r.record));
  }

  async create(m: EventSourceMapping): Promise<void> {
    this.stmts.insert.run(m.uuid, m.functionName, m.eventSourceArn, JSON.stringify(m), m.lastModified);
  }

  async update(m: EventSourceMapping): Promise<boolean> {
    return this.stmts.update.run(m.functionName, m.eventSourceArn, JSON.stringify(m), m.uuid).changes === 1;
  }

  async delete(uuid: string): Promise<boolean> {
    return this.stmts.delete.run(uuid).changes === 1;
  }
}

const parse = (json: string): EventSourceMapping => EventSourceMappingSchema.parse(JSON.parse(json));
