/**
 * Alarms: definitions kept in the store, evaluated at every minute of the injected clock (and once
 * when put), each change of state recorded in history and followed by that state's actions.
 */
import type { Clock } from '../lib/clock.js';
import { Periodic } from '../lib/periodic.js';
import type { Logger } from '../lib/logger.js';
import type { AlarmRepo } from '../storage/store.js';
import { MINUTE_MS, type MetricsRepo } from '../telemetry/metrics.js';
import type { Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import { alarmMessage, checkAction, type AlarmActions } from './actions.js';
import { datapoints, decide, since } from './evaluation.js';
import { STATISTICS_BY_METRIC, isTransition, type AlarmDefinition, type AlarmHistoryItem, type AlarmRecord, type AlarmState } from './model.js';

export interface AlarmServiceDeps {
  repo: AlarmRepo;
  metrics: MetricsRepo;
  /** Writes pending metric points, so that an evaluation sees the last minute whole. */
  flushMetrics: () => Promise<void>;
  actions: AlarmActions;
  clock: Clock;
  logger: Logger;
  account: Account;
  /** Whether the minute tick evaluates here: in a fleet, only on the node holding the alarms' lease. */
  evaluatesHere?: () => boolean;
  /** Told of every change of an alarm's state, and of its deletion, once stored (composite alarms evaluate again). */
  onStateChange?: (name: string) => Promise<void>;
}

export class AlarmService {
  /** Every alarm is evaluated at the start of each minute. */
  private readonly evaluations: Periodic;
  private stopped = false;
  /** Evaluations run one at a time, so that two never race on one alarm's state. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: AlarmServiceDeps) {
    this.evaluations = new Periodic(d.clock, (now) => MINUTE_MS - (now % MINUTE_MS), () => (d.evaluatesHere?.() === false ? Promise.resolve() : this.evaluateAll()), (err) => d.logger.warn('alarm evaluation failed', { error: String(err) }));
  }

  start(): void {
    this.stopped = false;
    this.evaluations.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.evaluations.stop();
    await this.queue.catch(() => undefined);
    await this.d.actions.drain();
  }

  /** Creates or replaces an alarm (a replaced alarm keeps its state), then evaluates it once. */
  /** Creates or replaces an alarm; `tags` are given to a new alarm only, as CloudWatch's PutMetricAlarm does. */
  async put(def: AlarmDefinition, tags: Record<string, string> = {}): Promise<AlarmRecord> {
    this.check(def);
    const now = this.d.clock.now();
    const existing = await this.d.repo.get(def.name);
    const initial = { state: 'INSUFFICIENT_DATA' as const, stateReason: 'Unchecked: Initial alarm creation', stateUpdatedAt: now, configurationUpdatedAt: now };
    await this.d.repo.put(
      existing
        ? { ...existing, definition: def, configurationUpdatedAt: now }
        : { definition: def, ...initial, ...(Object.keys(tags).length > 0 ? { tags } : {}) },
    );
    await this.serially(() => this.evaluate(def.name));
    return this.get(def.name);
  }

  async get(name: string): Promise<AlarmRecord> {
    const a = await this.d.repo.get(name);
    if (!a) throw Errors.resourceNotFound(`Alarm ${name} does not exist.`);
    return a;
  }

  list(): Promise<AlarmRecord[]> {
    return this.d.repo.list();
  }

  /** Adds and removes an alarm's tags; undefined when there is no such alarm. */
  async tag(name: string, add: Record<string, string>, remove: readonly string[]): Promise<AlarmRecord | undefined> {
    return this.serially(async () => {
      const a = await this.d.repo.get(name);
      if (!a) return undefined;
      const tags = { ...a.tags, ...add };
      for (const k of remove) delete tags[k];
      const next = { ...a, tags };
      await this.d.repo.put(next);
      return next;
    });
  }

  async delete(name: string): Promise<void> {
    await this.serially(async () => {
      if (!(await this.d.repo.delete(name))) throw Errors.resourceNotFound(`Alarm ${name} does not exist.`);
      // A deleted alarm is in no state: the composites naming it evaluate again.
      await this.d.onStateChange?.(name).catch((err: unknown) => this.d.logger.warn('composite alarms failed to follow a deletion', { alarm: name, error: String(err) }));
    });
  }

  /** Newest first. */
  async history(name: string, limit = 100): Promise<AlarmHistoryItem[]> {
    await this.get(name);
    return this.d.repo.history(name, limit);
  }

  /** The states of the named alarms, for deployments that watch them. */
  async alarmStates(names: readonly string[]): Promise<Map<string, AlarmState>> {
    const states = new Map<string, AlarmState>();
    for (const name of names) {
      const a = await this.d.repo.get(name);
      if (!a) throw Errors.invalidParameter(`Alarm ${name} does not exist.`);
      states.set(name, a.state);
    }
    return states;
  }

  /** Evaluates every alarm now (the minute tick does this). */
  evaluateAll(): Promise<void> {
    return this.serially(async () => {
      for (const a of await this.d.repo.list()) {
        if (this.stopped) return;
        await this.evaluate(a.definition.name).catch((err: unknown) => this.d.logger.warn('alarm evaluation failed', { alarm: a.definition.name, error: String(err) }));
      }
    });
  }

  private check(def: AlarmDefinition): void {
    if (!STATISTICS_BY_METRIC[def.metric].includes(def.statistic)) {
      throw Errors.invalidParameter(`The statistic ${def.statistic} is not available for ${def.metric}; use one of ${STATISTICS_BY_METRIC[def.metric].join(', ')}.`);
    }
    for (const action of [...def.alarmActions, ...def.okActions, ...def.insufficientDataActions]) checkAction(action, this.d.account);
  }

  /** At each minute boundary of the clock, when the last minute's points are complete. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async evaluate(name: string): Promise<void> {
    const a = await this.d.repo.get(name);
    if (!a) return;
    const def = a.definition;
    const now = this.d.clock.now();
    await this.d.flushMetrics();
    const points = await this.d.metrics.query(def.functionName, since(def, now));
    const verdict = decide(def, datapoints(def, now, points), a.state);
    await this.change(a, verdict.state, verdict.reason, now);
  }

  /**
   * Sets an alarm's state by hand (CloudWatch's SetAlarmState, to test actions): recorded and acted
   * on like any change; the next evaluation decides again from the metric.
   */
  async setState(name: string, state: AlarmState, reason: string): Promise<void> {
    await this.serially(async () => this.change(await this.get(name), state, reason, this.d.clock.now()));
  }

  private async change(a: AlarmRecord, state: AlarmState, reason: string, now: number): Promise<void> {
    if (!isTransition(a.state, state)) return;
    const def = a.definition;
    const item: AlarmHistoryItem = { alarmName: def.name, timestamp: now, oldState: a.state, newState: state, reason };
    await this.d.repo.transition({ ...a, state, stateReason: reason, stateUpdatedAt: now }, item);
    this.d.logger.info('alarm changed state', { alarm: def.name, from: a.state, to: state, reason });
    const actions = state === 'ALARM' ? def.alarmActions : state === 'OK' ? def.okActions : def.insufficientDataActions;
    if (actions.length > 0) this.d.actions.run(actions, alarmMessage(def, { oldState: a.state, newState: state, reason, at: now }, this.d.account));
    await this.d.onStateChange?.(def.name).catch((err: unknown) => this.d.logger.warn('composite alarms failed to follow a change', { alarm: def.name, error: String(err) }));
  }
}
