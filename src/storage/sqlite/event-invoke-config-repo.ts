import type Database from 'better-sqlite3';
import { EventInvokeConfigSchema, type EventInvokeConfig } from '../../async/model.js';
import type { EventInvokeConfigRepo } from '../store.js';

/** Event invoke configs as validated JSON documents keyed by function and qualifier. */
export class SqliteEventInvokeConfigRepo implements EventInvokeConfigRepo {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare<[string, string], { record: string }>('SELECT record FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?'),
      put: db.prepare<[string, string, string]>(
        'INSERT INTO event_invoke_configs (function_name, qualifier, record) VALUES (?, ?, ?) ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record',
      ),
      delete: db.prepare<[string, string]>('DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?'),
      list: db.prepare<[string, string, number], { record: string }>(
        'SELECT record FROM event_invoke_configs WHERE function_name = ? AND qualifier > ? ORDER BY qualifier LIMIT ?',
      ),
    };
  }

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfig | undefined> {
    const row = this.stmts.get.get(functionName, qualifier);
    return row ? parse(row.record) : undefined;
  }

  async put(config: EventInvokeConfig): Promise<void> {
    this.stmts.put.run(config.functionName, config.qualifier, JSON.stringify(config));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.stmts.delete.run(functionName, qualifier).changes === 1;
  }

  async list(functionName: string, after: string | undefined, limit: number): Promise<EventInvokeConfig[]> {
    return this.stmts.list.all(functionName, after ?? '', limit).map((r) => parse(r.record));
  }
}

const parse = (json: string): EventInvokeConfig => EventInvokeConfigSchema.parse(JSON.parse(json)) as EventInvokeConfig;
