/**
 * The one scheduling core, shared by scheduled rules and EventBridge Scheduler. It keeps the next
 * fire time of every schedule, waits on the injected clock for the earliest, and fires each
 * occurrence exactly once: an occurrence is claimed in the store (a compare-and-set on the
 * schedule's last occurrence) before it is handed to its owner, so a restart or a second node never
 * fires it again. When a schedule is added (at start, after downtime), occurrences already past are
 * fired once if still within the flexible window, else skipped and counted.
 * Claim-then-deliver makes a crash between the two lose that one delivery rather than double it.
 */
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ScheduleStateRepo } from '../storage/store.js';
import { nextOccurrence, type ScheduleExpression } from './expression.js';

export interface ScheduleJob {
  /** Unique across owners, e.g. `rule:default/nightly`, `schedule:default/cleanup`. */
  key: string;
  expression: ScheduleExpression;
  zone: string;
  /** Epoch ms `rate()` periods count from (creation, or the start date). */
  anchor: number;
  startAt?: number | undefined;
  endAt?: number | undefined;
  /** 0 for FlexibleTimeWindow OFF. */
  flexibleWindowMs: number;
  /** Delivers one occurrence (epoch ms); what it resolves to is kept as the last result. */
  fire(occurrence: number): Promise<string>;
  /** After the last occurrence (an `at()` schedule, or past the end date). */
  completed?(): Promise<void>;
}

/**
 * The longest single wait: timers past 2^31 ms fire at once in Node, and a wall clock that jumps is
 * noticed within this long. A wait that ends early finds nothing due and waits again.
 */
const MAX_WAIT_MS = 3_600_000;

/**
 * Thousands due in the same second go out in fire-time order, in batches claimed in one store
 * transaction each, a few batches at a time: the first are delivered at once rather than all together
 * after the last has been claimed, and a claim costs a share of one commit.
 */
const FIRE_BATCH = 64;
const BATCHES_IN_FLIGHT = 2;

interface Armed {
  job: ScheduleJob;
  occurrence: number;
  /** The occurrence plus its offset within the flexible window. */
  fireAt: number;
}

export class SchedulingCore {
  private readonly armed = new Map<string, Armed>();
  /** Bumped by every add and remove, so that an add still loading never arms a removed schedule. */
  private readonly generations = new Map<string, number>();
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private running = false;
  private readonly firing = new Set<Promise<void>>();
  /** Due occurrences waiting for their batch, latest first (batches are taken from the end). */
  private due: Armed[] = [];

  constructor(
    private readonly states: ScheduleStateRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.rearm();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.due = [];
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    await Promise.allSettled([...this.firing]);
  }

  /** Adds or replaces a schedule, settling what it missed while it was not watched. */
  async add(job: ScheduleJob): Promise<void> {
    const generation = this.bump(job.key);
    this.armed.delete(job.key);
    this.unqueue(job.key);
    const state = await this.states.get(job.key);
    const now = this.clock.now();
    let after = Math.max(state?.lastOccurrence ?? job.anchor, job.anchor, (job.startAt ?? -Infinity) - 1);
    let occ = this.next(job, after);
    // Missed while down: the latest occurrence within its window fires now; older ones are skipped.
    while (occ !== undefined && occ < now) {
      const following = this.next(job, occ);
      const inWindow = now <= occ + job.flexibleWindowMs && (following === undefined || following >= now);
      if (inWindow) break;
      if (await this.states.claim(job.key, occ, true)) this.logger.info('schedule occurrence missed', { schedule: job.key, occurrence: new Date(occ).toISOString() });
      after = occ;
      occ = following;
    }
    if (this.generations.get(job.key) !== generation) return;
    if (occ === undefined) {
      await this.complete(job);
      return;
    }
    this.arm(job, occ, now);
  }

  remove(key: string): void {
    this.bump(key);
    this.armed.delete(key);
    this.unqueue(key);
  }

  private unqueue(key: string): void {
    if (this.due.length > 0) this.due = this.due.filter((a) => a.job.key !== key);
  }

