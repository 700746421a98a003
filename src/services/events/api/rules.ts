/** EventBridge rule and target operations: parse, call the rule service, render. */
import type { EventSystem } from '../event-system.js';
import { DEFAULT_BUS, RuleStateSchema } from '../model.js';
import { eventBusNameOf, type Account } from '../../../wire/arn.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { parseTarget, renderRule, renderTarget } from './render.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';

const busOf = (i: { EventBusName?: string }) => eventBusNameOf(i.EventBusName ?? DEFAULT_BUS);

export function ruleHandlers(events: EventSystem, account: Account): Record<string, OperationHandler> {
  const { rules } = events;
  return typedHandlers<EventsInputs>({
    async PutRule(i) {
      const state = i.State === undefined ? undefined : RuleStateSchema.safeParse(i.State);
      if (state && !state.success) throw ProtocolErrors.notImplemented(`PutRule with State ${i.State}`);
      const rule = await rules.put({
        busName: busOf(i),
        name: i.Name,
        eventPattern: i.EventPattern,
        scheduleExpression: i.ScheduleExpression,
        state: state?.data,
        description: i.Description,
        roleArn: i.RoleArn,
        tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])),
      });
      return { RuleArn: rules.arn(rule) };
    },

    async DescribeRule(i) {
      const rule = await rules.get(busOf(i), i.Name);
      return renderRule(rule, rules.arn(rule), account.accountId);
    },

    async ListRules(i) {
      const page = await rules.list(busOf(i), i.NamePrefix ?? '', i.Limit, i.NextToken);
      return { Rules: page.items.map((r) => renderRule(r, rules.arn(r), account.accountId)), NextToken: page.nextToken };
    },

    async DeleteRule(i) {
      await rules.delete(busOf(i), i.Name);
      return {};
    },

    async EnableRule(i) {
      await rules.setState(busOf(i), i.Name, 'ENABLED');
      return {};
    },

    async DisableRule(i) {
      await rules.setState(busOf(i), i.Name, 'DISABLED');
      return {};
    },

    async PutTargets(i) {
      const parsed = i.Targets.map(parseTarget);
      const failed = parsed.flatMap((p) => (p.ok ? [] : [{ TargetId: p.id, ErrorCode: 'ValidationException', ErrorMessage: p.message }]));
      const failures = await rules.putTargets(busOf(i), i.Rule, parsed.flatMap((p) => (p.ok ? [p.target] : [])));
      const all = [...failed, ...failures.map((f) => ({ TargetId: f.targetId, ErrorCode: f.errorCode, ErrorMessage: f.errorMessage }))];
      return { FailedEntryCount: all.length, FailedEntries: all };
    },

    async RemoveTargets(i) {
      await rules.removeTargets(busOf(i), i.Rule, i.Ids);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async ListTargetsByRule(i) {
      const rule = await rules.get(busOf(i), i.Rule);
      const start = i.NextToken === undefined ? 0 : Number(i.NextToken);
      if (!Number.isInteger(start) || start < 0) throw ProtocolErrors.validation('The NextToken is not valid.');
      const end = start + (i.Limit ?? 100);
      return { Targets: rule.targets.slice(start, end).map(renderTarget), NextToken: end < rule.targets.length ? String(end) : undefined };
    },
  });
}
