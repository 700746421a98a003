import type Database from 'better-sqlite3';
import {
  ChangeSetRecordSchema, isDeleted, ResourceRecordSchema, StackEventSchema, StackRecordSchema,
  type ChangeSetRecord, type ExportRecord, type ResourceRecord, type StackEvent, type StackRecord, type StackStatus,
} from '../../services/cloudformation/model.js';
import type { CloudFormationRepo } from '../cloudformation-repo.js';

type Row = { record: string };
const stack = (r: Row): StackRecord => StackRecordSchema.parse(JSON.parse(r.record));
const resource = (r: Row): ResourceRecord => ResourceRecordSchema.parse(JSON.parse(r.record));
const event = (r: Row): StackEvent => StackEventSchema.parse(JSON.parse(r.record));
const changeSet = (r: Row): ChangeSetRecord => ChangeSetRecordSchema.parse(JSON.parse(r.record));

export class SqliteCloudFormationRepo implements CloudFormationRepo {
  constructor(private readonly db: Database.Database) {}

  async createStack(s: StackRecord): Promise<boolean> {
    const r = this.db
      .prepare('INSERT INTO cfn_stacks (stack_id, name, active, created_at, status, record) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(s.stackId, s.name, isDeleted(s) ? 0 : 1, s.createdAt, s.status, JSON.stringify(s));
    return r.changes > 0;
  }

  async getStack(nameOrId: string): Promise<StackRecord | undefined> {
    const row =
      this.db.prepare<[string], Row>('SELECT record FROM cfn_stacks WHERE stack_id = ?').get(nameOrId) ??
      this.db.prepare<[string], Row>('SELECT record FROM cfn_stacks WHERE name = ? AND active = 1').get(nameOrId);
    return row ? stack(row) : undefined;
  }

  async updateStack(s: StackRecord, expected?: readonly StackStatus[]): Promise<boolean> {
    const args = [s.name, isDeleted(s) ? 0 : 1, s.status, JSON.stringify(s), s.stackId];
    if (!expected) return this.db.prepare('UPDATE cfn_stacks SET name = ?, active = ?, status = ?, record = ? WHERE stack_id = ?').run(...args).changes > 0;
    const marks = expected.map(() => '?').join(', ');
    return this.db.prepare(`UPDATE cfn_stacks SET name = ?, active = ?, status = ?, record = ? WHERE stack_id = ? AND status IN (${marks})`).run(...args, ...expected).changes > 0;
  }

  async listStacks(): Promise<StackRecord[]> {
    return this.db.prepare<[], Row>('SELECT record FROM cfn_stacks ORDER BY created_at DESC, stack_id').all().map(stack);
  }

  async putResource(r: ResourceRecord): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO cfn_resources (stack_id, logical_id, record) VALUES (?, ?, ?)').run(r.stackId, r.logicalId, JSON.stringify(r));
  }

  async deleteResource(stackId: string, logicalId: string): Promise<void> {
    this.db.prepare('DELETE FROM cfn_resources WHERE stack_id = ? AND logical_id = ?').run(stackId, logicalId);
  }

  async resources(stackId: string): Promise<ResourceRecord[]> {
    return this.db.prepare<[string], Row>('SELECT record FROM cfn_resources WHERE stack_id = ? ORDER BY logical_id').all(stackId).map(resource);
  }

  async appendEvent(e: StackEvent): Promise<void> {
    this.db.prepare('INSERT INTO cfn_events (stack_id, record) VALUES (?, ?)').run(e.stackId, JSON.stringify(e));
  }

  async events(stackId: string): Promise<StackEvent[]> {
    return this.db.prepare<[string], Row>('SELECT record FROM cfn_events WHERE stack_id = ? ORDER BY seq DESC').all(stackId).map(event);
  }

  async putChangeSet(c: ChangeSetRecord): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO cfn_change_sets (change_set_id, stack_id, name, created_at, record) VALUES (?, ?, ?, ?, ?)')
      .run(c.changeSetId, c.stackId, c.name, c.createdAt, JSON.stringify(c));
  }

  async getChangeSet(idOrName: string, stackId?: string): Promise<ChangeSetRecord | undefined> {
    const row =
      this.db.prepare<[string], Row>('SELECT record FROM cfn_change_sets WHERE change_set_id = ?').get(idOrName) ??
      (stackId === undefined ? undefined : this.db.prepare<[string, string], Row>('SELECT record FROM cfn_change_sets WHERE stack_id = ? AND name = ?').get(stackId, idOrName));
    return row ? changeSet(row) : undefined;
  }

  async changeSets(stackId: string): Promise<ChangeSetRecord[]> {
    return this.db.prepare<[string], Row>('SELECT record FROM cfn_change_sets WHERE stack_id = ? ORDER BY created_at, change_set_id').all(stackId).map(changeSet);
  }

  async deleteChangeSet(changeSetId: string): Promise<void> {
    this.db.prepare('DELETE FROM cfn_change_sets WHERE change_set_id = ?').run(changeSetId);
  }

  async setExports(stackId: string, exports: readonly Omit<ExportRecord, 'stackId'>[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cfn_exports WHERE stack_id = ?').run(stackId);
      const insert = this.db.prepare('INSERT INTO cfn_exports (name, stack_id, value) VALUES (?, ?, ?)');
      for (const e of exports) insert.run(e.name, stackId, e.value);
    })();
  }

  async exports(): Promise<ExportRecord[]> {
    return this.db.prepare<[], { name: string; stack_id: string; value: string }>('SELECT name, stack_id, value FROM cfn_exports ORDER BY name').all().map((r) => ({ name: r.name, stackId: r.stack_id, value: r.value }));
  }

  async setImports(stackId: string, names: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cfn_imports WHERE stack_id = ?').run(stackId);
      const insert = this.db.prepare('INSERT OR IGNORE INTO cfn_imports (stack_id, export_name) VALUES (?, ?)');
      for (const n of names) insert.run(stackId, n);
    })();
  }

  async importers(exportName: string): Promise<string[]> {
    return this.db.prepare<[string], { stack_id: string }>('SELECT stack_id FROM cfn_imports WHERE export_name = ? ORDER BY stack_id').all(exportName).map((r) => r.stack_id);
  }
}
