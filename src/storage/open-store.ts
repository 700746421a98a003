/** Picks the store the configuration names: SQLite in the data dir, or a shared PostgreSQL database. */
import type { Config } from '../config/config.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: Pick<Config, 'store' | 'dataDir'>): Promise<Store> {
  return config.store === 'sqlite' ? openSqliteStore(config.dataDir) : openPostgresStore(config.store);
}
