/**
 * Composite alarms: a rule over other alarms' states (metric or composite), evaluated when put and
 * whenever an alarm it names changes state; each change recorded in the alarms' history and followed
 * by its actions, unless disabled or held back by the actions suppressor.
 */
import type { Clock, Timer } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AlarmRepo, DocumentRepo } from '../storage/store.js';
import type { Account } from '../wire/arn.js';
import { CloudWatchErrors } from '../wire/errors.js';
import { checkAction, compositeAlarmMessage, type AlarmActions } from './actions.js';
import { AlarmRuleError, parseAlarmRule, referencedAlarms, ruleHolds, type AlarmRule } from './alarm-rule.js';
import type { CompositeAlarmDefinition, CompositeAlarmRecord } from './composite-model.js';
import { isTransition, type AlarmHistoryItem, type AlarmState } from './model.js';

export interface CompositeAlarmDeps {
  repo: DocumentRepo<CompositeAlarmRecord>;
  /** Metric alarms (their states) and every alarm's history. */
  alarms: AlarmRepo;
  actions: AlarmActions;
  clock: Clock;
  logger: Logger;
  account: Account;
}

/** What PutCompositeAlarm gives, names of other alarms still as written (names or ARNs). */
export interface CompositeAlarmInput {
  name: string;
  description?: string;
  rule: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  okActions: string[];
  insufficientDataActions: string[];
  suppressor?: { alarm: string; waitPeriodSeconds: number; extensionPeriodSeconds: number };
}

interface Known {
  state: AlarmState;
  stateUpdatedAt: number;
}

export class CompositeAlarmService {
  /** Changes run one at a time, so that two never race on one alarm's state. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly arnPrefix: string;
  /** Composites in ALARM whose actions wait for their suppressor's wait period to end, by name. */
  private readonly waits = new Map<string, Timer>();
  private stopped = false;

  constructor(private readonly d: CompositeAlarmDeps) {
    this.arnPrefix = `arn:aws:cloudwatch:${d.account.region}:${d.account.accountId}:alarm:`;
  }

  /** No wait period ends, and no change runs, once stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.waits.values()) timer.cancel();
    this.waits.clear();
    await this.queue.catch(() => undefined);
    await this.d.actions.drain();
  }

  arn(name: string): string {
    return `${this.arnPrefix}${name}`;
  }

  /** An alarm's name from a reference in a rule: its name, or its ARN in this account and region. */
  nameOf(ref: string): string {
    return ref.startsWith(this.arnPrefix) ? ref.slice(this.arnPrefix.length) : ref;
  }

