import type Database from 'better-sqlite3';
import type { KeyringRepo } from '../store.js';

export class SqliteKeyringRepo implements KeyringRepo {
  private readonly select: Database.Statement<[], { value: string }>;
  private readonly insert: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare("SELECT value FROM keyring WHERE name = 'master-key-check'");
    this.insert = db.prepare("INSERT INTO keyring (name, value) VALUES ('master-key-check', ?) ON CONFLICT (name) DO NOTHING");
  }

  async masterKeyCheck(): Promise<string | undefined> {
    return this.select.get()?.value;
  }

  async recordMasterKeyCheck(check: string): Promise<string> {
    this.insert.run(check);
    return this.select.get()!.value;
  }
}
