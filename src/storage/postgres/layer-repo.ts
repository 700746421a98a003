import { LayerVersionRecordSchema, type LayerVersionRecord } from '../../domain/function.js';
import type { LayerRepo } from '../store.js';
import { LockSpace, lock, transaction, type Db } from './db.js';

type Row = { record: string };
const parse = (r: Row) => LayerVersionRecordSchema.parse(JSON.parse(r.record));

/** Layer versions; a deleted version keeps its row (marked) so that its number is never reused. */
export class PostgresLayerRepo implements LayerRepo {
  constructor(private readonly db: Db) {}

  async publish(r: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord> {
    return transaction(this.db, async (tx) => {
      // Two nodes publishing the same layer would otherwise both read the same highest number.
      await lock(tx, LockSpace.layerPublish, r.name);
      const { rows } = await tx.query<{ n: number }>('SELECT (COALESCE(MAX(version), 0) + 1)::int AS n FROM layer_versions WHERE name = $1', [r.name]);
      const record: LayerVersionRecord = { ...r, version: rows[0]!.n };
      await tx.query('INSERT INTO layer_versions (name, version, record) VALUES ($1, $2, $3)', [r.name, record.version, JSON.stringify(record)]);
      return record;
    });
  }

  async get(name: string, version: number): Promise<LayerVersionRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM layer_versions WHERE name = $1 AND version = $2 AND NOT deleted', [name, version]);
    return rows[0] ? parse(rows[0]) : undefined;
  }

  async list(name: string): Promise<LayerVersionRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM layer_versions WHERE name = $1 AND NOT deleted ORDER BY version DESC', [name]);
    return rows.map(parse);
  }

  async latest(): Promise<LayerVersionRecord[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT record FROM layer_versions l WHERE NOT deleted
         AND version = (SELECT MAX(version) FROM layer_versions WHERE name = l.name AND NOT deleted) ORDER BY name`,
    );
    return rows.map(parse);
  }

  async delete(name: string, version: number): Promise<void> {
    await this.db.query('UPDATE layer_versions SET deleted = TRUE WHERE name = $1 AND version = $2', [name, version]);
  }

  async setPolicy(name: string, version: number, policy: LayerVersionRecord['policy'], revision: string, expectedRevision: string | undefined): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      const { rows } = await tx.query<Row>('SELECT record FROM layer_versions WHERE name = $1 AND version = $2 AND NOT deleted FOR UPDATE', [name, version]);
      if (!rows[0]) return false;
      const current = parse(rows[0]);
      if (current.policyRevisionId !== expectedRevision) return false;
      const next: LayerVersionRecord = { ...current, policy, policyRevisionId: revision };
      await tx.query('UPDATE layer_versions SET record = $1 WHERE name = $2 AND version = $3', [JSON.stringify(next), name, version]);
      return true;
    });
  }
}