  /** Creates or replaces a composite alarm (a replaced one keeps its state), then evaluates it. */
  async put(input: CompositeAlarmInput, tags: Record<string, string> = {}): Promise<CompositeAlarmRecord> {
    const rule = this.parse(input.rule);
    const children = referencedAlarms(rule).map((r) => this.nameOf(r));
    if (children.includes(input.name)) throw CloudWatchErrors.validation(`The composite alarm ${input.name} cannot refer to itself in its AlarmRule.`);
    if (await this.d.alarms.get(input.name)) throw CloudWatchErrors.validation(`The alarm ${input.name} already exists as a metric alarm.`);
    const missing: string[] = [];
    for (const child of children) if (!(await this.known(child))) missing.push(child);
    if (missing.length > 0) throw CloudWatchErrors.validation(`Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`);
    for (const action of [...input.alarmActions, ...input.okActions, ...input.insufficientDataActions]) {
      try {
        checkAction(action, this.d.account);
      } catch (err) {
        throw CloudWatchErrors.invalidParameterValue((err as Error).message);
      }
    }
    let suppressor: CompositeAlarmDefinition['suppressor'];
    if (input.suppressor) {
      const alarm = this.nameOf(input.suppressor.alarm);
      if (!(await this.known(alarm))) throw CloudWatchErrors.validation(`The ActionsSuppressor alarm ${input.suppressor.alarm} does not exist.`);
      suppressor = { alarm, arn: this.arn(alarm), waitPeriodSeconds: input.suppressor.waitPeriodSeconds, extensionPeriodSeconds: input.suppressor.extensionPeriodSeconds };
    }
    const { suppressor: _given, ...rest } = input;
    const def: CompositeAlarmDefinition = { ...rest, ...(suppressor ? { suppressor } : {}) };
    return this.serially(async () => {
      const now = this.d.clock.now();
      for (;;) {
        const existing = await this.d.repo.get(def.name);
        if (existing) {
          if (await this.d.repo.update(def.name, { ...existing.value, definition: def, configurationUpdatedAt: now }, existing.revision)) break;
        } else {
          const fresh: CompositeAlarmRecord = {
            definition: def,
            state: 'INSUFFICIENT_DATA',
            stateReason: 'Unchecked: Initial alarm creation',
            stateUpdatedAt: now,
            configurationUpdatedAt: now,
            ...(Object.keys(tags).length > 0 ? { tags } : {}),
          };
          if (await this.d.repo.create(def.name, fresh)) break;
        }
      }
      // A new rule may change its state, which the composites naming this one follow.
      const visited = new Set<string>();
      if (await this.evaluate(def.name, visited)) await this.cascade(def.name, visited);
      return this.get(def.name);
    });
  }

  async get(name: string): Promise<CompositeAlarmRecord> {
    const found = await this.d.repo.get(name);
    if (!found) throw CloudWatchErrors.resourceNotFound(`Alarm ${name} not found`);
    return found.value;
  }

  async find(name: string): Promise<CompositeAlarmRecord | undefined> {
    return (await this.d.repo.get(name))?.value;
  }

  /** Every composite alarm, by name. */
  async list(): Promise<CompositeAlarmRecord[]> {
    const out: CompositeAlarmRecord[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.d.repo.list('', after, 100);
      out.push(...page.map((r) => r.value));
      if (page.length < 100) return out;
      after = page.at(-1)!.value.definition.name;
    }
  }

  /** The composite alarms whose rules name `name` (other than those in `except`). */
  async parentsOf(name: string, except: ReadonlySet<string> = new Set()): Promise<string[]> {
    return (await this.list())
      .filter((c) => !except.has(c.definition.name) && referencedAlarms(this.parse(c.definition.rule)).some((r) => this.nameOf(r) === name))
      .map((c) => c.definition.name);
  }

  /** Deletes a composite alarm and its history; false if there is none. */
  async delete(name: string): Promise<boolean> {
    return this.serially(async () => {
      if (!(await this.d.repo.delete(name))) return false;
      this.waits.get(name)?.cancel();
      this.waits.delete(name);
      await this.d.alarms.deleteHistory(name);
      return true;
    });
  }

  async tag(name: string, add: Record<string, string>, remove: readonly string[]): Promise<CompositeAlarmRecord | undefined> {
    return this.serially(async () => {
      for (;;) {
        const found = await this.d.repo.get(name);
        if (!found) return undefined;
        const tags = { ...found.value.tags, ...add };
        for (const k of remove) delete tags[k];
        const next = { ...found.value, tags };
        if (await this.d.repo.update(name, next, found.revision)) return next;
      }
    });
  }

  /** Newest first. */
  history(name: string, limit = 100): Promise<AlarmHistoryItem[]> {
    return this.d.alarms.history(name, limit);
  }

  /** SetAlarmState on a composite alarm: recorded and acted on like any change, until the rule is evaluated again. */
  async setState(name: string, state: AlarmState, reason: string, reasonData?: string): Promise<void> {
    await this.serially(async () => {
      await this.get(name);
      const changed = await this.change(name, state, reason, reasonData);
      if (changed) await this.cascade(name, new Set([name]));
    });
  }

