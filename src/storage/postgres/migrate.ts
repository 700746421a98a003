import { LockSpace, lock, transaction, type Db } from './db.js';
import { MIGRATIONS } from './migrations.js';

/**
 * Applies the migrations not yet applied, each in its own transaction. Each transaction first takes
 * an advisory lock (per schema), so nodes starting at once apply every migration exactly once: the
 * second waits for the first to commit, then finds the migration recorded.
 */
export async function migrate(db: Db): Promise<void> {
  for (;;) {
    const more = await transaction(db, async (tx) => {
      const schema = (await tx.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s;
      if (!schema) throw new Error('the PostgreSQL store has no schema to create its tables in (check search_path)');
      await lock(tx, LockSpace.migrations, schema);
      // Created under the lock: two concurrent CREATE TABLE IF NOT EXISTS can still collide.
      await tx.query('CREATE TABLE IF NOT EXISTS selfless_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const applied = (await tx.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM selfless_migrations')).rows[0]!.v;
      const next = MIGRATIONS[applied];
      if (next === undefined) return false;
      await tx.query(next);
      await tx.query('INSERT INTO selfless_migrations (version) VALUES ($1)', [applied + 1]);
      return true;
    });
    if (!more) return;
  }
}
