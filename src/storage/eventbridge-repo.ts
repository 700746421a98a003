/** EventBridge's and Scheduler's store interfaces: buses and rules, schedules, occurrences fired, deliveries waiting for a retry. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { EventBusRecord, PendingDelivery, RuleRecord } from '../services/events/model.js';
import type { ScheduleGroupRecord, ScheduleRecord } from '../services/scheduler/model.js';
import type { ArchivedEvent, ArchiveRecord, ReplayRecord } from '../services/events/archive-model.js';

/** Event buses and their rules (each rule with its targets, changed by compare-and-set on its revision). */
export interface EventBridgeRepo {
  getBus(name: string): Promise<EventBusRecord | undefined>;
  /** Buses whose names start with `prefix`, ascending, strictly after `after`. */
  listBuses(prefix: string, after: string | undefined, limit: number): Promise<EventBusRecord[]>;
  /** False if the name is taken. */
  createBus(bus: EventBusRecord): Promise<boolean>;
  /** Replaces a bus (its description, tags); false if there is none. */
  updateBus(bus: EventBusRecord): Promise<boolean>;
  /** Deletes a bus with its rules; false if there was none. */
  deleteBus(name: string): Promise<boolean>;
  getRule(busName: string, name: string): Promise<RuleRecord | undefined>;
  /** A bus's rules whose names start with `prefix`, ascending, strictly after `after`. */
  listRules(busName: string, prefix: string, after: string | undefined, limit: number): Promise<RuleRecord[]>;
  /** False if the rule exists. */
  createRule(rule: RuleRecord): Promise<boolean>;
  /** Replaces a rule whose stored revision is `rule.revision - 1`; false if it changed or is gone. */
  updateRule(rule: RuleRecord): Promise<boolean>;
  deleteRule(busName: string, name: string): Promise<boolean>;
}

/** Where each schedule (a scheduled rule, a Scheduler schedule) stands: its last occurrence, fired or skipped. */
export interface ScheduleState {
  key: string;
  /** Epoch ms of the last occurrence claimed (fired or skipped). */
  lastOccurrence: number;
  /** What the last fired occurrence did, for `selfless schedules`. */
  lastResult: string | null;
  fired: number;
  skipped: number;
}

export interface ScheduleStateRepo {
  get(key: string): Promise<ScheduleState | undefined>;
  /**
   * Claims an occurrence: true if it is later than the last one claimed, so that it fires once
   * across restarts and across the nodes of a fleet. `skipped` counts it as missed instead of fired.
   */
  claim(key: string, occurrence: number, skipped: boolean): Promise<boolean>;
  /**
   * Claims occurrences to fire (distinct keys), in one transaction, each as `claim` would: the keys
   * whose claim won. Thousands due at once cost one commit per batch, not one each.
   */
  claimMany(claims: readonly { key: string; occurrence: number }[]): Promise<Set<string>>;
  /** Records what fired occurrences did, in one transaction; a key no longer kept is passed over. */
  setResults(results: readonly { key: string; result: string }[]): Promise<void>;
  delete(key: string): Promise<void>;
}

/** EventBridge Scheduler's schedule groups and schedules. */
export interface SchedulerRepo {
  getGroup(name: string): Promise<ScheduleGroupRecord | undefined>;
  listGroups(prefix: string, after: string | undefined, limit: number): Promise<ScheduleGroupRecord[]>;
  /** False if the name is taken. */
  createGroup(group: ScheduleGroupRecord): Promise<boolean>;
  /** Replaces a group (its tags); false if there is none. */
  updateGroup(group: ScheduleGroupRecord): Promise<boolean>;
  /** Deletes a group with its schedules; false if there was none. */
  deleteGroup(name: string): Promise<boolean>;
  getSchedule(groupName: string, name: string): Promise<ScheduleRecord | undefined>;
  /** Schedules ordered by group then name, strictly after the cursor `[group, name]`; of one group if given. */
  listSchedules(groupName: string | undefined, prefix: string, after: readonly [string, string] | undefined, limit: number): Promise<ScheduleRecord[]>;
  /** False if the schedule exists. */
  createSchedule(schedule: ScheduleRecord): Promise<boolean>;
  /** False if the schedule does not exist. */
  updateSchedule(schedule: ScheduleRecord): Promise<boolean>;
  deleteSchedule(groupName: string, name: string): Promise<boolean>;
}

/** EventBridge target deliveries waiting to be retried. */
export interface EventDeliveryRepo {
  put(delivery: PendingDelivery): Promise<void>;
  /** Removes a delivery to run it; false if another node (or an earlier start) already took it. */
  take(id: string): Promise<boolean>;
  list(): Promise<PendingDelivery[]>;
}

/** EventBridge archives with their events, and replays of them. */
export interface EventArchiveRepo {
  /** False if the name is taken. */
  createArchive(archive: ArchiveRecord): Promise<boolean>;
  getArchive(name: string): Promise<ArchiveRecord | undefined>;
  /** Archives whose names start with `prefix`, ascending, strictly after `after`; of one bus if given. */
  listArchives(prefix: string, busName: string | undefined, after: string | undefined, limit: number): Promise<ArchiveRecord[]>;
  /** False if the archive does not exist. */
  updateArchive(archive: ArchiveRecord): Promise<boolean>;
  /** Deletes the archive with its events; false if there was none. */
  deleteArchive(name: string): Promise<boolean>;
  /** Keeps events in archives, in one transaction. */
  appendEvents(events: readonly { archiveName: string; time: number; event: string }[]): Promise<void>;
  /** An archive's events with `from <= time < to` and a position after `afterSeq`, in archive order. */
  readEvents(archiveName: string, from: number, to: number, afterSeq: number, limit: number): Promise<ArchivedEvent[]>;
  /** How many events an archive holds and their size in bytes. */
  usage(archiveName: string): Promise<{ count: number; bytes: number }>;
  /** Drops an archive's events archived before `before` (epoch ms of their time); how many. */
  trim(archiveName: string, before: number): Promise<number>;

  /** False if the name is taken. */
  createReplay(replay: ReplayRecord): Promise<boolean>;
  getReplay(name: string): Promise<ReplayRecord | undefined>;
  /** Replays whose names start with `prefix`, ascending, strictly after `after`. */
  listReplays(prefix: string, after: string | undefined, limit: number): Promise<ReplayRecord[]>;
  /** Replaces a replay whose stored revision is `replay.revision - 1`; false if it changed. */
  updateReplay(replay: ReplayRecord): Promise<boolean>;
}
