import type Database from 'better-sqlite3';
import { SessionRecordSchema, type SessionRecord } from '../../domain/session.js';
import type { SessionRepo } from '../store.js';

type Row = { record: string };

export class SqliteSessionRepo implements SessionRepo {
  private readonly insert: Database.Statement<[string, number, string]>;
  private readonly select: Database.Statement<[string], Row>;
  private readonly expire: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT OR REPLACE INTO sts_sessions (access_key_id, expires_at, record) VALUES (?, ?, ?)');
    this.select = db.prepare('SELECT record FROM sts_sessions WHERE access_key_id = ?');
    this.expire = db.prepare('DELETE FROM sts_sessions WHERE expires_at < ?');
  }

  async put(session: SessionRecord): Promise<void> {
    this.insert.run(session.accessKeyId, session.expiresAt, JSON.stringify(session));
  }

  async get(accessKeyId: string): Promise<SessionRecord | undefined> {
    const row = this.select.get(accessKeyId);
    return row ? SessionRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async prune(now: number): Promise<number> {
    return this.expire.run(now).changes;
  }
}
