/** The CloudWatch service binding: metrics and alarms, the same handlers behind JSON (current clients), query (older ones) and RPC v2 CBOR. */
import type { AlarmService } from '../../../alarms/alarm-service.js';
import type { CompositeAlarmService } from '../../../alarms/composite-service.js';
import type { DashboardRecord } from '../../../domain/dashboard.js';
import type { DocumentRepo } from '../../../storage/store.js';
import type { Clock } from '../../../lib/clock.js';
import type { MetricSource } from '../../../telemetry/cloudwatch/metric-source.js';
import type { PublishedMetrics } from '../../../telemetry/cloudwatch/published-metrics.js';
import type { Account } from '../../../wire/arn.js';
import { cloudwatchCborServiceModel, cloudwatchQueryServiceModel, cloudwatchServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import { alarmHandlers } from './alarms.js';
import { compositeAlarmHandlers } from './composite-alarms.js';
import { dashboardHandlers } from './dashboards.js';
import { alarmTagHandlers } from './tags.js';
import { metricHandlers } from './metrics.js';

export interface CloudWatchDeps {
  published: PublishedMetrics;
  source: MetricSource;
  alarms: AlarmService;
  composites: CompositeAlarmService;
  dashboards: DocumentRepo<DashboardRecord>;
  account: Account;
  clock: Clock;
}

export function cloudwatchBinding(d: CloudWatchDeps): ServiceBinding {
  return {
    models: [cloudwatchServiceModel, cloudwatchQueryServiceModel, cloudwatchCborServiceModel],
    handlers: {
      ...metricHandlers(d.published, d.source, d.clock),
      ...alarmHandlers(d.alarms, d.composites, d.account),
      ...compositeAlarmHandlers(d.composites),
      ...alarmTagHandlers(d.alarms, d.composites, d.account),
      ...dashboardHandlers(d.dashboards, d.clock, d.account),
    },
  };
}
