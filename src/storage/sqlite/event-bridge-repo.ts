import type Database from 'better-sqlite3';
import { EventBusRecordSchema, RuleRecordSchema, type EventBusRecord, type RuleRecord } from '../../services/events/model.js';
import type { EventBridgeRepo } from '../store.js';

type Row = { record: string };

/** Event buses and rules as validated JSON documents; a rule's revision is also a column for compare-and-set. */
export class SqliteEventBridgeRepo implements EventBridgeRepo {
  private readonly stmts;
  private readonly deleteBusAndRules;

  constructor(db: Database.Database) {
    this.stmts = {
      getBus: db.prepare<[string], Row>('SELECT record FROM event_buses WHERE name = ?'),
      listBuses: db.prepare<[string, string, string, number], Row>(
        'SELECT record FROM event_buses WHERE substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
      ),
      createBus: db.prepare<[string, string]>('INSERT INTO event_buses (name, record) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
      updateBus: db.prepare<[string, string]>('UPDATE event_buses SET record = ? WHERE name = ?'),
      deleteBus: db.prepare<[string]>('DELETE FROM event_buses WHERE name = ?'),
      deleteRulesOf: db.prepare<[string]>('DELETE FROM event_rules WHERE bus_name = ?'),
      getRule: db.prepare<[string, string], Row>('SELECT record FROM event_rules WHERE bus_name = ? AND name = ?'),
      listRules: db.prepare<[string, string, string, string, number], Row>(
        'SELECT record FROM event_rules WHERE bus_name = ? AND substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
      ),
      createRule: db.prepare<[string, string, number, string]>(
        'INSERT INTO event_rules (bus_name, name, revision, record) VALUES (?, ?, ?, ?) ON CONFLICT (bus_name, name) DO NOTHING',
      ),
      updateRule: db.prepare<[number, string, string, string, number]>(
        'UPDATE event_rules SET revision = ?, record = ? WHERE bus_name = ? AND name = ? AND revision = ?',
      ),
      deleteRule: db.prepare<[string, string]>('DELETE FROM event_rules WHERE bus_name = ? AND name = ?'),
    };
    this.deleteBusAndRules = db.transaction((name: string) => {
      this.stmts.deleteRulesOf.run(name);
      return this.stmts.deleteBus.run(name).changes === 1;
    });
  }

  async getBus(name: string): Promise<EventBusRecord | undefined> {
    const row = this.stmts.getBus.get(name);
    return row ? parseBus(row.record) : undefined;
  }

  async listBuses(prefix: string, after: string | undefined, limit: number): Promise<EventBusRecord[]> {
    return this.stmts.listBuses.all(prefix, prefix, after ?? '', limit).map((r) => parseBus(r.record));
  }

  async createBus(bus: EventBusRecord): Promise<boolean> {
    return this.stmts.createBus.run(bus.name, JSON.stringify(bus)).changes === 1;
  }

  async updateBus(bus: EventBusRecord): Promise<boolean> {
    return this.stmts.updateBus.run(JSON.stringify(bus), bus.name).changes === 1;
  }

  async deleteBus(name: string): Promise<boolean> {
    return this.deleteBusAndRules(name);
  }

  async getRule(busName: string, name: string): Promise<RuleRecord | undefined> {
    const row = this.stmts.getRule.get(busName, name);
    return row ? parseRule(row.record) : undefined;
  }

  async listRules(busName: string, prefix: string, after: string | undefined, limit: number): Promise<RuleRecord[]> {
    return this.stmts.listRules.all(busName, prefix, prefix, after ?? '', limit).map((r) => parseRule(r.record));
  }

  async createRule(rule: RuleRecord): Promise<boolean> {
    return this.stmts.createRule.run(rule.busName, rule.name, rule.revision, JSON.stringify(rule)).changes === 1;
  }

  async updateRule(rule: RuleRecord): Promise<boolean> {
    return this.stmts.updateRule.run(rule.revision, JSON.stringify(rule), rule.busName, rule.name, rule.revision - 1).changes === 1;
  }

  async deleteRule(busName: string, name: string): Promise<boolean> {
    return this.stmts.deleteRule.run(busName, name).changes === 1;
  }
}

const parseBus = (json: string): EventBusRecord => EventBusRecordSchema.parse(JSON.parse(json));
const parseRule = (json: string): RuleRecord => RuleRecordSchema.parse(JSON.parse(json));
