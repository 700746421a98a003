/**
 * EventBridge replays: the events of an archive whose time falls in a window are sent again to the
 * archive's bus, in the order they were archived, each marked with `replay-name`, to every rule of
 * the bus or only to the rules named. A replay runs in the background, recording how far it got, so
 * that a restart (or another node) resumes it; cancelling stops it after the batch under way.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { StateMachine } from '../../lib/state-machine.js';
import type { EventArchiveRepo } from '../../storage/store.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import type { ReplayRecord, ReplayState } from './archive-model.js';
import type { ArchiveService } from './archive-service.js';
import type { EventEnvelope } from './model.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';

const REPLAY_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BATCH = 100;

export const replayStates = new StateMachine<ReplayState>('replay', {
  STARTING: ['RUNNING', 'COMPLETED', 'CANCELLING', 'FAILED'],
  RUNNING: ['RUNNING', 'COMPLETED', 'CANCELLING', 'FAILED'],
  CANCELLING: ['CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
  FAILED: [],
});

/** Sends a replayed event to the rules of a bus that `accepts` (by rule ARN). */
export type ReplayRoute = (event: EventEnvelope, busName: string, accepts: (ruleArn: string) => boolean) => Promise<void>;

export interface ReplaySpec {
  name: string;
  archiveName: string;
  description?: string | undefined;
  destinationBus: string;
  filterRuleArns: readonly string[];
  eventStartTime: number;
  eventEndTime: number;
}

export class ReplayService {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly d: { repo: EventArchiveRepo; archives: ArchiveService; route: ReplayRoute; clock: Clock; logger: Logger },
  ) {}

  async start(spec: ReplaySpec): Promise<ReplayRecord> {
    if (!REPLAY_NAME.test(spec.name)) throw ProtocolErrors.validation(`Replay name ${spec.name} is not valid.`);
    if (!(spec.eventStartTime < spec.eventEndTime)) throw ProtocolErrors.validation('EventStartTime must be before EventEndTime.');
    if (spec.eventEndTime > this.d.clock.now()) throw ProtocolErrors.validation('EventEndTime cannot be in the future.');
    const archive = await this.d.archives.get(spec.archiveName);
    if (spec.destinationBus !== archive.busName) {
      throw ProtocolErrors.validation(`Destination must be the event bus of archive ${archive.name}.`);
    }
    const replay: ReplayRecord = {
      name: spec.name,
      revision: 0,
      archiveName: spec.archiveName,
      destinationBus: spec.destinationBus,
      filterRuleArns: [...spec.filterRuleArns],
      eventStartTime: spec.eventStartTime,
      eventEndTime: spec.eventEndTime,
      state: 'STARTING',
      lastSeq: 0,
      replayStartTime: this.d.clock.now(),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
    };
    if (!(await this.d.repo.createReplay(replay))) throw EventsErrors.resourceAlreadyExists(`Replay ${spec.name} already exists.`);
    this.run(replay);
    return replay;
  }

  async get(name: string): Promise<ReplayRecord> {
    const replay = await this.d.repo.getReplay(name);
    if (!replay) throw EventsErrors.resourceNotFound(`Replay ${name} does not exist.`);
    return replay;
  }

  async list(prefix: string, limit: number | undefined, token: string | undefined): Promise<Page<ReplayRecord>> {
    const size = limit ?? 50;
    const items = await this.d.repo.listReplays(prefix, decodePageToken(token), size + 1);
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  /** A replay that has not finished stops after its current batch; a finished one cannot be cancelled. */
  async cancel(name: string): Promise<ReplayRecord> {
    for (;;) {
      const current = await this.get(name);
      if (!replayStates.can(current.state, 'CANCELLING')) throw EventsErrors.illegalStatus(`Replay ${name} is ${current.state} and cannot be cancelled.`);
      const next: ReplayRecord = { ...current, revision: current.revision + 1, state: 'CANCELLING' };
      if (await replayStates.move(current, next, (r) => this.d.repo.updateReplay(r))) return next;
    }
  }

  /** Resumes the replays a previous server left unfinished. */
  async resume(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await this.d.repo.listReplays('', after, 500);
      for (const r of page) if (r.state === 'STARTING' || r.state === 'RUNNING' || r.state === 'CANCELLING') this.run(r);
      if (page.length < 500) return;
      after = page[page.length - 1]!.name;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private run(replay: ReplayRecord): void {
    if (this.running.has(replay.name)) return;
    const p = this.replay(replay)
      .catch((err: unknown) => this.d.logger.warn('replay failed', { replay: replay.name, error: (err as Error).message }))
      .finally(() => this.running.delete(replay.name));
    this.running.set(replay.name, p);
  }

  private async replay(initial: ReplayRecord): Promise<void> {
    let current = initial;
    const accepts = (ruleArn: string) => current.filterRuleArns.length === 0 || current.filterRuleArns.includes(ruleArn);
    for (;;) {
      if (this.stopped) return;
      if (current.state === 'CANCELLING') {
        await this.save(current, { state: 'CANCELLED', replayEndTime: this.d.clock.now() });
        return;
      }
      let events;
      try {
        const archive = await this.d.archives.get(current.archiveName);
        if (current.lastSeq === 0) await this.d.archives.expire(archive);
        events = await this.d.repo.readEvents(current.archiveName, current.eventStartTime, current.eventEndTime, current.lastSeq, BATCH);
      } catch (err) {
        await this.save(current, { state: 'FAILED', stateReason: (err as Error).message, replayEndTime: this.d.clock.now() });
        return;
      }
      if (events.length === 0) {
        await this.save(current, { state: 'COMPLETED', replayEndTime: this.d.clock.now() });
        return;
      }
      for (const archived of events) {
        const event = { ...(JSON.parse(archived.event) as EventEnvelope), 'replay-name': current.name };
        await this.d.route(event, current.destinationBus, accepts);
      }
      const last = events[events.length - 1]!;
      const saved = await this.save(current, { state: 'RUNNING', lastSeq: last.seq, eventLastReplayedTime: last.time });
      if (!saved) return;
      current = saved;
    }
  }

  /**
   * Moves the replay on by compare-and-set. When another writer changed it first (a cancel), the
   * stored record is taken up instead: the next turn of the loop sees CANCELLING.
   */
  private async save(current: ReplayRecord, changes: Partial<ReplayRecord> & { state: ReplayState }): Promise<ReplayRecord | undefined> {
    let base = current;
    for (;;) {
      const next: ReplayRecord = { ...base, ...changes, revision: base.revision + 1 };
      if (base.state === 'CANCELLING' && changes.state !== 'CANCELLED') {
        // Cancelled meanwhile: keep the progress, stay CANCELLING for the loop to finish.
        const progress: ReplayRecord = { ...next, state: 'CANCELLING' };
        if (await this.d.repo.updateReplay(progress)) return progress;
      } else if (replayStates.can(base.state, next.state) && (await this.d.repo.updateReplay(next))) return next;
      const stored = await this.d.repo.getReplay(current.name);
      if (!stored || stored.revision === base.revision) return undefined;
      base = stored;
    }
  }
}
