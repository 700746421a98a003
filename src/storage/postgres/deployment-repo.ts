import { DeploymentRecordSchema, type DeploymentRecord } from '../../deployments/model.js';
import type { DeploymentRepo } from '../store.js';
import type { Db } from './db.js';

type Row = { record: string };
const parse = (r: Row) => DeploymentRecordSchema.parse(JSON.parse(r.record));

export class PostgresDeploymentRepo implements DeploymentRepo {
  constructor(private readonly db: Db) {}

  async put(d: DeploymentRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO deployments (id, function_name, status, started_at, record) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record`,
      [d.id, d.functionName, d.status, d.startedAt, JSON.stringify(d)],
    );
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM deployments WHERE id = $1', [id]);
    return rows[0] ? parse(rows[0]) : undefined;
  }

  async list(functionName: string): Promise<DeploymentRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM deployments WHERE function_name = $1 ORDER BY started_at DESC, seq DESC', [functionName]);
    return rows.map(parse);
  }

  async inProgress(): Promise<DeploymentRecord[]> {
    const { rows } = await this.db.query<Row>("SELECT record FROM deployments WHERE status = 'InProgress' ORDER BY seq");
    return rows.map(parse);
  }
}
