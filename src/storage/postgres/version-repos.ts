/** Published versions, aliases and provisioned-concurrency settings, as validated JSON documents. */
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
import { changed, type Db } from './db.js';

type Row = { record: string };

export class PostgresVersionRepo implements VersionRepo {
  constructor(private readonly db: Db) {}

  async put(v: FunctionVersionRecord): Promise<void> {
    await this.db.query('INSERT INTO function_versions (function_name, version, record) VALUES ($1, $2, $3)', [v.functionName, Number(v.version), JSON.stringify(v)]);
  }

  async get(functionName: string, version: string): Promise<FunctionVersionRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM function_versions WHERE function_name = $1 AND version = $2', [functionName, Number(version)]);
    return rows[0] ? FunctionVersionRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async list(functionName: string, after: number | undefined, limit: number): Promise<FunctionVersionRecord[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM function_versions WHERE function_name = $1 AND version > $2 ORDER BY version LIMIT $3',
      [functionName, after ?? 0, limit],
    );
    return rows.map((r) => FunctionVersionRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, version: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM function_versions WHERE function_name = $1 AND version = $2', [functionName, Number(version)])) === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    await this.db.query('DELETE FROM function_versions WHERE function_name = $1', [functionName]);
  }

  async setState(functionName: string, version: string, state: VersionState): Promise<boolean> {
    const current = await this.get(functionName, version);
    if (!current) return false;
    const record = JSON.stringify(withState(current, state));
    return changed(await this.db.query('UPDATE function_versions SET record = $1 WHERE function_name = $2 AND version = $3', [record, functionName, Number(version)])) === 1;
  }
}

export class PostgresAliasRepo implements AliasRepo {
  constructor(private readonly db: Db) {}

  async create(a: AliasRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO aliases (function_name, name, record) VALUES ($1, $2, $3) ON CONFLICT (function_name, name) DO NOTHING', [
      a.functionName,
      a.name,
      JSON.stringify(a),
    ]);
    return changed(r) === 1;
  }

  async update(a: AliasRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE aliases SET record = $1 WHERE function_name = $2 AND name = $3', [JSON.stringify(a), a.functionName, a.name])) === 1;
  }

  async get(functionName: string, name: string): Promise<AliasRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM aliases WHERE function_name = $1 AND name = $2', [functionName, name]);
    return rows[0] ? AliasRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async list(functionName: string): Promise<AliasRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM aliases WHERE function_name = $1 ORDER BY name', [functionName]);
    return rows.map((r) => AliasRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, name: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM aliases WHERE function_name = $1 AND name = $2', [functionName, name])) === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    await this.db.query('DELETE FROM aliases WHERE function_name = $1', [functionName]);
  }
}

export class PostgresProvisionedConcurrencyRepo implements ProvisionedConcurrencyRepo {
  constructor(private readonly db: Db) {}

  async put(p: ProvisionedConcurrencyRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO provisioned_concurrency (function_name, qualifier, record) VALUES ($1, $2, $3)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record`,
      [p.functionName, p.qualifier, JSON.stringify(p)],
    );
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier]);
    return rows[0] ? ProvisionedConcurrencyRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async list(functionName?: string): Promise<ProvisionedConcurrencyRecord[]> {
    const { rows } =
      functionName === undefined
        ? await this.db.query<Row>('SELECT record FROM provisioned_concurrency ORDER BY function_name, qualifier')
        : await this.db.query<Row>('SELECT record FROM provisioned_concurrency WHERE function_name = $1 ORDER BY qualifier', [functionName]);
    return rows.map((r) => ProvisionedConcurrencyRecordSchema.parse(JSON.parse(r.record)));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    await this.db.query('DELETE FROM provisioned_concurrency WHERE function_name = $1', [functionName]);
  }
}
