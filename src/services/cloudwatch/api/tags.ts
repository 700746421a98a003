/** CloudWatch's tagging operations, on alarms named by ARN: parse, call the alarm service, render. */
import type { AlarmService } from '../../../alarms/alarm-service.js';
import type { CompositeAlarmService } from '../../../alarms/composite-service.js';
import type { Account } from '../../../wire/arn.js';
import { CloudWatchErrors } from '../../../wire/errors.js';
import { arnTagHandlers } from '../../../api/arn-tag-handlers.js';
import type { OperationHandler } from '../../../api/service.js';

export function alarmTagHandlers(alarms: AlarmService, composites: CompositeAlarmService, account: Account): Record<string, OperationHandler> {
  const prefix = `arn:aws:cloudwatch:${account.region}:${account.accountId}:alarm:`;
  const tag = async (arn: string, add: Record<string, string>, remove: readonly string[]) => {
    const name = arn.slice(prefix.length);
    const found = arn.startsWith(prefix) ? ((await alarms.tag(name, add, remove)) ?? (await composites.tag(name, add, remove))) : undefined;
    if (!found) throw CloudWatchErrors.taggedResourceNotFound(arn);
    return found;
  };
  return arnTagHandlers('ResourceARN', { change: tag, list: async (arn) => (await tag(arn, {}, [])).tags });
}
