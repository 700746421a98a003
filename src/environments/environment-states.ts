/**
 * The lifecycles of an execution environment. Transitions not listed are forbidden.
 *
 * One invocation at a time (Lambda's default):
 *   starting --/next--> idle --invoke--> busy --/response|/error--> finishing --/next--> idle
 *   finishing --invoke (reserved), /next--> busy
 *   any --timeout | crash | init error | stop--> dead
 *
 * Several at once (Lambda Managed Instances, ./concurrent-slots.ts): never frozen, and an
 * invocation's timeout answers that invocation only:
 *   starting --first /next--> idle --invoke--> busy --last one answered--> idle
 *   any --crash | init error | stop--> dead
 */
import { StateMachine } from '../lib/state-machine.js';

export type EnvironmentState = 'starting' | 'idle' | 'busy' | 'finishing' | 'dead';

export const STATES = new StateMachine<EnvironmentState>('environment', {
  starting: ['idle', 'dead'],
  idle: ['busy', 'dead'],
  busy: ['finishing', 'dead'],
  finishing: ['idle', 'busy', 'dead'],
  dead: [],
});

export const CONCURRENT_STATES = new StateMachine<EnvironmentState>('concurrent environment', {
  starting: ['idle', 'dead'],
  idle: ['busy', 'dead'],
  busy: ['idle', 'dead'],
  finishing: [],
  dead: [],
});

/** Lambda Managed Instances allow init this long at least (or the function's timeout, if longer). */
export const CONCURRENT_INIT_MS = 130_000;
