import type { KeyringRepo } from '../store.js';
import type { Db } from './db.js';

export class PostgresKeyringRepo implements KeyringRepo {
  constructor(private readonly db: Db) {}

  async masterKeyCheck(): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>("SELECT value FROM keyring WHERE name = 'master-key-check'");
    return rows[0]?.value;
  }

  async recordMasterKeyCheck(check: string): Promise<string> {
    // Two nodes starting at once: the first check written wins, and both read it back.
    await this.db.query("INSERT INTO keyring (name, value) VALUES ('master-key-check', $1) ON CONFLICT (name) DO NOTHING", [check]);
    return (await this.masterKeyCheck())!;
  }
}
