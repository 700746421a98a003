/** Published versions, aliases and provisioned-concurrency settings, as validated JSON documents. */
import type Database from 'better-sqlite3';
import {
  AliasRecordSchema,
  FunctionVersionRecordSchema,
  ProvisionedConcurrencyRecordSchema,
  type AliasRecord,
  type FunctionVersionRecord,
  type ProvisionedConcurrencyRecord,
  type VersionState,
  withState,
} from '../../domain/function.js';
import type { AliasRepo, ProvisionedConcurrencyRepo, VersionRepo } from '../store.js';

type Row = { record: string };

export class SqliteVersionRepo implements VersionRepo {
  constructor(private readonly db: Database.Database) {}

  async put(v: FunctionVersionRecord): Promise<void> {
    this.db.prepare('INSERT INTO function_versions (function_name, version, record) VALUES (?, ?, ?)').run(v.functionName, Number(v.version), JSON.stringify(v));
  }

  async get(functionName: string, version: string): Promise<FunctionVersionRecord | undefined> {
    const row = this.db.prepare<[string, number], Row>('SELECT record FROM function_versions WHERE function_name = ? AND version = ?').get(functionName, Number(version));
    return row ? FunctionVersionRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async list(functionName: string, after: number | undefined, limit: number): Promise<FunctionVersionRecord[]> {
    return this.db
      .prepare<[string, number, number], Row>('SELECT record FROM function_versions WHERE function_name = ? AND version > ? ORDER BY version LIMIT ?')
      .all(functionName, after ?? 0, limit)
      .map((r) => FunctionVersionRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, version: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM function_versions WHERE function_name = ? AND version = ?').run(functionName, Number(version)).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.db.prepare('DELETE FROM function_versions WHERE function_name = ?').run(functionName);
  }

  async setState(functionName: string, version: string, state: VersionState): Promise<boolean> {
    const current = await this.get(functionName, version);
    if (!current) return false;
    const record = JSON.stringify(withState(current, state));
    return this.db.prepare('UPDATE function_versions SET record = ? WHERE function_name = ? AND version = ?').run(record, functionName, Number(version)).changes === 1;
  }
}

export class SqliteAliasRepo implements AliasRepo {
  constructor(private readonly db: Database.Database) {}

  async create(a: AliasRecord): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO aliases (function_name, name, record) VALUES (?, ?, ?)').run(a.functionName, a.name, JSON.stringify(a)).changes === 1;
  }

  async update(a: AliasRecord): Promise<boolean> {
    return this.db.prepare('UPDATE aliases SET record = ? WHERE function_name = ? AND name = ?').run(JSON.stringify(a), a.functionName, a.name).changes === 1;
  }

  async get(functionName: string, name: string): Promise<AliasRecord | undefined> {
    const row = this.db.prepare<[string, string], Row>('SELECT record FROM aliases WHERE function_name = ? AND name = ?').get(functionName, name);
    return row ? AliasRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async list(functionName: string): Promise<AliasRecord[]> {
    return this.db
      .prepare<[string], Row>('SELECT record FROM aliases WHERE function_name = ? ORDER BY name')
      .all(functionName)
      .map((r) => AliasRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM aliases WHERE function_name = ? AND name = ?').run(functionName, name).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.db.prepare('DELETE FROM aliases WHERE function_name = ?').run(functionName);
  }
}

export class SqliteProvisionedConcurrencyRepo implements ProvisionedConcurrencyRepo {
  constructor(private readonly db: Database.Database) {}

  async put(p: ProvisionedConcurrencyRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO provisioned_concurrency (function_name, qualifier, record) VALUES (?, ?, ?) ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record')
      .run(p.functionName, p.qualifier, JSON.stringify(p));
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyRecord | undefined> {
    const row = this.db.prepare<[string, string], Row>('SELECT record FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?').get(functionName, qualifier);
    return row ? ProvisionedConcurrencyRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async list(functionName?: string): Promise<ProvisionedConcurrencyRecord[]> {
    const rows =
      functionName === undefined
        ? this.db.prepare<[], Row>('SELECT record FROM provisioned_concurrency ORDER BY function_name, qualifier').all()
        : this.db.prepare<[string], Row>('SELECT record FROM provisioned_concurrency WHERE function_name = ? ORDER BY qualifier').all(functionName);
    return rows.map((r) => ProvisionedConcurrencyRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?').run(functionName, qualifier).changes === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.db.prepare('DELETE FROM provisioned_concurrency WHERE function_name = ?').run(functionName);
  }
}
