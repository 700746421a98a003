import type { ScheduleState, ScheduleStateRepo } from '../store.js';
import { changed, type Db } from './db.js';

type Row = { key: string; last_occurrence: number; last_result: string | null; fired: number; skipped: number };

/** Each schedule's last occurrence; a claim is one conditional upsert, so two nodes never both win. */
export class PostgresScheduleStateRepo implements ScheduleStateRepo {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<ScheduleState | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM schedule_states WHERE key = $1', [key]);
    const r = rows[0];
    return r ? { key: r.key, lastOccurrence: r.last_occurrence, lastResult: r.last_result, fired: r.fired, skipped: r.skipped } : undefined;
  }

  async claim(key: string, occurrence: number, skipped: boolean): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO schedule_states AS s (key, last_occurrence, last_result, fired, skipped) VALUES ($1, $2, NULL, $3, $4)
       ON CONFLICT (key) DO UPDATE SET last_occurrence = excluded.last_occurrence, fired = s.fired + excluded.fired, skipped = s.skipped + excluded.skipped
       WHERE s.last_occurrence < excluded.last_occurrence`,
      [key, occurrence, skipped ? 0 : 1, skipped ? 1 : 0],
    );
    return changed(r) === 1;
  }

  async claimMany(claims: readonly { key: string; occurrence: number }[]): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const { rows } = await this.db.query<{ key: string }>(
      `INSERT INTO schedule_states AS s (key, last_occurrence, last_result, fired, skipped)
       SELECT k, o, NULL, 1, 0 FROM unnest($1::text[], $2::bigint[]) AS c(k, o)
       ON CONFLICT (key) DO UPDATE SET last_occurrence = excluded.last_occurrence, fired = s.fired + 1
       WHERE s.last_occurrence < excluded.last_occurrence
       RETURNING s.key`,
      [claims.map((c) => c.key), claims.map((c) => c.occurrence)],
    );
    return new Set(rows.map((r) => r.key));
  }

  async setResults(results: readonly { key: string; result: string }[]): Promise<void> {
    if (results.length === 0) return;
    await this.db.query('UPDATE schedule_states AS s SET last_result = r.v FROM unnest($1::text[], $2::text[]) AS r(k, v) WHERE s.key = r.k', [
      results.map((r) => r.key),
      results.map((r) => r.result),
    ]);
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM schedule_states WHERE key = $1', [key]);
  }
}
