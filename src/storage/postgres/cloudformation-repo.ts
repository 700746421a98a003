import {
  ChangeSetRecordSchema, isDeleted, ResourceRecordSchema, StackEventSchema, StackRecordSchema,
  type ChangeSetRecord, type ExportRecord, type ResourceRecord, type StackEvent, type StackRecord, type StackStatus,
} from '../../services/cloudformation/model.js';
import type { CloudFormationRepo } from '../cloudformation-repo.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };
const stack = (r: Row): StackRecord => StackRecordSchema.parse(JSON.parse(r.record));
const resource = (r: Row): ResourceRecord => ResourceRecordSchema.parse(JSON.parse(r.record));
const event = (r: Row): StackEvent => StackEventSchema.parse(JSON.parse(r.record));
const changeSet = (r: Row): ChangeSetRecord => ChangeSetRecordSchema.parse(JSON.parse(r.record));

export class PostgresCloudFormationRepo implements CloudFormationRepo {
  constructor(private readonly db: Db) {}

  async createStack(s: StackRecord): Promise<boolean> {
    const r = await this.db.query(
      'INSERT INTO cfn_stacks (stack_id, name, active, created_at, status, record) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [s.stackId, s.name, isDeleted(s) ? 0 : 1, s.createdAt, s.status, JSON.stringify(s)],
    );
    return changed(r) > 0;
  }

  async getStack(nameOrId: string): Promise<StackRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM cfn_stacks WHERE stack_id = $1 OR (name = $1 AND active = 1) ORDER BY (stack_id = $1) DESC LIMIT 1', [nameOrId]);
    return rows[0] ? stack(rows[0]) : undefined;
  }

  async updateStack(s: StackRecord, expected?: readonly StackStatus[]): Promise<boolean> {
    const args = [s.name, isDeleted(s) ? 0 : 1, s.status, JSON.stringify(s), s.stackId];
    const r = expected
      ? await this.db.query('UPDATE cfn_stacks SET name = $1, active = $2, status = $3, record = $4 WHERE stack_id = $5 AND status = ANY($6)', [...args, [...expected]])
      : await this.db.query('UPDATE cfn_stacks SET name = $1, active = $2, status = $3, record = $4 WHERE stack_id = $5', args);
    return changed(r) > 0;
  }

  async listStacks(): Promise<StackRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM cfn_stacks ORDER BY created_at DESC, stack_id');
    return rows.map(stack);
  }

  async putResource(r: ResourceRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO cfn_resources (stack_id, logical_id, record) VALUES ($1, $2, $3)
       ON CONFLICT (stack_id, logical_id) DO UPDATE SET record = excluded.record`,
      [r.stackId, r.logicalId, JSON.stringify(r)],
    );
  }

  async deleteResource(stackId: string, logicalId: string): Promise<void> {
    await this.db.query('DELETE FROM cfn_resources WHERE stack_id = $1 AND logical_id = $2', [stackId, logicalId]);
  }

  async resources(stackId: string): Promise<ResourceRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM cfn_resources WHERE stack_id = $1 ORDER BY logical_id', [stackId]);
    return rows.map(resource);
  }

  async appendEvent(e: StackEvent): Promise<void> {
    await this.db.query('INSERT INTO cfn_events (stack_id, record) VALUES ($1, $2)', [e.stackId, JSON.stringify(e)]);
  }

  async events(stackId: string): Promise<StackEvent[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM cfn_events WHERE stack_id = $1 ORDER BY seq DESC', [stackId]);
    return rows.map(event);
  }

  async putChangeSet(c: ChangeSetRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO cfn_change_sets (change_set_id, stack_id, name, created_at, record) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (change_set_id) DO UPDATE SET record = excluded.record`,
      [c.changeSetId, c.stackId, c.name, c.createdAt, JSON.stringify(c)],
    );
  }

  async getChangeSet(idOrName: string, stackId?: string): Promise<ChangeSetRecord | undefined> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM cfn_change_sets WHERE change_set_id = $1 OR (stack_id = $2 AND name = $1) ORDER BY (change_set_id = $1) DESC LIMIT 1',
      [idOrName, stackId ?? null],
    );
    return rows[0] ? changeSet(rows[0]) : undefined;
  }

  async changeSets(stackId: string): Promise<ChangeSetRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM cfn_change_sets WHERE stack_id = $1 ORDER BY created_at, change_set_id', [stackId]);
    return rows.map(changeSet);
  }

  async deleteChangeSet(changeSetId: string): Promise<void> {
    await this.db.query('DELETE FROM cfn_change_sets WHERE change_set_id = $1', [changeSetId]);
  }

  async setExports(stackId: string, exports: readonly Omit<ExportRecord, 'stackId'>[]): Promise<void> {
    await transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM cfn_exports WHERE stack_id = $1', [stackId]);
      for (const e of exports) await tx.query('INSERT INTO cfn_exports (name, stack_id, value) VALUES ($1, $2, $3)', [e.name, stackId, e.value]);
    });
  }

  async exports(): Promise<ExportRecord[]> {
    const { rows } = await this.db.query<{ name: string; stack_id: string; value: string }>('SELECT name, stack_id, value FROM cfn_exports ORDER BY name');
    return rows.map((r) => ({ name: r.name, stackId: r.stack_id, value: r.value }));
  }

  async setImports(stackId: string, names: readonly string[]): Promise<void> {
    await transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM cfn_imports WHERE stack_id = $1', [stackId]);
      for (const n of new Set(names)) await tx.query('INSERT INTO cfn_imports (stack_id, export_name) VALUES ($1, $2)', [stackId, n]);
    });
  }

  async importers(exportName: string): Promise<string[]> {
    const { rows } = await this.db.query<{ stack_id: string }>('SELECT stack_id FROM cfn_imports WHERE export_name = $1 ORDER BY stack_id', [exportName]);
    return rows.map((r) => r.stack_id);
  }
}