  /** When the schedule fires next (epoch ms), if it is watched. */
  nextFireTime(key: string): number | undefined {
    return this.armed.get(key)?.fireAt;
  }

  private bump(key: string): number {
    const g = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, g);
    return g;
  }

  private next(job: ScheduleJob, after: number): number | undefined {
    const occ = nextOccurrence(job.expression, job.zone, after, job.anchor);
    return occ === undefined || (job.endAt !== undefined && occ > job.endAt) ? undefined : occ;
  }

  private arm(job: ScheduleJob, occurrence: number, now: number): void {
    const fireAt = Math.max(occurrence + windowOffset(job, occurrence), occurrence < now ? now : occurrence);
    this.armed.set(job.key, { job, occurrence, fireAt });
    // A later time than the timer's needs no scan: the timer's wake-up scans them all.
    if (fireAt < this.timerAt) this.wakeAt(fireAt);
  }

  /** Sets the timer for the earliest armed schedule (one scan of them all). */
  private rearm(): void {
    let earliest = Infinity;
    for (const a of this.armed.values()) earliest = Math.min(earliest, a.fireAt);
    if (earliest !== this.timerAt) this.wakeAt(earliest);
  }

  private wakeAt(at: number): void {
    if (!this.running) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.fireDue();
    }, Math.min(MAX_WAIT_MS, Math.max(0, at - this.clock.now())));
  }

  private fireDue(): void {
    const now = this.clock.now();
    const due: Armed[] = [];
    for (const a of this.armed.values()) if (a.fireAt <= now) due.push(a);
    for (const a of due) this.armed.delete(a.job.key);
    this.due = [...this.due, ...due].sort((a, b) => b.fireAt - a.fireAt);
    this.pump();
    this.rearm();
  }

  /** Starts batches of due occurrences while fewer than BATCHES_IN_FLIGHT run; each that ends starts the next. */
  private pump(): void {
    while (this.running && this.firing.size < BATCHES_IN_FLIGHT && this.due.length > 0) {
      const batch = this.due.splice(Math.max(0, this.due.length - FIRE_BATCH)).reverse();
      const p = this.fire(batch).finally(() => {
        this.firing.delete(p);
        this.pump();
      });
      this.firing.add(p);
    }
  }

  /** Claims the batch's occurrences, delivers those claimed here, keeps their results, arms what follows. */
  private async fire(batch: readonly Armed[]): Promise<void> {
    const generations = batch.map((a) => this.generations.get(a.job.key));
    try {
      const won = await this.states.claimMany(batch.map((a) => ({ key: a.job.key, occurrence: a.occurrence })));
      const results = await Promise.all(
        batch
          .filter((a) => won.has(a.job.key))
          .map(async (a) => ({ key: a.job.key, result: await a.job.fire(a.occurrence).catch((err: unknown) => `failed: ${(err as Error).message}`) })),
      );
      await this.states.setResults(results);
    } catch (err) {
      this.logger.warn('schedules could not fire', { schedules: batch.map((a) => a.job.key).join(', ').slice(0, 500), error: (err as Error).message });
    }
    for (const [i, { job, occurrence }] of batch.entries()) {
      if (!this.running || this.generations.get(job.key) !== generations[i]) continue;
      const next = this.next(job, occurrence);
      if (next === undefined) await this.complete(job);
      else this.arm(job, next, this.clock.now());
    }
  }

  private async complete(job: ScheduleJob): Promise<void> {
    this.armed.delete(job.key);
    await job.completed?.().catch((err: unknown) => this.logger.warn('schedule completion failed', { schedule: job.key, error: (err as Error).message }));
  }
}

/** Where in its flexible window an occurrence fires: spread by a hash, the same on every node. */
function windowOffset(job: ScheduleJob, occurrence: number): number {
  if (job.flexibleWindowMs <= 0) return 0;
  const h = createHash('sha256').update(`${job.key}@${occurrence}`).digest().readUInt32BE(0);
  return h % job.flexibleWindowMs;
}
