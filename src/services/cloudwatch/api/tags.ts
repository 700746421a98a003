/** CloudWatch's tagging operations, on alarms named by ARN: parse, call the alarm service, render. */
import type { AlarmService } from '../../../alarms/alarm-service.js';
import type { Account } from '../../../wire/arn.js';
import { CloudWatchErrors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

type WireTag = { Key: string; Value: string };

export function alarmTagHandlers(alarms: AlarmService, account: Account): Record<string, OperationHandler> {
  const prefix = `arn:aws:cloudwatch:${account.region}:${account.accountId}:alarm:`;
  const tag = async (arn: string, add: Record<string, string>, remove: readonly string[]) => {
    const found = arn.startsWith(prefix) ? await alarms.tag(arn.slice(prefix.length), add, remove) : undefined;
    if (!found) throw CloudWatchErrors.taggedResourceNotFound(arn);
    return found;
  };
  return {
    async TagResource(input) {
      const i = input as { ResourceARN: string; Tags: WireTag[] };
      await tag(i.ResourceARN, Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value])), []);
      return {};
    },
    async UntagResource(input) {
      const i = input as { ResourceARN: string; TagKeys: string[] };
      await tag(i.ResourceARN, {}, i.TagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const found = await tag((input as { ResourceARN: string }).ResourceARN, {}, []);
      return { Tags: Object.entries(found.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
