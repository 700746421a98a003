/**
 * PutEvents: each entry is checked on its own (a bad entry fails alone, with EventBridge's error
 * code), wrapped in EventBridge's envelope, matched against the enabled rules of its bus, and handed
 * to target delivery. The caller's answer does not wait for deliveries, as in EventBridge.
 */
import { randomUUID } from 'node:crypto';
import { comparesNumberText, matchesPattern } from '../../event-sources/filter-pattern.js';
import { parseJsonKeepingNumbers } from '../../event-sources/json-numbers.js';
import type { Clock } from '../../lib/clock.js';
import type { Account } from '../../wire/arn.js';
import { isResourceNotFound, ProtocolErrors } from '../../wire/errors.js';
import type { ArchiveService } from './archive-service.js';
import type { BusService } from './bus-service.js';
import type { EventCounters } from './counters.js';
import { DEFAULT_BUS, type EventEnvelope, type RuleRecord } from './model.js';
import type { RuleService } from './rule-service.js';
import type { TargetDelivery } from './target-delivery.js';

/** What event buses accept in one PutEvents, counted by EventBridge's entry-size rule. */
export const MAX_PUT_EVENTS_BYTES = 1024 * 1024;

export interface EventEntry {
  /** Epoch ms; the time of the call when absent. */
  time?: number | undefined;
  source?: string | undefined;
  detailType?: string | undefined;
  detail?: string | undefined;
  resources?: string[] | undefined;
  busName?: string | undefined;
}

export type EntryResult = { ok: true; eventId: string } | { ok: false; errorCode: string; errorMessage: string };

/**
 * EventBridge's rule: the UTF-8 bytes of Source, DetailType, Detail and each resource, plus 14 bytes
 * for a Time.
 */
export function entrySize(e: EventEntry): number {
  const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (e.time !== undefined ? 14 : 0) + bytes(e.source) + bytes(e.detailType) + bytes(e.detail) + (e.resources ?? []).reduce((n, r) => n + bytes(r), 0);
}

export class EventIngest {
  constructor(
    private readonly d: {
      buses: BusService;
      rules: RuleService;
      delivery: TargetDelivery;
      archives: ArchiveService;
      counters: EventCounters;
      clock: Clock;
      account: Account;
    },
  ) {}

  async put(entries: readonly EventEntry[]): Promise<EntryResult[]> {
    const total = entries.reduce((n, e) => n + entrySize(e), 0);
    if (total > MAX_PUT_EVENTS_BYTES) throw ProtocolErrors.validation('Total size of the entries in the request is over the limit.');
    const rulesByBus = new Map<string, Promise<RuleRecord[] | undefined>>();
    const rulesOf = (bus: string) => {
      let p = rulesByBus.get(bus);
      if (!p) {
        p = this.d.buses.get(bus).then(
          () => this.d.rules.enabledRules(bus),
          (err: unknown) => {
            if (isResourceNotFound(err)) return undefined;
            throw err;
          },
        );
        rulesByBus.set(bus, p);
      }
      return p;
    };
    const results: EntryResult[] = [];
    const accepted = new Map<string, EventEnvelope[]>();
    for (const entry of entries) {
      const problem = entryProblem(entry);
      if (problem) {
        results.push({ ok: false, errorCode: 'InvalidArgument', errorMessage: problem });
        continue;
      }
      const bus = entry.busName ?? DEFAULT_BUS;
      const rules = await rulesOf(bus);
      if (!rules) {
        results.push({ ok: false, errorCode: 'ResourceNotFoundException', errorMessage: `Event bus ${bus} does not exist.` });
        continue;
      }
      const now = this.d.clock.now();
      const event: EventEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.detailType!,
        source: entry.source!,
        account: this.d.account.accountId,
        time: isoSeconds(entry.time ?? now),
        region: this.d.account.region,
        resources: entry.resources ?? [],
        detail: JSON.parse(entry.detail!),
      };
      // Patterns compare exact numbers by the text the caller wrote: those match against the detail as sent.
      let asSent: unknown;
      this.route(event, rules, now, () => (asSent ??= Object.assign({}, event, { detail: parseJsonKeepingNumbers(entry.detail!) })));
      accepted.set(bus, [...(accepted.get(bus) ?? []), event]);
      results.push({ ok: true, eventId: event.id });
    }
    for (const [bus, events] of accepted) await this.d.archives.keep(bus, events);
    return results;
  }

  /**
   * An event that reaches a bus from elsewhere (another bus's rule, a replay): kept by the bus's
   * archives unless replayed, and routed to the enabled rules that `accepts` lets through.
   */
  async deliver(event: EventEnvelope, busName: string, accepts: (ruleArn: string) => boolean = () => true): Promise<void> {
    await this.d.buses.get(busName);
    const rules = await this.d.rules.enabledRules(busName);
    this.route(event, rules.filter((r) => accepts(this.d.rules.arn(r))), this.d.clock.now());
    await this.d.archives.keep(busName, [event]);
  }

  /** Whether the pattern matches the event (TestEventPattern). */
  test(pattern: string, eventJson: string): boolean {
    const compiled = this.d.rules.pattern(pattern);
    let event: unknown;
    try {
      event = parseJsonKeepingNumbers(eventJson);
    } catch {
      throw ProtocolErrors.validation('Parameter Event is not valid.');
    }
    const e = event as Record<string, unknown>;
    // The fields TestEventPattern's reference calls mandatory: resources among them, as a list.
    const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
    if (typeof e !== 'object' || e === null || Array.isArray(e) || required.some((k) => typeof e[k] !== 'string') || !Array.isArray(e['resources'])) {
      throw ProtocolErrors.validation('Parameter Event is not valid.');
    }
    return matchesPattern(compiled, event);
  }

  /** `asSent`: the event with its numbers' text, for the patterns that compare it (parsed only if one does). */
  private route(event: EventEnvelope, rules: readonly RuleRecord[], ingestedAt: number, asSent: () => unknown = () => event): void {
    for (const rule of rules) {
      if (rule.eventPattern === undefined) continue;
      const pattern = this.d.rules.pattern(rule.eventPattern);
      if (!matchesPattern(pattern, comparesNumberText(pattern) ? asSent() : event)) continue;
      const ruleArn = this.d.rules.arn(rule);
      this.d.counters.matched(ruleArn);
      for (const target of rule.targets) this.d.delivery.submit({ event, target, rule: { ruleArn, ruleName: rule.name, ingestedAt } });
    }
  }
}

function entryProblem(e: EventEntry): string | undefined {
  if (!e.source) return 'Parameter Source is not valid. Reason: Source is a required argument.';
  if (!e.detailType) return 'Parameter DetailType is not valid. Reason: DetailType is a required argument.';
  if (e.detail === undefined) return 'Parameter Detail is not valid. Reason: Detail is a required argument.';
  let detail: unknown;
  try {
    detail = JSON.parse(e.detail);
  } catch {
    return 'Detail is malformed.';
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return 'Detail is malformed.';
  return undefined;
}

/** EventBridge's `time`: ISO 8601 to the second, in UTC. */
const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