  /** Called when any alarm changed state (or was deleted): the composites that name it evaluate again. */
  alarmChanged(name: string): Promise<void> {
    return this.serially(() => this.cascade(name, new Set()));
  }

  private parse(rule: string): AlarmRule {
    try {
      return parseAlarmRule(rule);
    } catch (err) {
      if (err instanceof AlarmRuleError) throw CloudWatchErrors.validation(`Error in AlarmRule [${err.message}]`);
      throw err;
    }
  }

  /** An alarm's state, metric or composite; undefined if there is no such alarm. */
  private async known(name: string): Promise<Known | undefined> {
    const metric = await this.d.alarms.get(name);
    if (metric) return metric;
    return (await this.d.repo.get(name))?.value;
  }

  /** Evaluates the parents of a changed alarm, then theirs, each composite at most once (rules may form cycles). */
  private async cascade(name: string, visited: Set<string>): Promise<void> {
    for (const parent of await this.parentsOf(name, visited)) {
      visited.add(parent);
      if (await this.evaluate(parent, visited, name)) await this.cascade(parent, visited);
    }
  }

  /** Evaluates one composite's rule; true if its state changed. */
  private async evaluate(name: string, visited: Set<string>, cause?: string): Promise<boolean> {
    visited.add(name);
    const found = await this.d.repo.get(name);
    if (!found) return false;
    const rule = this.parse(found.value.definition.rule);
    const states = new Map<string, Known | undefined>();
    for (const ref of referencedAlarms(rule)) states.set(ref, await this.known(this.nameOf(ref)));
    const holds = ruleHolds(rule, (ref) => states.get(ref)?.state);
    const state: AlarmState = holds ? 'ALARM' : 'OK';
    const trigger = cause === undefined ? undefined : await this.known(cause);
    const reason = trigger
      ? `${this.arn(cause!)} transitioned to ${trigger.state} at ${new Date(trigger.stateUpdatedAt).toISOString()}`
      : `The alarm rule evaluated to ${holds ? 'TRUE' : 'FALSE'}`;
    const triggering = [...states].filter(([, k]) => k !== undefined).map(([ref, k]) => ({ arn: this.arn(this.nameOf(ref)), state: k!.state, timestamp: new Date(k!.stateUpdatedAt).toISOString() }));
    return this.change(name, state, reason, JSON.stringify({ triggeringAlarms: triggering }));
  }

  /** Moves a composite to `state` (nothing if already there): stored, recorded, acted on. */
  private async change(name: string, state: AlarmState, reason: string, reasonData?: string): Promise<boolean> {
    for (;;) {
      const found = await this.d.repo.get(name);
      if (!found) return false;
      const a = found.value;
      if (!isTransition(a.state, state)) return false;
      const now = this.d.clock.now();
      const suppression = (await this.suppression(a.definition, now)) ?? (state === 'ALARM' ? this.waitPeriod(a.definition) : undefined);
      const { actionsSuppressedBy: _by, actionsSuppressedReason: _why, stateReasonData: _data, ...kept } = a;
      const next: CompositeAlarmRecord = {
        ...kept,
        state,
        stateReason: reason,
        ...(reasonData !== undefined ? { stateReasonData: reasonData } : {}),
        stateUpdatedAt: now,
        ...(suppression ? { actionsSuppressedBy: suppression.by, actionsSuppressedReason: suppression.reason } : {}),
      };
      if (!(await this.d.repo.update(name, next, found.revision))) continue;
      const item: AlarmHistoryItem = { alarmName: name, timestamp: now, oldState: a.state, newState: state, reason };
      await this.d.alarms.appendHistory(item);
      this.d.logger.info('composite alarm changed state', { alarm: name, from: a.state, to: state, reason, ...(suppression ? { suppressedBy: suppression.by } : {}) });
      this.waits.get(name)?.cancel();
      this.waits.delete(name);
      if (suppression?.by === 'WaitPeriod') this.startWait(name, a.definition, now);
      if (!suppression) this.act(next, a.state);
      return true;
    }
  }

