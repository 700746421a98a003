/** A table of JSON documents keyed by name, with a revision for compare-and-set; parsed with zod when read. */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { DocumentRepo, Revisioned } from '../store.js';

type Row = { record: string; revision: number };

export class SqliteDocumentRepo<T> implements DocumentRepo<T> {
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly selectMany: Database.Statement<[string, string, string, number], Row>;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly replace: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    table: string,
    private readonly schema: z.ZodType<T>,
  ) {
    this.selectOne = db.prepare(`SELECT record, revision FROM ${table} WHERE key = ?`);
    this.selectMany = db.prepare(`SELECT record, revision FROM ${table} WHERE substr(key, 1, length(?)) = ? AND key > ? ORDER BY key LIMIT ?`);
    this.insert = db.prepare(`INSERT INTO ${table} (key, revision, record) VALUES (?, 1, ?) ON CONFLICT (key) DO NOTHING`);
    this.replace = db.prepare(`UPDATE ${table} SET record = ?, revision = revision + 1 WHERE key = ? AND revision = ?`);
    this.remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
  }

  private parse(row: Row): Revisioned<T> {
    return { value: this.schema.parse(JSON.parse(row.record)), revision: row.revision };
  }

  async get(key: string): Promise<Revisioned<T> | undefined> {
    const row = this.selectOne.get(key);
    return row ? this.parse(row) : undefined;
  }

  async list(prefix: string, after: string | undefined, limit: number): Promise<Revisioned<T>[]> {
    return this.selectMany.all(prefix, prefix, after ?? '', limit).map((r) => this.parse(r));
  }

  async create(key: string, value: T): Promise<boolean> {
    return this.insert.run(key, JSON.stringify(value)).changes === 1;
  }

  async update(key: string, value: T, revision: number): Promise<boolean> {
    return this.replace.run(JSON.stringify(value), key, revision).changes === 1;
  }

  async delete(key: string): Promise<boolean> {
    return this.remove.run(key).changes === 1;
  }
}
