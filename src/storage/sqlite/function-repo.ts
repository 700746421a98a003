import type Database from 'better-sqlite3';
import { FunctionRecordSchema, type FunctionRecord } from '../../domain/function.js';
import type { FunctionRepo } from '../store.js';

/** Functions as validated JSON documents keyed by name. */
export class SqliteFunctionRepo implements FunctionRepo {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare<[string], { record: string }>('SELECT record FROM functions WHERE name = ?'),
      list: db.prepare<[string, number], { record: string }>('SELECT record FROM functions WHERE name > ? ORDER BY name LIMIT ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM functions'),
      insert: db.prepare<[string, string]>('INSERT OR IGNORE INTO functions (name, record) VALUES (?, ?)'),
      update: db.prepare<[string, string]>('UPDATE functions SET record = ? WHERE name = ?'),
      delete: db.prepare<[string]>('DELETE FROM functions WHERE name = ?'),
    };
  }

  async get(name: string): Promise<FunctionRecord | undefined> {
    const row = this.stmts.get.get(name);
    return row ? parse(row.record) : undefined;
  }

  async list(after: string | undefined, limit: number): Promise<FunctionRecord[]> {
    return this.stmts.list.all(after ?? '', limit).map((r) => parse(r.record));
  }

  async count(): Promise<number> {
    return this.stmts.count.get()!.n;
  }

  async create(record: FunctionRecord): Promise<boolean> {
    return this.stmts.insert.run(record.name, JSON.stringify(record)).changes === 1;
  }

  async update(record: FunctionRecord): Promise<boolean> {
    return this.stmts.update.run(JSON.stringify(record), record.name).changes === 1;
  }

  async delete(name: string): Promise<boolean> {
    return this.stmts.delete.run(name).changes === 1;
  }
}

const parse = (json: string): FunctionRecord => FunctionRecordSchema.parse(JSON.parse(json));
