import type Database from 'better-sqlite3';
import { DeploymentRecordSchema, type DeploymentRecord } from '../../deployments/model.js';
import type { DeploymentRepo } from '../store.js';

type Row = { record: string };
const parse = (r: Row) => DeploymentRecordSchema.parse(JSON.parse(r.record));

export class SqliteDeploymentRepo implements DeploymentRepo {
  constructor(private readonly db: Database.Database) {}

  async put(d: DeploymentRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO deployments (id, function_name, status, started_at, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record`,
      )
      .run(d.id, d.functionName, d.status, d.startedAt, JSON.stringify(d));
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    const row = this.db.prepare<[string], Row>('SELECT record FROM deployments WHERE id = ?').get(id);
    return row ? parse(row) : undefined;
  }

  async list(functionName: string): Promise<DeploymentRecord[]> {
    return this.db.prepare<[string], Row>('SELECT record FROM deployments WHERE function_name = ? ORDER BY started_at DESC, rowid DESC').all(functionName).map(parse);
  }

  async inProgress(): Promise<DeploymentRecord[]> {
    return this.db.prepare<[], Row>("SELECT record FROM deployments WHERE status = 'InProgress'").all().map(parse);
  }
}
