import { SessionRecordSchema, type SessionRecord } from '../../domain/session.js';
import type { SessionRepo } from '../store.js';
import type { Db } from './db.js';

type Row = { record: string };

export class PostgresSessionRepo implements SessionRepo {
  constructor(private readonly db: Db) {}

  async put(session: SessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sts_sessions (access_key_id, expires_at, record) VALUES ($1, $2, $3)
       ON CONFLICT (access_key_id) DO UPDATE SET expires_at = excluded.expires_at, record = excluded.record`,
      [session.accessKeyId, session.expiresAt, JSON.stringify(session)],
    );
  }

  async get(accessKeyId: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sts_sessions WHERE access_key_id = $1', [accessKeyId]);
    return rows[0] ? SessionRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async prune(now: number): Promise<number> {
    return (await this.db.query('DELETE FROM sts_sessions WHERE expires_at < $1', [now])).rowCount ?? 0;
  }
}
