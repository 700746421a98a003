/** Capacity providers and functions' scaling configs, as validated JSON documents. */
import type Database from 'better-sqlite3';
import { CapacityProviderRecordSchema, FunctionScalingRecordSchema, type CapacityProviderRecord, type FunctionScalingRecord } from '../../domain/capacity-provider.js';
import type { CapacityProviderRepo, FunctionScalingRepo } from '../capacity-provider-repo.js';

type Row = { record: string };
const provider = (r: Row): CapacityProviderRecord => CapacityProviderRecordSchema.parse(JSON.parse(r.record));

export class SqliteCapacityProviderRepo implements CapacityProviderRepo {
  constructor(private readonly db: Database.Database) {}

  async get(name: string): Promise<CapacityProviderRecord | undefined> {
    const row = this.db.prepare<[string], Row>('SELECT record FROM capacity_providers WHERE name = ?').get(name);
    return row ? provider(row) : undefined;
  }

  async list(after: string | undefined, limit: number): Promise<CapacityProviderRecord[]> {
    return this.db.prepare<[string, number], Row>('SELECT record FROM capacity_providers WHERE name > ? ORDER BY name LIMIT ?').all(after ?? '', limit).map(provider);
  }

  async count(): Promise<number> {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM capacity_providers').get()!.n;
  }

  async create(record: CapacityProviderRecord): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO capacity_providers (name, record) VALUES (?, ?)').run(record.name, JSON.stringify(record)).changes === 1;
  }

  async update(record: CapacityProviderRecord): Promise<boolean> {
    return this.db.prepare('UPDATE capacity_providers SET record = ? WHERE name = ?').run(JSON.stringify(record), record.name).changes === 1;
  }

  async delete(name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM capacity_providers WHERE name = ?').run(name).changes === 1;
  }
}

export class SqliteFunctionScalingRepo implements FunctionScalingRepo {
  constructor(private readonly db: Database.Database) {}

  async put(r: FunctionScalingRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO function_scaling_configs (function_name, qualifier, record) VALUES (?, ?, ?) ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record')
      .run(r.functionName, r.qualifier, JSON.stringify(r));
  }

  async get(functionName: string, qualifier: string): Promise<FunctionScalingRecord | undefined> {
    const row = this.db.prepare<[string, string], Row>('SELECT record FROM function_scaling_configs WHERE function_name = ? AND qualifier = ?').get(functionName, qualifier);
    return row ? FunctionScalingRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM function_scaling_configs WHERE function_name = ? AND qualifier = ?').run(functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.db.prepare('DELETE FROM function_scaling_configs WHERE function_name = ?').run(functionName);
  }
}
