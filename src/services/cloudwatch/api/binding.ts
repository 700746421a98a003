/** The CloudWatch service binding: metrics and alarms, the same handlers behind JSON (current clients), query (older ones) and RPC v2 CBOR. */
import type { AlarmService } from '../../../alarms/alarm-service.js';
import type { Clock } from '../../../lib/clock.js';
import type { MetricSource } from '../../../telemetry/cloudwatch/metric-source.js';
import type { PublishedMetrics } from '../../../telemetry/cloudwatch/published-metrics.js';
import type { Account } from '../../../wire/arn.js';
import { cloudwatchCborServiceModel, cloudwatchQueryServiceModel, cloudwatchServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import { alarmHandlers } from './alarms.js';
import { alarmTagHandlers } from './tags.js';
import { metricHandlers } from './metrics.js';

export interface CloudWatchDeps {
  published: PublishedMetrics;
  source: MetricSource;
  alarms: AlarmService;
  account: Account;
  clock: Clock;
}

export function cloudwatchBinding(d: CloudWatchDeps): ServiceBinding {
  return {
    models: [cloudwatchServiceModel, cloudwatchQueryServiceModel, cloudwatchCborServiceModel],
    handlers: { ...metricHandlers(d.published, d.source, d.clock), ...alarmHandlers(d.alarms, d.account), ...alarmTagHandlers(d.alarms, d.account) },
  };
}
