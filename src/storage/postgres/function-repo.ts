import { FunctionRecordSchema, type FunctionRecord } from '../../domain/function.js';
import type { FunctionRepo } from '../store.js';
import { changed, type Db } from './db.js';

type Row = { record: string };

/** Functions as validated JSON documents keyed by name. */
export class PostgresFunctionRepo implements FunctionRepo {
  constructor(private readonly db: Db) {}

  async get(name: string): Promise<FunctionRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM functions WHERE name = $1', [name]);
    return rows[0] ? parse(rows[0].record) : undefined;
  }

  async list(after: string | undefined, limit: number): Promise<FunctionRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM functions WHERE name > $1 ORDER BY name LIMIT $2', [after ?? '', limit]);
    return rows.map((r) => parse(r.record));
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM functions');
    return rows[0]!.n;
  }

  async create(record: FunctionRecord): Promise<boolean> {
    return changed(await this.db.query('INSERT INTO functions (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [record.name, JSON.stringify(record)])) === 1;
  }

  async update(record: FunctionRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE functions SET record = $1 WHERE name = $2', [JSON.stringify(record), record.name])) === 1;
  }

  async delete(name: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM functions WHERE name = $1', [name])) === 1;
  }
}

const parse = (json: string): FunctionRecord => FunctionRecordSchema.parse(JSON.parse(json));
