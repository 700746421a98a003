/** A table of JSON documents keyed by name, with a revision for compare-and-set; parsed with zod when read. */
import type { z } from 'zod';
import type { DocumentRepo, Revisioned } from '../store.js';
import { changed, type Db } from './db.js';

type Row = { record: string; revision: number };

export class PostgresDocumentRepo<T> implements DocumentRepo<T> {
  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  private parse(row: Row): Revisioned<T> {
    return { value: this.schema.parse(JSON.parse(row.record)), revision: Number(row.revision) };
  }

  async get(key: string): Promise<Revisioned<T> | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT record, revision FROM ${this.table} WHERE key = $1`, [key]);
    return rows[0] ? this.parse(rows[0]) : undefined;
  }

  async list(prefix: string, after: string | undefined, limit: number): Promise<Revisioned<T>[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT record, revision FROM ${this.table} WHERE left(key, length($1)) = $1 AND key > $2 ORDER BY key LIMIT $3`,
      [prefix, after ?? '', limit],
    );
    return rows.map((r) => this.parse(r));
  }

  async create(key: string, value: T): Promise<boolean> {
    const r = await this.db.query(`INSERT INTO ${this.table} (key, revision, record) VALUES ($1, 1, $2) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(value)]);
    return changed(r) === 1;
  }

  async update(key: string, value: T, revision: number): Promise<boolean> {
    const r = await this.db.query(`UPDATE ${this.table} SET record = $1, revision = revision + 1 WHERE key = $2 AND revision = $3`, [JSON.stringify(value), key, revision]);
    return changed(r) === 1;
  }

  async delete(key: string): Promise<boolean> {
    return changed(await this.db.query(`DELETE FROM ${this.table} WHERE key = $1`, [key])) === 1;
  }
}
