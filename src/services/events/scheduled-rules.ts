/**
 * Scheduled rules (`rate()` and `cron()` in UTC, on the default bus): each enabled one is a job of the
 * scheduling core; an occurrence becomes EventBridge's `Scheduled Event` for the rule's targets.
 */
import { randomUUID } from 'node:crypto';
import { parseExpression } from '../../schedules/expression.js';
import type { ScheduleSource } from '../../schedules/leased-scheduling.js';
import type { SchedulingCore } from '../../schedules/scheduling-core.js';
import type { ScheduleStateRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import type { EventCounters } from './counters.js';
import { DEFAULT_BUS, type EventEnvelope, type RuleRecord } from './model.js';
import type { RuleService } from './rule-service.js';
import type { TargetDelivery } from './target-delivery.js';

export const ruleScheduleKey = (busName: string, name: string): string => `rule:${busName}/${name}`;

/** What of a rule its schedule depends on (its targets are read as it fires). */
const fingerprint = (rule: RuleRecord): string => JSON.stringify([rule.scheduleExpression, rule.state, rule.createdAt]);

export class ScheduledRules implements ScheduleSource {
  /** Each scheduled rule's fingerprint as last given to the core, to tell which the store has changed since. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly d: {
      core: SchedulingCore;
      states: ScheduleStateRepo;
      rules: RuleService;
      delivery: TargetDelivery;
      counters: EventCounters;
      account: Account;
    },
  ) {}

  /** Watches every scheduled rule; then follows changes. */
  async start(): Promise<void> {
    this.d.rules.onChange((busName, name, rule) => this.sync(busName, name, rule));
    await this.reload(true);
  }

  /** Brings the core in line with the store: scheduled rules other nodes of a fleet put, changed or deleted. */
  async reload(all: boolean): Promise<void> {
    const before = new Set(this.known.keys());
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.d.rules.list(DEFAULT_BUS, '', 100, token);
      for (const rule of page.items) {
        const key = ruleScheduleKey(rule.busName, rule.name);
        seen.add(key);
        if (all || this.known.get(key) !== fingerprint(rule)) await this.sync(rule.busName, rule.name, rule);
      }
      token = page.nextToken;
    } while (token);
    // Only those known before the listing: one put here meanwhile is not in it.
    for (const key of before) {
      if (seen.has(key) || !this.known.has(key)) continue;
      this.known.delete(key);
      this.d.core.remove(key);
    }
  }

  private async sync(busName: string, name: string, rule: RuleRecord | undefined): Promise<void> {
    const key = ruleScheduleKey(busName, name);
    if (rule) this.known.set(key, fingerprint(rule));
    else this.known.delete(key);
    if (!rule?.scheduleExpression || rule.state !== 'ENABLED') {
      this.d.core.remove(key);
      if (!rule) await this.d.states.delete(key);
      return;
    }
    await this.d.core.add({
      key,
      expression: parseExpression(rule.scheduleExpression, { allowAt: false }),
      zone: 'UTC',
      anchor: rule.createdAt,
      flexibleWindowMs: 0,
      fire: (occurrence) => this.fire(busName, name, occurrence),
    });
  }

  private async fire(busName: string, name: string, occurrence: number): Promise<string> {
    // Targets as they are now, not as they were when the rule was scheduled.
    const rule = await this.d.rules.get(busName, name);
    const ruleArn = this.d.rules.arn(rule);
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.d.account.accountId,
      time: new Date(Math.floor(occurrence / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      region: this.d.account.region,
      resources: [ruleArn],
      detail: {},
    };
    this.d.counters.matched(ruleArn);
    for (const target of rule.targets) this.d.delivery.submit({ event, target, rule: { ruleArn, ruleName: rule.name, ingestedAt: occurrence } });
    return `sent to ${rule.targets.length} target(s)`;
  }

  nextFireTime(busName: string, name: string): number | undefined {
    return this.d.core.nextFireTime(ruleScheduleKey(busName, name));
  }
}
