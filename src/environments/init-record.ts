/**
 * What an environment's initialisation leaves behind: the lines the runtime printed until it ended,
 * and, if it failed, how: the answer for the invocation waiting on the environment's pool.
 */
import type { InvocationOutcome } from '../domain/invocation.js';
import { InvocationLog, type TimedLine } from './invocation-log.js';

/** Lines a runtime prints while initialising that are kept for an invocation its failure answers. */
const MAX_INIT_LINES = 200;

/** Builds the outcome of the invocation an init failure answers, given its request id. */
export type InitFailure = (requestId: string) => InvocationOutcome;

export class InitRecord {
  private log: InvocationLog | undefined = new InvocationLog();
  private failure: InitFailure | undefined;

  /** Initialisation failed, and how is known. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Keeps a line init printed; false once init's output is no longer kept (it belongs elsewhere). */
  add(now: number, line: string): boolean {
    if (!this.log) return false;
    if (this.log.lines.length < MAX_INIT_LINES) this.log.add(now, line);
    return true;
  }

  /** Records how initialisation failed, over any earlier account. */
  fail(how: InitFailure): void {
    this.failure = how;
  }

  /** Records how initialisation failed, unless that is already known. */
  failUnlessKnown(how: InitFailure): void {
    this.failure ??= how;
  }

  /** The failure's outcome for `requestId`; undefined if init has not failed. */
  outcome(requestId: string): InvocationOutcome | undefined {
    return this.failure?.(requestId);
  }

  /** Takes init's output (an empty log once taken): later lines are no longer kept. */
  take(): InvocationLog {
    const log = this.log ?? new InvocationLog();
    this.log = undefined;
    return log;
  }

  /** Takes init's output lines, for the log stream (none once taken). */
  takeLines(): TimedLine[] {
    const lines = this.log?.lines ?? [];
    this.log = undefined;
    return lines;
  }
}
