import type Database from 'better-sqlite3';
import { ScheduleGroupRecordSchema, ScheduleRecordSchema, type ScheduleGroupRecord, type ScheduleRecord } from '../../services/scheduler/model.js';
import type { SchedulerRepo } from '../store.js';

type Row = { record: string };

/** Schedule groups and schedules as validated JSON documents. */
export class SqliteSchedulerRepo implements SchedulerRepo {
  private readonly stmts;
  private readonly deleteGroupAndSchedules;

  constructor(db: Database.Database) {
    this.stmts = {
      getGroup: db.prepare<[string], Row>('SELECT record FROM schedule_groups WHERE name = ?'),
      listGroups: db.prepare<[string, string, string, number], Row>(
        'SELECT record FROM schedule_groups WHERE substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
      ),
      createGroup: db.prepare<[string, string]>('INSERT INTO schedule_groups (name, record) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
      updateGroup: db.prepare<[string, string]>('UPDATE schedule_groups SET record = ? WHERE name = ?'),
      deleteGroup: db.prepare<[string]>('DELETE FROM schedule_groups WHERE name = ?'),
      deleteSchedulesOf: db.prepare<[string]>('DELETE FROM schedules WHERE group_name = ?'),
      get: db.prepare<[string, string], Row>('SELECT record FROM schedules WHERE group_name = ? AND name = ?'),
      list: db.prepare<[string | null, string | null, string, string, string, string, number], Row>(
        `SELECT record FROM schedules WHERE (? IS NULL OR group_name = ?) AND substr(name, 1, length(?)) = ?
         AND (group_name, name) > (?, ?) ORDER BY group_name, name LIMIT ?`,
      ),
      create: db.prepare<[string, string, string]>('INSERT INTO schedules (group_name, name, record) VALUES (?, ?, ?) ON CONFLICT (group_name, name) DO NOTHING'),
      update: db.prepare<[string, string, string]>('UPDATE schedules SET record = ? WHERE group_name = ? AND name = ?'),
      delete: db.prepare<[string, string]>('DELETE FROM schedules WHERE group_name = ? AND name = ?'),
    };
    this.deleteGroupAndSchedules = db.transaction((name: string) => {
      this.stmts.deleteSchedulesOf.run(name);
      return this.stmts.deleteGroup.run(name).changes === 1;
    });
  }

  async getGroup(name: string): Promise<ScheduleGroupRecord | undefined> {
    const row = this.stmts.getGroup.get(name);
    return row ? parseGroup(row.record) : undefined;
  }

  async listGroups(prefix: string, after: string | undefined, limit: number): Promise<ScheduleGroupRecord[]> {
    return this.stmts.listGroups.all(prefix, prefix, after ?? '', limit).map((r) => parseGroup(r.record));
  }

  async createGroup(group: ScheduleGroupRecord): Promise<boolean> {
    return this.stmts.createGroup.run(group.name, JSON.stringify(group)).changes === 1;
  }

  async updateGroup(group: ScheduleGroupRecord): Promise<boolean> {
    return this.stmts.updateGroup.run(JSON.stringify(group), group.name).changes === 1;
  }

  async deleteGroup(name: string): Promise<boolean> {
    return this.deleteGroupAndSchedules(name);
  }

  async getSchedule(groupName: string, name: string): Promise<ScheduleRecord | undefined> {
    const row = this.stmts.get.get(groupName, name);
    return row ? parseSchedule(row.record) : undefined;
  }

  async listSchedules(groupName: string | undefined, prefix: string, after: readonly [string, string] | undefined, limit: number): Promise<ScheduleRecord[]> {
    const [g, n] = after ?? ['', ''];
    const rows = this.stmts.list.all(groupName ?? null, groupName ?? null, prefix, prefix, g, n, limit);
    return rows.map((r) => parseSchedule(r.record));
  }

  async createSchedule(s: ScheduleRecord): Promise<boolean> {
    return this.stmts.create.run(s.groupName, s.name, JSON.stringify(s)).changes === 1;
  }

  async updateSchedule(s: ScheduleRecord): Promise<boolean> {
    return this.stmts.update.run(JSON.stringify(s), s.groupName, s.name).changes === 1;
  }

  async deleteSchedule(groupName: string, name: string): Promise<boolean> {
    return this.stmts.delete.run(groupName, name).changes === 1;
  }
}

const parseGroup = (json: string): ScheduleGroupRecord => ScheduleGroupRecordSchema.parse(JSON.parse(json));
const parseSchedule = (json: string): ScheduleRecord => ScheduleRecordSchema.parse(JSON.parse(json));
