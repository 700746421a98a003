import { ScheduleGroupRecordSchema, ScheduleRecordSchema, type ScheduleGroupRecord, type ScheduleRecord } from '../../services/scheduler/model.js';
import type { SchedulerRepo } from '../store.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };

/** Schedule groups and schedules as validated JSON documents. */
export class PostgresSchedulerRepo implements SchedulerRepo {
  constructor(private readonly db: Db) {}

  async getGroup(name: string): Promise<ScheduleGroupRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM schedule_groups WHERE name = $1', [name]);
    return rows[0] ? parseGroup(rows[0].record) : undefined;
  }

  async listGroups(prefix: string, after: string | undefined, limit: number): Promise<ScheduleGroupRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM schedule_groups WHERE starts_with(name, $1) AND name > $2 ORDER BY name LIMIT $3', [prefix, after ?? '', limit]);
    return rows.map((r) => parseGroup(r.record));
  }

  async createGroup(group: ScheduleGroupRecord): Promise<boolean> {
    return changed(await this.db.query('INSERT INTO schedule_groups (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [group.name, JSON.stringify(group)])) === 1;
  }

  async updateGroup(group: ScheduleGroupRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE schedule_groups SET record = $1 WHERE name = $2', [JSON.stringify(group), group.name])) === 1;
  }

  async deleteGroup(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM schedules WHERE group_name = $1', [name]);
      return changed(await tx.query('DELETE FROM schedule_groups WHERE name = $1', [name])) === 1;
    });
  }

  async getSchedule(groupName: string, name: string): Promise<ScheduleRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM schedules WHERE group_name = $1 AND name = $2', [groupName, name]);
    return rows[0] ? parseSchedule(rows[0].record) : undefined;
  }

  async listSchedules(groupName: string | undefined, prefix: string, after: readonly [string, string] | undefined, limit: number): Promise<ScheduleRecord[]> {
    const [g, n] = after ?? ['', ''];
    const { rows } = await this.db.query<Row>(
      `SELECT record FROM schedules WHERE ($1::text IS NULL OR group_name = $1) AND starts_with(name, $2)
       AND (group_name, name) > ($3, $4) ORDER BY group_name, name LIMIT $5`,
      [groupName ?? null, prefix, g, n, limit],
    );
    return rows.map((r) => parseSchedule(r.record));
  }

  async createSchedule(s: ScheduleRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO schedules (group_name, name, record) VALUES ($1, $2, $3) ON CONFLICT (group_name, name) DO NOTHING', [s.groupName, s.name, JSON.stringify(s)]);
    return changed(r) === 1;
  }

  async updateSchedule(s: ScheduleRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE schedules SET record = $1 WHERE group_name = $2 AND name = $3', [JSON.stringify(s), s.groupName, s.name])) === 1;
  }

  async deleteSchedule(groupName: string, name: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM schedules WHERE group_name = $1 AND name = $2', [groupName, name])) === 1;
  }
}

const parseGroup = (json: string): ScheduleGroupRecord => ScheduleGroupRecordSchema.parse(JSON.parse(json));
const parseSchedule = (json: string): ScheduleRecord => ScheduleRecordSchema.parse(JSON.parse(json));
