import type Database from 'better-sqlite3';
import type { AsyncEvent, EventState } from '../../async/model.js';
import { ASYNC_EVENT_COLUMNS, ASYNC_EVENT_READ_COLUMNS, fromRow, toRow, type AsyncEventRow as Row } from '../rows/async-event-rows.js';
import type { AsyncEventRepo } from '../store.js';

const COLUMNS = ASYNC_EVENT_COLUMNS.join(', ');
const READ = ASYNC_EVENT_READ_COLUMNS.join(', ');
const REQUEUE = "UPDATE async_events SET state = 'queued', next_attempt_at = ?, node_id = NULL WHERE state = 'running'";

/** Asynchronous events: indexed columns for the dispatcher, the rest as validated JSON. */
export class SqliteAsyncEventRepo implements AsyncEventRepo {
  private readonly stmts;
  private readonly insertMany;
  private readonly claimDue;
  private readonly updates = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO async_events (${COLUMNS}) VALUES (@id, @function_name, @state, @payload, @accepted_at, @next_attempt_at, @attempts, @finished_at, @detail)`,
      ),
      due: db.prepare<[number, number], Row>(
        `SELECT ${READ} FROM async_events WHERE state IN ('queued', 'retrying') AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
      ),
      markRunning: db.prepare<[string, string]>(`UPDATE async_events SET state = 'running', node_id = ? WHERE id = ?`),
      nextDue: db.prepare<[], { t: number | null }>(`SELECT MIN(next_attempt_at) AS t FROM async_events WHERE state IN ('queued', 'retrying')`),
      requeueAll: db.prepare<[number]>(REQUEUE),
      requeueOf: db.prepare<[number, string]>(`${REQUEUE} AND node_id = ?`),
      requeueOrphaned: db.prepare<[number, number]>(
        `${REQUEUE} AND (node_id IS NULL OR node_id NOT IN (SELECT id FROM fleet_nodes WHERE heartbeat_at >= ?))`,
      ),
      get: db.prepare<[string], Row>(`SELECT ${READ} FROM async_events WHERE id = ?`),
      delete: db.prepare<[string]>('DELETE FROM async_events WHERE id = ?'),
    };
    this.insertMany = db.transaction((rows: readonly Row[]) => {
      for (const r of rows) this.stmts.insert.run(r);
    });
    this.claimDue = db.transaction((now: number, limit: number, node: string): Row[] => {
      const rows = this.stmts.due.all(now, limit);
      for (const r of rows) this.stmts.markRunning.run(node, r.id);
      return rows.map((r) => ({ ...r, state: 'running', node_id: node }));
    });
  }

  async insert(events: readonly AsyncEvent[]): Promise<void> {
    this.insertMany(events.map(toRow));
  }

  async claim(now: number, limit: number, node: string): Promise<AsyncEvent[]> {
    return this.claimDue(now, limit, node).map(fromRow);
  }

  async nextDueAt(): Promise<number | undefined> {
    return this.stmts.nextDue.get()?.t ?? undefined;
  }

  async update(event: AsyncEvent, from: readonly EventState[]): Promise<boolean> {
    return this.updateFrom(from.length).run({ ...toRow(event), claimed_by: event.claimedBy ?? null }, ...from).changes === 1;
  }

  /** One prepared statement per number of source states (the update is on the hot path). */
  private updateFrom(n: number): Database.Statement {
    let stmt = this.updates.get(n);
    if (!stmt) {
      stmt = this.db.prepare(
        `UPDATE async_events SET state = @state, next_attempt_at = @next_attempt_at, accepted_at = @accepted_at, attempts = @attempts,
           finished_at = @finished_at, detail = @detail, node_id = @node_id
         WHERE id = @id AND state IN (${Array(n).fill('?').join(', ')}) AND (state <> 'running' OR node_id IS @claimed_by)`,
      );
      this.updates.set(n, stmt);
    }
    return stmt;
  }

  async requeueRunning(now: number, node?: string): Promise<number> {
    return (node === undefined ? this.stmts.requeueAll.run(now) : this.stmts.requeueOf.run(now, node)).changes;
  }

  async requeueOrphaned(now: number, aliveSince: number): Promise<number> {
    return this.stmts.requeueOrphaned.run(now, aliveSince).changes;
  }

  async get(id: string): Promise<AsyncEvent | undefined> {
    const row = this.stmts.get.get(id);
    return row ? fromRow(row) : undefined;
  }

  async list(functionName: string, states: readonly EventState[], limit: number): Promise<AsyncEvent[]> {
    const sql = `SELECT ${READ} FROM async_events WHERE function_name = ? AND state IN (${states.map(() => '?').join(', ')})
       ORDER BY finished_at DESC, seq DESC LIMIT ?`;
    return this.db
      .prepare<unknown[], Row>(sql)
      .all(functionName, ...states, limit)
      .map(fromRow);
  }

  async delete(id: string): Promise<boolean> {
    return this.stmts.delete.run(id).changes === 1;
  }

  async prune(functionName: string, states: readonly EventState[], keep: number, finishedBefore: number): Promise<number> {
    const inStates = `state IN (${states.map(() => '?').join(', ')})`;
    const sql = `DELETE FROM async_events WHERE function_name = ? AND ${inStates} AND (finished_at < ? OR seq NOT IN (
       SELECT seq FROM async_events WHERE function_name = ? AND ${inStates} ORDER BY finished_at DESC, seq DESC LIMIT ?))`;
    return this.db.prepare(sql).run(functionName, ...states, finishedBefore, functionName, ...states, keep).changes;
  }
}
