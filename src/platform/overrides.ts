/** What tests (and embedders) may swap when starting the platform: time, logging, the process launcher. */
import type { ProcessLauncher } from '../environments/launcher.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

export interface PlatformOverrides {
  clock?: Clock;
  logger?: Logger;
  launcher?: ProcessLauncher;
  /** Time for gradual deployments alone, so tests step through their minutes. */
  deploymentClock?: Clock;
  /** Time for alarm evaluation alone, so tests step through its minutes. */
  alarmClock?: Clock;
  /** Time for secrets alone (rotation schedules, recovery windows, key deletion), so tests step through days. */
  vaultClock?: Clock;
  /** Time for DynamoDB alone (TTL expiry, stream retention), so tests step through it. */
  dynamodbClock?: Clock;
  /**
   * Time for S3 alone (objects' and versions' times, lifecycle sweeps), so tests step through rules' days:
   * one clock for both, or an object's age would depend on how far earlier tests moved the sweeps' clock.
   */
  s3Clock?: Clock;
  /** Time for schedules alone (scheduled rules, Scheduler), so tests step through their minutes. */
  scheduleClock?: Clock;
  /** Time for API Gateway alone (usage plan throttles and quotas, authorizer caches, WebSocket idle and duration limits), so tests step through it. */
  apigatewayClock?: Clock;
  /** Time for Kinesis alone (retention, iterator expiry, throughput seconds), so tests step through hours. */
  kinesisClock?: Clock;
  /** Time for CloudFormation alone (custom resource timeouts), so tests step through an hour. */
  cloudformationClock?: Clock;
}
