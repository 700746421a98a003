import type { CodePackageRepo } from '../store.js';
import type { Db } from './db.js';

/** Zips in the database, keyed by SHA-256, so that a package stored through one node runs on every node. */
export class PostgresCodePackageRepo implements CodePackageRepo {
  constructor(private readonly db: Db) {}

  async put(sha256: string, zip: Buffer): Promise<void> {
    // Asked first so that a package already stored is not sent over the network again.
    if (await this.has(sha256)) return;
    await this.db.query('INSERT INTO code_packages (sha256, size, zip) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [sha256, zip.length, zip]);
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const { rows } = await this.db.query<{ zip: Buffer }>('SELECT zip FROM code_packages WHERE sha256 = $1', [sha256]);
    return rows[0]?.zip;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM code_packages WHERE sha256 = $1', [sha256])).rows.length > 0;
  }
}
