/** CloudWatch Logs on the one router: its model and every handler, from the log store and the sinks that write to it. */
import { typedHandlers, type ServiceBinding } from '../../../api/service.js';
import type { Clock } from '../../../lib/clock.js';
import type { LogFilterStore } from '../../../storage/log-filter-repo.js';
import type { LogRepo } from '../../../storage/store.js';
import type { LogRetention } from '../../../telemetry/log-retention.js';
import type { BufferedLogSink } from '../../../telemetry/log-sink.js';
import type { Account } from '../../../wire/arn.js';
import { logsServiceModel } from '../../../wire/model.js';
import type { LogFilterSink } from '../filter-sink.js';
import type { LambdaDestinations } from '../lambda-destination.js';
import { groupKey, isValidGroupName } from '../group-names.js';
import { filterPrefix } from '../model.js';
import { logGroupHandlers } from './groups.js';
import { logsHandlers } from './logs.js';
import { metricFilterHandlers } from './metric-filters.js';
import { subscriptionFilterHandlers } from './subscription-filters.js';
import { insightsHandlers } from './insights.js';
import { InsightsQueries } from '../insights/queries.js';
import type { Logger } from '../../../lib/logger.js';
import { logStreamHandlers } from './streams.js';
import type { LiveTails } from '../live-tail.js';
import { liveTailHandlers } from './live-tail.js';
import { resourcePolicyHandlers } from './resource-policies.js';
import type { DocumentRepo } from '../../../storage/store.js';
import type { LogResourcePolicyRecord } from '../model.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

export interface LogsDeps {
  repo: LogRepo;
  filters: LogFilterStore;
  /** Account-level resource policies (stored, not enforced). */
  resourcePolicies: DocumentRepo<LogResourcePolicyRecord>;
  /** Where written events go: the filters, then the buffer. */
  sink: LogFilterSink;
  /** The buffer in front of the store, flushed before reads. */
  buffered: BufferedLogSink;
  retention: LogRetention;
  /** Subscription filters' destinations. */
  destinations: LambdaDestinations;
  /** Live Tail sessions, ended when the server stops. */
  liveTails: LiveTails;
  clock: Clock;
  account: Account;
  logger: Logger;
}

export function logsBinding(d: LogsDeps): ServiceBinding {
  const flush = () => d.buffered.flush();
  const groups = logGroupHandlers(d.repo, d.buffered, d.clock, d.account);
  const deleteGroup = typedHandlers<LogsInputs>({
    async DeleteLogGroup(input, ctx) {
      const out = await groups['DeleteLogGroup']!(input, ctx);
      // A group made again under the same name starts without the old group's filters, as on AWS.
      if (isValidGroupName(input.logGroupName)) await forgetFilters(d, groupKey(input.logGroupName));
      return out;
    },
  });
  return {
    models: [logsServiceModel],
    handlers: {
      ...logsHandlers(d.repo, d.buffered, d.retention, d.account),
      ...groups,
      ...deleteGroup,
      ...logStreamHandlers(d.repo, d.sink, d.buffered, d.clock),
      ...metricFilterHandlers(d.repo, d.filters, d.sink, flush, d.clock),
      ...subscriptionFilterHandlers(d.repo, d.filters, d.sink, d.destinations, flush, d.clock, d.account),
      ...liveTailHandlers(d.repo, d.liveTails, flush),
      ...resourcePolicyHandlers(d.resourcePolicies, d.clock),
      ...insightsHandlers(d.repo, new InsightsQueries(d.repo, flush, d.clock, d.account.accountId, d.logger), flush),
    },
  };
}

async function forgetFilters(d: LogsDeps, group: string): Promise<void> {
  for (const repo of [d.filters.metricFilters, d.filters.subscriptionFilters] as const) {
    for (;;) {
      const page = await repo.list(filterPrefix(group), undefined, 100);
      for (const r of page) await repo.delete(`${r.value.group}:${r.value.filterName}`);
      if (page.length < 100) break;
    }
  }
  await d.sink.reload(group);
}
