import type Database from 'better-sqlite3';
import { AlarmHistoryItemSchema, AlarmRecordSchema, type AlarmHistoryItem, type AlarmRecord } from '../../alarms/model.js';
import type { AlarmRepo } from '../store.js';

type Row = { record: string };
const parse = (r: Row) => AlarmRecordSchema.parse(JSON.parse(r.record));
type HistoryRow = { alarm_name: string; at: number; old_state: string; new_state: string; reason: string };

export class SqliteAlarmRepo implements AlarmRepo {
  constructor(private readonly db: Database.Database) {}

  async put(a: AlarmRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO alarms (name, record) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record')
      .run(a.definition.name, JSON.stringify(a));
  }

  async get(name: string): Promise<AlarmRecord | undefined> {
    const row = this.db.prepare<[string], Row>('SELECT record FROM alarms WHERE name = ?').get(name);
    return row ? parse(row) : undefined;
  }

  async list(): Promise<AlarmRecord[]> {
    return this.db.prepare<[], Row>('SELECT record FROM alarms ORDER BY name').all().map(parse);
  }

  async delete(name: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM alarm_history WHERE alarm_name = ?').run(name);
      return this.db.prepare('DELETE FROM alarms WHERE name = ?').run(name).changes > 0;
    })();
  }

  async transition(a: AlarmRecord, item: AlarmHistoryItem): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('UPDATE alarms SET record = ? WHERE name = ?').run(JSON.stringify(a), a.definition.name);
      this.db
        .prepare('INSERT INTO alarm_history (alarm_name, at, old_state, new_state, reason) VALUES (?, ?, ?, ?, ?)')
        .run(item.alarmName, item.timestamp, item.oldState, item.newState, item.reason);
    })();
  }

  async appendHistory(item: AlarmHistoryItem): Promise<void> {
    this.db
      .prepare('INSERT INTO alarm_history (alarm_name, at, old_state, new_state, reason) VALUES (?, ?, ?, ?, ?)')
      .run(item.alarmName, item.timestamp, item.oldState, item.newState, item.reason);
  }

  async deleteHistory(name: string): Promise<void> {
    this.db.prepare('DELETE FROM alarm_history WHERE alarm_name = ?').run(name);
  }

  async history(name: string, limit: number): Promise<AlarmHistoryItem[]> {
    return this.db
      .prepare<[string, number], HistoryRow>('SELECT alarm_name, at, old_state, new_state, reason FROM alarm_history WHERE alarm_name = ? ORDER BY id DESC LIMIT ?')
      .all(name, limit)
      .map((r) => AlarmHistoryItemSchema.parse({ alarmName: r.alarm_name, timestamp: r.at, oldState: r.old_state, newState: r.new_state, reason: r.reason }));
  }
}
