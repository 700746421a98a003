/**
 * Runs an alarm's actions on a change of state: a queue of the built-in queue service, a function
 * (invoked asynchronously) or a webhook. Failures are logged, never thrown.
 */
import type { Destinations } from '../async/destinations.js';
import { parseDestination } from '../async/destinations.js';
import type { Logger } from '../lib/logger.js';
import type { Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import type { CompositeAlarmDefinition } from './composite-model.js';
import type { AlarmDefinition, AlarmState } from './model.js';

const WEBHOOK_TIMEOUT_MS = 5000;

/** Refuses an action Selfless cannot deliver to. */
export function checkAction(action: string, account: Account): void {
  if (/^https?:\/\//.test(action)) {
    try {
      new URL(action);
      return;
    } catch {
      throw Errors.invalidParameter(`The action ${action} is not a valid URL.`);
    }
  }
  parseDestination(action, account);
}

/** What every alarm's message says of its change of state. */
function changeFields(a: { name: string; description?: string | undefined }, change: { oldState: AlarmState; newState: AlarmState; reason: string; at: number }, account: Account) {
  return {
    AlarmName: a.name,
    AlarmDescription: a.description ?? null,
    AWSAccountId: account.accountId,
    Region: account.region,
    NewStateValue: change.newState,
    OldStateValue: change.oldState,
    NewStateReason: change.reason,
    StateChangeTime: new Date(change.at).toISOString().replace('Z', '+0000'),
  };
}

/** The message CloudWatch sends on a change of state. */
export function alarmMessage(a: AlarmDefinition, change: { oldState: AlarmState; newState: AlarmState; reason: string; at: number }, account: Account) {
  const dimensions = [{ name: 'FunctionName', value: a.functionName }];
  if (a.dimension.kind === 'version') dimensions.push({ name: 'ExecutedVersion', value: a.dimension.value });
  if (a.dimension.kind === 'alias') dimensions.push({ name: 'Resource', value: `${a.functionName}:${a.dimension.value}` });
  const percentile = /^p\d+$/.test(a.statistic);
  return {
    ...changeFields(a, change, account),
    Trigger: {
      MetricName: a.metric,
      Namespace: 'AWS/Lambda',
      Dimensions: dimensions,
      ...(percentile ? { ExtendedStatistic: a.statistic } : { Statistic: a.statistic.toUpperCase().replace('SAMPLECOUNT', 'SAMPLE_COUNT') }),
      Period: a.periodSeconds,
      EvaluationPeriods: a.evaluationPeriods,
      DatapointsToAlarm: a.datapointsToAlarm,
      ComparisonOperator: a.comparisonOperator,
      Threshold: a.threshold,
      TreatMissingData: a.treatMissingData,
    },
  };
}

/** The message CloudWatch sends on a composite alarm's change of state: its rule instead of a trigger. */
export function compositeAlarmMessage(
  a: CompositeAlarmDefinition,
  change: { oldState: AlarmState; newState: AlarmState; reason: string; at: number; arn: string },
  account: Account,
) {
  return { ...changeFields(a, change, account), AlarmArn: change.arn, AlarmRule: a.rule };
}

export class AlarmActions {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly destinations: Pick<Destinations, 'deliver'>,
    private readonly logger: Logger,
  ) {}

  /** Starts the actions; they run in the background so that evaluation never waits on a webhook. */
  run(actions: readonly string[], message: unknown): void {
    for (const action of actions) {
      const p = this.one(action, message).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  /** Waits for the actions under way (each is bounded by its own timeout). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async one(action: string, message: unknown): Promise<void> {
    if (!/^https?:\/\//.test(action)) {
      await this.destinations.deliver(action, message); // logs its own failures
      return;
    }
    try {
      const res = await fetch(action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'selfless-alarms' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (!res.ok) this.logger.warn('alarm webhook answered with an error', { url: action, status: res.status });
    } catch (err) {
      this.logger.warn('alarm webhook failed', { url: action, error: (err as Error).message });
    }
  }
}
