/**
 * The life of an asynchronous event as an explicit state machine: every transition not listed here
 * is forbidden, so a bug shows up as an error instead of an event run twice or lost.
 *
 *   queued ──► running ──► succeeded (the row is then deleted)
 *                │ ├────► retrying ──► running ...    (a function or platform error, retries left)
 *                │ ├────► failed                      (retries exhausted; kept for replay)
 *                │ └────► expired                     (older than the maximum event age when due)
 *                └──────► queued                      (throttled, or the server stopped mid-run)
 *   failed, expired ────► queued                      (replay)
 */
import { StateMachine } from '../lib/state-machine.js';
import type { EventState } from './model.js';

export const EVENT_STATES = new StateMachine<EventState>('async event', {
  queued: ['running'],
  running: ['succeeded', 'retrying', 'failed', 'expired', 'queued'],
  retrying: ['running'],
  succeeded: [],
  failed: ['queued'],
  expired: ['queued'],
});

/** States the dispatcher picks events up from when they are due. */
export const DUE_STATES: readonly EventState[] = ['queued', 'retrying'];
/** States kept for replay. */
export const FAILED_STATES: readonly EventState[] = ['failed', 'expired'];
