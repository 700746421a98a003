import { AlarmHistoryItemSchema, AlarmRecordSchema, type AlarmHistoryItem, type AlarmRecord } from '../../alarms/model.js';
import type { AlarmRepo } from '../store.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };
const parse = (r: Row) => AlarmRecordSchema.parse(JSON.parse(r.record));
type HistoryRow = { alarm_name: string; at: number; old_state: string; new_state: string; reason: string };

export class PostgresAlarmRepo implements AlarmRepo {
  constructor(private readonly db: Db) {}

  async put(a: AlarmRecord): Promise<void> {
    await this.db.query('INSERT INTO alarms (name, record) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET record = excluded.record', [a.definition.name, JSON.stringify(a)]);
  }

  async get(name: string): Promise<AlarmRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM alarms WHERE name = $1', [name]);
    return rows[0] ? parse(rows[0]) : undefined;
  }

  async list(): Promise<AlarmRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM alarms ORDER BY name');
    return rows.map(parse);
  }

  async delete(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM alarm_history WHERE alarm_name = $1', [name]);
      return changed(await tx.query('DELETE FROM alarms WHERE name = $1', [name])) > 0;
    });
  }

  async transition(a: AlarmRecord, item: AlarmHistoryItem): Promise<void> {
    await transaction(this.db, async (tx) => {
      await tx.query('UPDATE alarms SET record = $1 WHERE name = $2', [JSON.stringify(a), a.definition.name]);
      await tx.query('INSERT INTO alarm_history (alarm_name, at, old_state, new_state, reason) VALUES ($1, $2, $3, $4, $5)', [
        item.alarmName,
        item.timestamp,
        item.oldState,
        item.newState,
        item.reason,
      ]);
    });
  }

  async appendHistory(item: AlarmHistoryItem): Promise<void> {
    await this.db.query('INSERT INTO alarm_history (alarm_name, at, old_state, new_state, reason) VALUES ($1, $2, $3, $4, $5)', [
      item.alarmName,
      item.timestamp,
      item.oldState,
      item.newState,
      item.reason,
    ]);
  }

  async deleteHistory(name: string): Promise<void> {
    await this.db.query('DELETE FROM alarm_history WHERE alarm_name = $1', [name]);
  }

  async history(name: string, limit: number): Promise<AlarmHistoryItem[]> {
    const { rows } = await this.db.query<HistoryRow>(
      'SELECT alarm_name, at, old_state, new_state, reason FROM alarm_history WHERE alarm_name = $1 ORDER BY id DESC LIMIT $2',
      [name, limit],
    );
    return rows.map((r) => AlarmHistoryItemSchema.parse({ alarmName: r.alarm_name, timestamp: r.at, oldState: r.old_state, newState: r.new_state, reason: r.reason }));
  }
}
