/** Scheduler's tagging operations: only schedule groups take tags, as in EventBridge Scheduler. Parse, call the schedule service, render. */
import type { ScheduleService } from '../schedule-service.js';
import type { Account } from '../../../wire/arn.js';
import { SchedulerErrors } from '../../../wire/errors.js';
import { arnTagHandlers } from '../../../api/arn-tag-handlers.js';
import type { OperationHandler } from '../../../api/service.js';

export function groupTagHandlers(schedules: ScheduleService, account: Account): Record<string, OperationHandler> {
  const prefix = `arn:aws:scheduler:${account.region}:${account.accountId}:schedule-group/`;
  const groupOf = (arn: string): string => {
    if (!arn.startsWith(prefix)) throw SchedulerErrors.validation(`${arn} is not the ARN of a schedule group: only schedule groups take tags.`);
    return arn.slice(prefix.length);
  };
  return arnTagHandlers('ResourceArn', {
    change: (arn, add, remove) => schedules.tagGroup(groupOf(arn), add, remove),
    list: async (arn) => (await schedules.group(groupOf(arn))).tags,
  });
}