  /** Runs the actions of the state the composite just took, unless disabled. */
  private act(a: CompositeAlarmRecord, oldState: AlarmState): void {
    const def = a.definition;
    const actions = a.state === 'ALARM' ? def.alarmActions : a.state === 'OK' ? def.okActions : def.insufficientDataActions;
    if (!def.actionsEnabled || actions.length === 0) return;
    this.d.actions.run(actions, compositeAlarmMessage(def, { oldState, newState: a.state, reason: a.stateReason, at: a.stateUpdatedAt, arn: this.arn(def.name) }, this.d.account));
  }

  /** On going to ALARM with a suppressor not (yet) in ALARM: the actions wait for its wait period first. */
  private waitPeriod(def: CompositeAlarmDefinition): { by: 'WaitPeriod'; reason: string } | undefined {
    if (!def.suppressor || def.suppressor.waitPeriodSeconds <= 0) return undefined;
    return { by: 'WaitPeriod', reason: `Waiting up to ${def.suppressor.waitPeriodSeconds} seconds for alarm ${def.suppressor.alarm} to go to ALARM state` };
  }

  private startWait(name: string, def: CompositeAlarmDefinition, since: number): void {
    if (this.stopped) return;
    const timer = this.d.clock.setTimeout(() => {
      this.waits.delete(name);
      if (this.stopped) return;
      this.serially(() => this.endWait(name, since)).catch((err: unknown) => this.d.logger.warn('composite alarm wait period failed', { alarm: name, error: String(err) }));
    }, def.suppressor!.waitPeriodSeconds * 1000);
    this.waits.set(name, timer);
  }

  /**
   * The wait period is over: if the composite is still in the ALARM it waited in, its actions run now,
   * unless the suppressor went to ALARM meanwhile (or left it within its extension period).
   */
  private async endWait(name: string, since: number): Promise<void> {
    for (;;) {
      const found = await this.d.repo.get(name);
      if (!found || found.value.state !== 'ALARM' || found.value.stateUpdatedAt !== since || found.value.actionsSuppressedBy !== 'WaitPeriod') return;
      const suppression = await this.suppression(found.value.definition, this.d.clock.now());
      const { actionsSuppressedBy: _by, actionsSuppressedReason: _why, ...kept } = found.value;
      const next: CompositeAlarmRecord = { ...kept, ...(suppression ? { actionsSuppressedBy: suppression.by, actionsSuppressedReason: suppression.reason } : {}) };
      if (!(await this.d.repo.update(name, next, found.revision))) continue;
      const [last] = await this.d.alarms.history(name, 1);
      if (!suppression) this.act(next, last?.oldState ?? 'OK');
      return;
    }
  }

  /**
   * Whether the suppressor holds the actions back now: while it is in ALARM, and for its extension
   * period after it leaves ALARM. (A wait period is decided apart, when the composite goes to ALARM.)
   */
  private async suppression(def: CompositeAlarmDefinition, now: number): Promise<{ by: 'Alarm' | 'ExtensionPeriod'; reason: string } | undefined> {
    if (!def.suppressor) return undefined;
    const s = await this.known(def.suppressor.alarm);
    if (!s) return undefined;
    if (s.state === 'ALARM') return { by: 'Alarm', reason: `Alarm ${def.suppressor.alarm} is in ALARM state` };
    const [last] = await this.d.alarms.history(def.suppressor.alarm, 1);
    if (last?.oldState === 'ALARM' && now - last.timestamp < def.suppressor.extensionPeriodSeconds * 1000) {
      return { by: 'ExtensionPeriod', reason: `Alarm ${def.suppressor.alarm} left ALARM state less than ${def.suppressor.extensionPeriodSeconds} seconds ago` };
    }
    return undefined;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
