import type Database from 'better-sqlite3';
import type { ScheduleState, ScheduleStateRepo } from '../store.js';

type Row = { key: string; last_occurrence: number; last_result: string | null; fired: number; skipped: number };

/** Each schedule's last occurrence; a claim is one conditional upsert. */
export class SqliteScheduleStateRepo implements ScheduleStateRepo {
  private readonly stmts;
  private readonly claimBatch;
  private readonly resultBatch;

  constructor(db: Database.Database) {
    this.stmts = {
      get: db.prepare<[string], Row>('SELECT * FROM schedule_states WHERE key = ?'),
      claim: db.prepare<[string, number, number, number]>(
        `INSERT INTO schedule_states (key, last_occurrence, last_result, fired, skipped) VALUES (?, ?, NULL, ?, ?)
         ON CONFLICT (key) DO UPDATE SET last_occurrence = excluded.last_occurrence, fired = fired + excluded.fired, skipped = skipped + excluded.skipped
         WHERE schedule_states.last_occurrence < excluded.last_occurrence`,
      ),
      setResult: db.prepare<[string, string]>('UPDATE schedule_states SET last_result = ? WHERE key = ?'),
      delete: db.prepare<[string]>('DELETE FROM schedule_states WHERE key = ?'),
    };
    this.claimBatch = db.transaction((claims: readonly { key: string; occurrence: number }[]) => {
      const won = new Set<string>();
      for (const c of claims) if (this.stmts.claim.run(c.key, c.occurrence, 1, 0).changes === 1) won.add(c.key);
      return won;
    });
    this.resultBatch = db.transaction((results: readonly { key: string; result: string }[]) => {
      for (const r of results) this.stmts.setResult.run(r.result, r.key);
    });
  }

  async get(key: string): Promise<ScheduleState | undefined> {
    const r = this.stmts.get.get(key);
    return r ? { key: r.key, lastOccurrence: r.last_occurrence, lastResult: r.last_result, fired: r.fired, skipped: r.skipped } : undefined;
  }

  async claim(key: string, occurrence: number, skipped: boolean): Promise<boolean> {
    return this.stmts.claim.run(key, occurrence, skipped ? 0 : 1, skipped ? 1 : 0).changes === 1;
  }

  async claimMany(claims: readonly { key: string; occurrence: number }[]): Promise<Set<string>> {
    return this.claimBatch(claims);
  }

  async setResults(results: readonly { key: string; result: string }[]): Promise<void> {
    this.resultBatch(results);
  }

  async delete(key: string): Promise<void> {
    this.stmts.delete.run(key);
  }
}
