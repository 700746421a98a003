/**
 * Selfless's own routes (not an AWS API) behind `selfless events` and `selfless schedules`: every rule
 * with its match and delivery counts, every schedule (scheduled rules and Scheduler's) with its next
 * fire time and last result.
 */
import type { FastifyInstance } from 'fastify';
import type { EventSystem } from '../services/events/event-system.js';
import type { RuleRecord } from '../services/events/model.js';
import { ruleScheduleKey } from '../services/events/scheduled-rules.js';
import type { ScheduleService } from '../services/scheduler/schedule-service.js';
import { scheduleKey } from '../services/scheduler/schedule-service.js';
import type { ScheduleStateRepo } from '../storage/store.js';
import { sendAdminError } from './admin-errors.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

async function allRules(events: EventSystem): Promise<RuleRecord[]> {
  const out: RuleRecord[] = [];
  let busToken: string | undefined;
  do {
    const buses = await events.buses.list('', 100, busToken);
    for (const bus of buses.items) {
      let token: string | undefined;
      do {
        const page = await events.rules.list(bus.name, '', 100, token);
        out.push(...page.items);
        token = page.nextToken;
      } while (token);
    }
    busToken = buses.nextToken;
  } while (busToken);
  return out;
}

export function eventsAdminRoutes(events: EventSystem, scheduler: ScheduleService, states: ScheduleStateRepo) {
  return (app: FastifyInstance): void => {
    app.get('/_selfless/event-rules', async (_req, reply) => {
      try {
        const rules = await allRules(events);
        return {
          Rules: rules.map((r) => {
            const arn = events.rules.arn(r);
            const c = events.counters.get(arn);
            return {
              EventBusName: r.busName,
              Name: r.name,
              Arn: arn,
              State: r.state,
              EventPattern: r.eventPattern ?? null,
              ScheduleExpression: r.scheduleExpression ?? null,
              Targets: r.targets.length,
              Matched: c.matched,
              Delivered: c.delivered,
              Failed: c.failed,
            };
          }),
        };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });

    app.get('/_selfless/schedules', async (_req, reply) => {
      try {
        const rows: Record<string, unknown>[] = [];
        for (const r of await allRules(events)) {
          if (!r.scheduleExpression) continue;
          const state = await states.get(ruleScheduleKey(r.busName, r.name));
          rows.push({
            Kind: 'rule',
            Name: `${r.busName}/${r.name}`,
            ScheduleExpression: r.scheduleExpression,
            Timezone: 'UTC',
            State: r.state,
            NextFireTime: iso(events.scheduled.nextFireTime(r.busName, r.name)),
            LastOccurrence: iso(state?.lastOccurrence),
            LastResult: state?.lastResult ?? null,
            Fired: state?.fired ?? 0,
            Skipped: state?.skipped ?? 0,
          });
        }
        let token: string | undefined;
        do {
          const page = await scheduler.list(undefined, '', undefined, 100, token);
          for (const s of page.items) {
            const state = await states.get(scheduleKey(s.groupName, s.name));
            rows.push({
              Kind: 'schedule',
              Name: `${s.groupName}/${s.name}`,
              ScheduleExpression: s.expression,
              Timezone: s.timezone,
              State: s.state,
              NextFireTime: iso(scheduler.nextFireTime(s)),
              LastOccurrence: iso(state?.lastOccurrence),
              LastResult: state?.lastResult ?? null,
              Fired: state?.fired ?? 0,
              Skipped: state?.skipped ?? 0,
            });
          }
          token = page.nextToken;
        } while (token);
        return { Schedules: rows };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });
  };
}
