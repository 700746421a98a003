import { EventSourceMappingSchema, type EventSourceMapping } from '../../event-sources/model.js';
import type { EventSourceMappingRepo } from '../store.js';
import { changed, type Db } from './db.js';

type Row = { record: string };

/** Event source mappings as validated JSON documents keyed by UUID. */
export class PostgresEventSourceMappingRepo implements EventSourceMappingRepo {
  constructor(private readonly db: Db) {}

  async get(uuid: string): Promise<EventSourceMapping | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_source_mappings WHERE uuid = $1', [uuid]);
    return rows[0] ? parse(rows[0].record) : undefined;
  }

  async all(): Promise<EventSourceMapping[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_source_mappings ORDER BY created, uuid');
    return rows.map((r) => parse(r.record));
  }

  async create(m: EventSourceMapping): Promise<void> {
    await this.db.query('INSERT INTO event_source_mappings (uuid, function_name, event_source_arn, record, created) VALUES ($1, $2, $3, $4, $5)', [
      m.uuid,
      m.functionName,
      m.eventSourceArn,
      JSON.stringify(m),
      m.lastModified,
    ]);
  }

  async update(m: EventSourceMapping): Promise<boolean> {
    const r = await this.db.query('UPDATE event_source_mappings SET function_name = $1, event_source_arn = $2, record = $3 WHERE uuid = $4', [
      m.functionName,
      m.eventSourceArn,
      JSON.stringify(m),
      m.uuid,
    ]);
    return changed(r) === 1;
  }

  async delete(uuid: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM event_source_mappings WHERE uuid = $1', [uuid])) === 1;
  }
}

const parse = (json: string): EventSourceMapping => EventSourceMappingSchema.parse(JSON.parse(json));
