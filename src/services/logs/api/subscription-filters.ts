/** PutSubscriptionFilter, DescribeSubscriptionFilters and DeleteSubscriptionFilter, to Lambda functions. */
import type { Clock } from '../../../lib/clock.js';
import type { LogFilterStore } from '../../../storage/log-filter-repo.js';
import type { LogRepo } from '../../../storage/store.js';
import { logGroupArn, type Account } from '../../../wire/arn.js';
import { LogsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogFilterSink } from '../filter-sink.js';
import { groupKey, groupName } from '../group-names.js';
import type { LambdaDestinations } from '../lambda-destination.js';
import { filterKey, filterPrefix, type SubscriptionFilterRecord } from '../model.js';
import { checkPattern, existingGroupKey } from './metric-filters.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

/** CloudWatch Logs allows two subscription filters on a log group. */
const MAX_SUBSCRIPTION_FILTERS = 2;

const wire = (r: SubscriptionFilterRecord) => ({
  filterName: r.filterName,
  logGroupName: groupName(r.group),
  filterPattern: r.filterPattern,
  destinationArn: r.destinationArn,
  distribution: r.distribution,
  roleArn: r.roleArn,
  creationTime: r.creationTime,
});

export function subscriptionFilterHandlers(
  repo: LogRepo,
  filters: LogFilterStore,
  sink: LogFilterSink,
  destinations: LambdaDestinations,
  flush: () => Promise<void>,
  clock: Clock,
  account: Account,
): Record<string, OperationHandler> {
  return typedHandlers<LogsInputs>({
    async PutSubscriptionFilter(i) {
      checkPattern(i.filterPattern);
      const group = await existingGroupKey(repo, i.logGroupName, flush);
      const own = await destinations.check(i.destinationArn, logGroupArn(account, groupName(group)));
      // Each delivery makes the function log, which its own filter would deliver again, for ever.
      if (groupKey(own) === group) {
        throw LogsErrors.invalidParameter(`A function cannot subscribe to its own log group (${groupName(group)}): each delivery would log and be delivered again.`);
      }
      const key = filterKey(group, i.filterName);
      const record: SubscriptionFilterRecord = {
        group,
        filterName: i.filterName,
        filterPattern: i.filterPattern,
        destinationArn: i.destinationArn,
        distribution: i.distribution ?? 'ByLogStream',
        ...(i.roleArn !== undefined ? { roleArn: i.roleArn } : {}),
        creationTime: clock.now(),
      };
      for (;;) {
        const current = await filters.subscriptionFilters.get(key);
        if (current) {
          if (await filters.subscriptionFilters.update(key, { ...record, creationTime: current.value.creationTime }, current.revision)) break;
        } else {
          if ((await filters.subscriptionFilters.list(filterPrefix(group), undefined, MAX_SUBSCRIPTION_FILTERS)).length >= MAX_SUBSCRIPTION_FILTERS) {
            throw LogsErrors.limitExceeded('Resource limit exceeded.');
          }
          if (await filters.subscriptionFilters.create(key, record)) break;
        }
      }
      await sink.reload(group);
      return {};
    },

    async DeleteSubscriptionFilter(i) {
      const group = await existingGroupKey(repo, i.logGroupName, flush);
      if (!(await filters.subscriptionFilters.delete(filterKey(group, i.filterName)))) throw LogsErrors.resourceNotFound('The specified subscription filter does not exist.');
      await sink.reload(group);
      return {};
    },

    async DescribeSubscriptionFilters(i) {
      const group = await existingGroupKey(repo, i.logGroupName, flush);
      const limit = Math.min(i.limit ?? 50, 50);
      const page = await filters.subscriptionFilters.list(filterPrefix(group) + (i.filterNamePrefix ?? ''), i.nextToken, limit + 1);
      const shown = page.slice(0, limit).map((r) => r.value);
      const last = shown[shown.length - 1];
      return { subscriptionFilters: shown.map(wire), nextToken: page.length > limit && last ? filterKey(last.group, last.filterName) : undefined };
    },
  });
}
