/** Capacity providers and functions' scaling configs, as validated JSON documents. */
import { CapacityProviderRecordSchema, FunctionScalingRecordSchema, type CapacityProviderRecord, type FunctionScalingRecord } from '../../domain/capacity-provider.js';
import type { CapacityProviderRepo, FunctionScalingRepo } from '../capacity-provider-repo.js';
import { changed, type Db } from './db.js';

type Row = { record: string };
const provider = (r: Row): CapacityProviderRecord => CapacityProviderRecordSchema.parse(JSON.parse(r.record));

export class PostgresCapacityProviderRepo implements CapacityProviderRepo {
  constructor(private readonly db: Db) {}

  async get(name: string): Promise<CapacityProviderRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM capacity_providers WHERE name = $1', [name]);
    return rows[0] ? provider(rows[0]) : undefined;
  }

  async list(after: string | undefined, limit: number): Promise<CapacityProviderRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM capacity_providers WHERE name > $1 ORDER BY name LIMIT $2', [after ?? '', limit]);
    return rows.map(provider);
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM capacity_providers');
    return Number(rows[0]!.n);
  }

  async create(record: CapacityProviderRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO capacity_providers (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [record.name, JSON.stringify(record)]);
    return changed(r) === 1;
  }

  async update(record: CapacityProviderRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE capacity_providers SET record = $1 WHERE name = $2', [JSON.stringify(record), record.name])) === 1;
  }

  async delete(name: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM capacity_providers WHERE name = $1', [name])) === 1;
  }
}

export class PostgresFunctionScalingRepo implements FunctionScalingRepo {
  constructor(private readonly db: Db) {}

  async put(r: FunctionScalingRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO function_scaling_configs (function_name, qualifier, record) VALUES ($1, $2, $3) ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record',
      [r.functionName, r.qualifier, JSON.stringify(r)],
    );
  }

  async get(functionName: string, qualifier: string): Promise<FunctionScalingRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM function_scaling_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier]);
    return rows[0] ? FunctionScalingRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM function_scaling_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    await this.db.query('DELETE FROM function_scaling_configs WHERE function_name = $1', [functionName]);
  }
}
