/** Scheduler's tagging operations: only schedule groups take tags, as in EventBridge Scheduler. Parse, call the schedule service, render. */
import type { ScheduleService } from '../schedule-service.js';
import type { Account } from '../../../wire/arn.js';
import { SchedulerErrors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

type WireTag = { Key: string; Value: string };

export function groupTagHandlers(schedules: ScheduleService, account: Account): Record<string, OperationHandler> {
  const prefix = `arn:aws:scheduler:${account.region}:${account.accountId}:schedule-group/`;
  const groupOf = (arn: string): string => {
    if (!arn.startsWith(prefix)) throw SchedulerErrors.validation(`${arn} is not the ARN of a schedule group: only schedule groups take tags.`);
    return arn.slice(prefix.length);
  };
  return {
    async TagResource(input) {
      const i = input as { ResourceArn: string; Tags: WireTag[] };
      await schedules.tagGroup(groupOf(i.ResourceArn), Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value])), []);
      return {};
    },
    async UntagResource(input) {
      const i = input as { ResourceArn: string; TagKeys: string[] };
      await schedules.tagGroup(groupOf(i.ResourceArn), {}, i.TagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const g = await schedules.group(groupOf((input as { ResourceArn: string }).ResourceArn));
      return { Tags: Object.entries(g.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
