import type Database from 'better-sqlite3';
import { LayerVersionRecordSchema, type LayerVersionRecord } from '../../domain/function.js';
import type { LayerRepo } from '../store.js';

type Row = { record: string };
const parse = (r: Row) => LayerVersionRecordSchema.parse(JSON.parse(r.record));

/** Layer versions; a deleted version keeps its row (marked) so that its number is never reused. */
export class SqliteLayerRepo implements LayerRepo {
  private readonly publishTx: (r: Omit<LayerVersionRecord, 'version'>) => LayerVersionRecord;

  constructor(private readonly db: Database.Database) {
    const next = db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM layer_versions WHERE name = ?');
    const insert = db.prepare('INSERT INTO layer_versions (name, version, record) VALUES (?, ?, ?)');
    this.publishTx = db.transaction((r: Omit<LayerVersionRecord, 'version'>) => {
      const record: LayerVersionRecord = { ...r, version: next.get(r.name)!.n };
      insert.run(r.name, record.version, JSON.stringify(record));
      return record;
    });
  }

  async publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord> {
    return this.publishTx(record);
  }

  async get(name: string, version: number): Promise<LayerVersionRecord | undefined> {
    const row = this.db.prepare<[string, number], Row>('SELECT record FROM layer_versions WHERE name = ? AND version = ? AND deleted = 0').get(name, version);
    return row ? parse(row) : undefined;
  }

  async list(name: string): Promise<LayerVersionRecord[]> {
    return this.db.prepare<[string], Row>('SELECT record FROM layer_versions WHERE name = ? AND deleted = 0 ORDER BY version DESC').all(name).map(parse);
  }

  async latest(): Promise<LayerVersionRecord[]> {
    return this.db
      .prepare<[], Row>(
        `SELECT record FROM layer_versions l WHERE deleted = 0 AND version = (SELECT MAX(version) FROM layer_versions WHERE name = l.name AND deleted = 0) ORDER BY name`,
      )
      .all()
      .map(parse);
  }

  async delete(name: string, version: number): Promise<void> {
    this.db.prepare('UPDATE layer_versions SET deleted = 1 WHERE name = ? AND version = ?').run(name, version);
  }

  async setPolicy(name: string, version: number, policy: LayerVersionRecord['policy'], revision: string, expectedRevision: string | undefined): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[string, number], Row>('SELECT record FROM layer_versions WHERE name = ? AND version = ? AND deleted = 0').get(name, version);
      if (!row) return false;
      const current = parse(row);
      if (current.policyRevisionId !== expectedRevision) return false;
      const next: LayerVersionRecord = { ...current, policy, policyRevisionId: revision };
      this.db.prepare('UPDATE layer_versions SET record = ? WHERE name = ? AND version = ?').run(JSON.stringify(next), name, version);
      return true;
    })();
  }
}
