/** The connection pool and the few helpers every PostgreSQL repo uses. */
import pg from 'pg';

export type Db = pg.Pool;
/** A pool or a client inside a transaction: both run queries. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

const INT8 = 20;

export function createPool(url: string): Db {
  const types = new pg.TypeOverrides();
  // Times are epoch milliseconds in BIGINT columns: well inside a double's exact range, so plain numbers.
  types.setTypeParser(INT8, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, types });
  // An idle connection that breaks (a server restart) is dropped and replaced on next use; without a
  // listener the pool's error event would end the process. Queries under way still fail to their callers.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in a transaction on one connection: committed if it returns, rolled back if it throws. */
export async function transaction<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Namespaces of the advisory locks the store takes (the first key of `pg_advisory_xact_lock(int, int)`;
 * the second is a hash of what is locked). Held until the transaction ends.
 */
export const LockSpace = {
  migrations: 0x5e1f0001,
  /**
   * Sends to one FIFO queue (messages with a group or deduplication id), so that a duplicate sent
   * through two nodes at once is seen, and sequence numbers follow the order of commits.
   */
  orderedSend: 0x5e1f0002,
  /** Receives from one FIFO queue, so that two receivers never take messages of the same group at once. */
  fifoReceive: 0x5e1f0003,
  /** Publishing versions of one layer, so that two nodes never pick the same number. */
  layerPublish: 0x5e1f0004,
  /** Taking a concurrency slot of one function (in migration 38's selfless_take_concurrency_slot, by number). */
  concurrencySlots: 0x5e1f0010,
} as const;

/** Takes a transaction-scoped advisory lock on `key` in `space`; waits for a holder to commit. */
export async function lock(tx: Queryable, space: number, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [space, key]);
}

/** The number of rows a statement changed (0 when the driver does not say). */
export const changed = (r: pg.QueryResult): number => r.rowCount ?? 0;
