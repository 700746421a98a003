import type { AsyncEvent, EventState } from '../../async/model.js';
import { ASYNC_EVENT_COLUMNS, ASYNC_EVENT_READ_COLUMNS, fromRow, toRow, type AsyncEventRow as Row } from '../rows/async-event-rows.js';
import type { AsyncEventRepo } from '../store.js';
import { changed, type Db } from './db.js';

const COLUMNS = ASYNC_EVENT_COLUMNS.join(', ');
const READ = ASYNC_EVENT_READ_COLUMNS.join(', ');
const REQUEUE = "UPDATE async_events SET state = 'queued', next_attempt_at = $1, node_id = NULL WHERE state = 'running'";
const DUE = "state IN ('queued', 'retrying')";
/*
 * A change of state finds the event through the id's unique index and checks the states it may move
 * from as a filter no index serves (`(…) IS TRUE`: a NOT NULL state in an array of states is never
 * NULL). Written `state = ANY(…)`, the planner may scan the (state, next_attempt_at) index instead when
 * its statistics saw none of those states (all events finished at the last ANALYZE), reading every
 * queued event for each one it moves.
 */
const UPDATE = `UPDATE async_events SET state = $2, next_attempt_at = $3, accepted_at = $4, attempts = $5, finished_at = $6, detail = $7, node_id = $9
  WHERE id = $1 AND (state = ANY($8::text[])) IS TRUE AND (state <> 'running' OR node_id IS NOT DISTINCT FROM $10)`;
/** The statement above, for the test that checks its plan. */
export const LOOKUPS_BY_ID = { UPDATE } as const;
// SQLite sorts NULL first ascending, so last descending; PostgreSQL does the opposite unless told.
const NEWEST_FINISHED_FIRST = 'ORDER BY finished_at DESC NULLS LAST, seq DESC';

/** Asynchronous events: indexed columns for the dispatcher, the rest as validated JSON. */
export class PostgresAsyncEventRepo implements AsyncEventRepo {
  constructor(private readonly db: Db) {}

  async insert(events: readonly AsyncEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(toRow);
    await this.db.query(
      `INSERT INTO async_events (${COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bigint[], $6::bigint[], $7::int[], $8::bigint[], $9::text[])`,
      ASYNC_EVENT_COLUMNS.map((c) => rows.map((r) => r[c])),
    );
  }

  async claim(now: number, limit: number, node: string): Promise<AsyncEvent[]> {
    // Due events locked by another node's claim are skipped, not waited for: each event runs once.
    const { rows } = await this.db.query<Row & { seq: number }>(
      `WITH due AS MATERIALIZED (
         SELECT seq FROM async_events WHERE ${DUE} AND next_attempt_at <= $1 ORDER BY next_attempt_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE async_events e SET state = 'running', node_id = $3 FROM due WHERE e.seq = due.seq
       RETURNING e.seq, ${ASYNC_EVENT_READ_COLUMNS.map((c) => `e.${c}`).join(', ')}`,
      [now, limit, node],
    );
    // RETURNING keeps no order: put them back in the order they were due.
    rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.seq - b.seq);
    return rows.map(fromRow);
  }

  async nextDueAt(): Promise<number | undefined> {
    const { rows } = await this.db.query<{ t: number | null }>(`SELECT MIN(next_attempt_at) AS t FROM async_events WHERE ${DUE}`);
    return rows[0]?.t ?? undefined;
  }

  async update(event: AsyncEvent, from: readonly EventState[]): Promise<boolean> {
    const r = toRow(event);
    const result = await this.db.query(UPDATE, [r.id, r.state, r.next_attempt_at, r.accepted_at, r.attempts, r.finished_at, r.detail, from, r.node_id, event.claimedBy ?? null]);
    return changed(result) === 1;
  }

  async requeueRunning(now: number, node?: string): Promise<number> {
    if (node === undefined) return changed(await this.db.query(REQUEUE, [now]));
    return changed(await this.db.query(`${REQUEUE} AND node_id = $2`, [now, node]));
  }

  async requeueOrphaned(now: number, aliveSince: number): Promise<number> {
    // One statement against the nodes' heartbeats: a node that joined after this began is not taken for dead.
    const alive = 'SELECT id FROM fleet_nodes WHERE heartbeat_at >= $2';
    return changed(await this.db.query(`${REQUEUE} AND (node_id IS NULL OR node_id NOT IN (${alive}))`, [now, aliveSince]));
  }

  async get(id: string): Promise<AsyncEvent | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${READ} FROM async_events WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(functionName: string, states: readonly EventState[], limit: number): Promise<AsyncEvent[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${READ} FROM async_events WHERE function_name = $1 AND state = ANY($2::text[]) ${NEWEST_FINISHED_FIRST} LIMIT $3`,
      [functionName, states, limit],
    );
    return rows.map(fromRow);
  }

  async delete(id: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM async_events WHERE id = $1', [id])) === 1;
  }

  async prune(functionName: string, states: readonly EventState[], keep: number, finishedBefore: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM async_events WHERE function_name = $1 AND state = ANY($2::text[]) AND (finished_at < $3 OR seq NOT IN (
         SELECT seq FROM async_events WHERE function_name = $1 AND state = ANY($2::text[]) ${NEWEST_FINISHED_FIRST} LIMIT $4))`,
      [functionName, states, finishedBefore, keep],
    );
    return changed(result);
  }
}
