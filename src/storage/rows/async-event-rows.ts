/** How asynchronous events are kept in rows, for every adapter: indexed columns for the dispatcher, the rest as JSON. */
import { EventDetailSchema, EventStateSchema, type AsyncEvent } from '../../async/model.js';

export interface AsyncEventRow {
  id: string;
  function_name: string;
  state: string;
  payload: Buffer;
  accepted_at: number;
  next_attempt_at: number;
  attempts: number;
  finished_at: number | null;
  detail: string;
  /** The node running the event, while it runs (null when read from a store that does not record it yet). */
  node_id?: string | null;
}

/** The columns an event is inserted with (a new event runs on no node yet). */
export const ASYNC_EVENT_COLUMNS = ['id', 'function_name', 'state', 'payload', 'accepted_at', 'next_attempt_at', 'attempts', 'finished_at', 'detail'] as const;
/** The columns an event is read from. */
export const ASYNC_EVENT_READ_COLUMNS = [...ASYNC_EVENT_COLUMNS, 'node_id'] as const;

export function toRow(e: AsyncEvent): AsyncEventRow {
  return {
    id: e.id,
    function_name: e.functionName,
    state: e.state,
    payload: e.payload,
    accepted_at: e.acceptedAt,
    next_attempt_at: e.nextAttemptAt,
    attempts: e.attempts,
    finished_at: e.finishedAt,
    detail: JSON.stringify(e.detail),
    node_id: e.state === 'running' ? (e.claimedBy ?? null) : null,
  };
}

export function fromRow(r: AsyncEventRow): AsyncEvent {
  return {
    id: r.id,
    functionName: r.function_name,
    state: EventStateSchema.parse(r.state),
    payload: r.payload,
    acceptedAt: r.accepted_at,
    nextAttemptAt: r.next_attempt_at,
    attempts: r.attempts,
    finishedAt: r.finished_at,
    detail: EventDetailSchema.parse(JSON.parse(r.detail)),
    ...(r.state === 'running' && r.node_id ? { claimedBy: r.node_id } : {}),
  };
}
