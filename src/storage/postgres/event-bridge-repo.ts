import { EventBusRecordSchema, RuleRecordSchema, type EventBusRecord, type RuleRecord } from '../../services/events/model.js';
import type { EventBridgeRepo } from '../store.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };

/** Event buses and rules as validated JSON documents; a rule's revision is also a column for compare-and-set. */
export class PostgresEventBridgeRepo implements EventBridgeRepo {
  constructor(private readonly db: Db) {}

  async getBus(name: string): Promise<EventBusRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_buses WHERE name = $1', [name]);
    return rows[0] ? parseBus(rows[0].record) : undefined;
  }

  async listBuses(prefix: string, after: string | undefined, limit: number): Promise<EventBusRecord[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM event_buses WHERE starts_with(name, $1) AND name > $2 ORDER BY name LIMIT $3',
      [prefix, after ?? '', limit],
    );
    return rows.map((r) => parseBus(r.record));
  }

  async createBus(bus: EventBusRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO event_buses (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [bus.name, JSON.stringify(bus)]);
    return changed(r) === 1;
  }

  async updateBus(bus: EventBusRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE event_buses SET record = $1 WHERE name = $2', [JSON.stringify(bus), bus.name])) === 1;
  }

  async deleteBus(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM event_rules WHERE bus_name = $1', [name]);
      return changed(await tx.query('DELETE FROM event_buses WHERE name = $1', [name])) === 1;
    });
  }

  async getRule(busName: string, name: string): Promise<RuleRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_rules WHERE bus_name = $1 AND name = $2', [busName, name]);
    return rows[0] ? parseRule(rows[0].record) : undefined;
  }

  async listRules(busName: string, prefix: string, after: string | undefined, limit: number): Promise<RuleRecord[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM event_rules WHERE bus_name = $1 AND starts_with(name, $2) AND name > $3 ORDER BY name LIMIT $4',
      [busName, prefix, after ?? '', limit],
    );
    return rows.map((r) => parseRule(r.record));
  }

  async createRule(rule: RuleRecord): Promise<boolean> {
    const r = await this.db.query(
      'INSERT INTO event_rules (bus_name, name, revision, record) VALUES ($1, $2, $3, $4) ON CONFLICT (bus_name, name) DO NOTHING',
      [rule.busName, rule.name, rule.revision, JSON.stringify(rule)],
    );
    return changed(r) === 1;
  }

  async updateRule(rule: RuleRecord): Promise<boolean> {
    const r = await this.db.query('UPDATE event_rules SET revision = $1, record = $2 WHERE bus_name = $3 AND name = $4 AND revision = $5', [
      rule.revision,
      JSON.stringify(rule),
      rule.busName,
      rule.name,
      rule.revision - 1,
    ]);
    return changed(r) === 1;
  }

  async deleteRule(busName: string, name: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM event_rules WHERE bus_name = $1 AND name = $2', [busName, name])) === 1;
  }
}

const parseBus = (json: string): EventBusRecord => EventBusRecordSchema.parse(JSON.parse(json));
const parseRule = (json: string): RuleRecord => RuleRecordSchema.parse(JSON.parse(json));
