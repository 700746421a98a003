import { EventInvokeConfigSchema, type EventInvokeConfig } from '../../async/model.js';
import type { EventInvokeConfigRepo } from '../store.js';
import { changed, type Db } from './db.js';

type Row = { record: string };

/** Event invoke configs as validated JSON documents keyed by function and qualifier. */
export class PostgresEventInvokeConfigRepo implements EventInvokeConfigRepo {
  constructor(private readonly db: Db) {}

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfig | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_invoke_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier]);
    return rows[0] ? parse(rows[0].record) : undefined;
  }

  async put(config: EventInvokeConfig): Promise<void> {
    await this.db.query(
      `INSERT INTO event_invoke_configs (function_name, qualifier, record) VALUES ($1, $2, $3)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET record = excluded.record`,
      [config.functionName, config.qualifier, JSON.stringify(config)],
    );
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM event_invoke_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) === 1;
  }

  async list(functionName: string, after: string | undefined, limit: number): Promise<EventInvokeConfig[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM event_invoke_configs WHERE function_name = $1 AND qualifier > $2 ORDER BY qualifier LIMIT $3',
      [functionName, after ?? '', limit],
    );
    return rows.map((r) => parse(r.record));
  }
}

const parse = (json: string): EventInvokeConfig => EventInvokeConfigSchema.parse(JSON.parse(json)) as EventInvokeConfig;
