/**
 * CloudWatch's alarm operations over Selfless's alarms, which watch one `AWS/Lambda` metric of a
 * function (its version or alias). Parse, call the alarm service, render.
 */
import type { AlarmService } from '../../../alarms/alarm-service.js';
import type { CompositeAlarmService } from '../../../alarms/composite-service.js';
import { parseAlarmRule, referencedAlarms } from '../../../alarms/alarm-rule.js';
import { ALARM_NAME, COMPARISONS, METRICS, MISSING_DATA, STATES, STATISTICS, type AlarmDefinition, type AlarmHistoryItem, type AlarmRecord, type AlarmState } from '../../../alarms/model.js';
import { LAMBDA_NAMESPACE, lambdaDimensions, lambdaSeries } from '../../../telemetry/cloudwatch/lambda-metrics.js';
import type { Account } from '../../../wire/arn.js';
import { AwsError, CloudWatchErrors, Errors, isResourceNotFound } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { renderComposite } from './composite-alarms.js';
import { fromWire, seconds, toMs, toWire } from './wire.js';
import type { CloudwatchInputs, PutMetricAlarmInput } from '../../../wire/inputs/cloudwatch.js';
import { present } from '../../../wire/validate.js';

const oneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T => value !== undefined && (list as readonly string[]).includes(value);
const invalid = (value: unknown, member: string, why = '') => CloudWatchErrors.invalidParameterValue(`The value ${String(value)} for parameter ${member} is invalid.${why}`);

export function alarmHandlers(alarms: AlarmService, composites: CompositeAlarmService, account: Account): Record<string, OperationHandler> {
  const arn = (name: string) => `arn:aws:cloudwatch:${account.region}:${account.accountId}:alarm:${name}`;
  const render = (r: AlarmRecord) => renderAlarm(r, arn(r.definition.name));
  return typedHandlers<CloudwatchInputs>({
    async PutMetricAlarm(i) {
      const def = toDefinition(i);
      // Metric and composite alarms share one namespace of names.
      if (await composites.find(def.name)) throw CloudWatchErrors.validation(`The alarm ${def.name} already exists as a composite alarm.`);
      try {
        await alarms.put(def, Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])));
      } catch (err) {
        // The alarm service speaks Lambda's errors (it also serves /_selfless/alarms): say them in CloudWatch's.
        if (err instanceof AwsError && err.kind === Errors.invalidParameter.kind) throw CloudWatchErrors.invalidParameterValue(err.message);
        throw err;
      }
      return {};
    },

    async DescribeAlarms(i) {
      // Without AlarmTypes, CloudWatch answers metric alarms only.
      const types = i.AlarmTypes ?? ['MetricAlarm'];
      let only: Set<string> | undefined;
      if (i.ChildrenOfAlarmName !== undefined) {
        const parent = await composites.find(i.ChildrenOfAlarmName);
        only = new Set(parent ? referencedAlarms(parseAlarmRule(parent.definition.rule)).map((r) => composites.nameOf(r)) : []);
      } else if (i.ParentsOfAlarmName !== undefined) {
        only = new Set(await composites.parentsOf(i.ParentsOfAlarmName));
      }
      const keep = (name: string, state: string, actions: readonly string[]) =>
        (only === undefined || only.has(name)) &&
        (i.AlarmNames === undefined || i.AlarmNames.includes(name)) &&
        (i.AlarmNamePrefix === undefined || name.startsWith(i.AlarmNamePrefix)) &&
        (i.StateValue === undefined || state === i.StateValue) &&
        (i.ActionPrefix === undefined || actions.some((a) => a.startsWith(i.ActionPrefix!)));
      const actionsOf = (d: { alarmActions: string[]; okActions: string[]; insufficientDataActions: string[] }) => [...d.alarmActions, ...d.okActions, ...d.insufficientDataActions];
      const metric = types.includes('MetricAlarm') ? (await alarms.list()).filter((r) => keep(r.definition.name, r.state, actionsOf(r.definition))) : [];
      const composite = types.includes('CompositeAlarm') ? (await composites.list()).filter((r) => keep(r.definition.name, r.state, actionsOf(r.definition))) : [];
      return {
        MetricAlarms: metric.sort((a, b) => a.definition.name.localeCompare(b.definition.name)).map(render),
        CompositeAlarms: composite.map((r) => renderComposite(r, arn(r.definition.name))),
      };
    },

    async DescribeAlarmHistory(i) {
      if (i.HistoryItemType !== undefined && i.HistoryItemType !== 'StateUpdate') return { AlarmHistoryItems: [] };
      // Without AlarmTypes, metric alarms only, unless AlarmName names a composite alarm.
      const compositeNamed = i.AlarmName !== undefined && (await composites.find(i.AlarmName)) !== undefined;
      const types = i.AlarmTypes ?? (compositeNamed ? ['CompositeAlarm'] : ['MetricAlarm']);
      const names = new Map<string, string>();
      if (types.includes('MetricAlarm')) for (const a of await alarms.list()) names.set(a.definition.name, 'MetricAlarm');
      if (types.includes('CompositeAlarm')) for (const a of await composites.list()) names.set(a.definition.name, 'CompositeAlarm');
      const items: (AlarmHistoryItem & { type: string })[] = [];
      for (const [name, type] of names) {
        if (i.AlarmName !== undefined && name !== i.AlarmName) continue;
        const history = type === 'MetricAlarm' ? await alarms.history(name).catch((err: unknown) => (isResourceNotFound(err) ? [] : Promise.reject(err))) : await composites.history(name);
        items.push(...history.map((h) => ({ ...h, type })));
      }
      const from = i.StartDate === undefined ? -Infinity : toMs(i.StartDate, 'StartDate');
      const to = i.EndDate === undefined ? Infinity : toMs(i.EndDate, 'EndDate');
      const ascending = i.ScanBy === 'TimestampAscending';
      const kept = items.filter((h) => h.timestamp >= from && h.timestamp <= to).sort((a, b) => (ascending ? a.timestamp - b.timestamp : b.timestamp - a.timestamp));
      return { AlarmHistoryItems: kept.slice(0, i.MaxRecords ?? 100).map((h) => renderHistory(h, h.type)) };
    },

    async DeleteAlarms(input) {
      const { AlarmNames } = input;
      const existing = new Set((await alarms.list()).map((a) => a.definition.name));
      const compositeNames = new Set((await composites.list()).map((a) => a.definition.name));
      const missing = AlarmNames.filter((n) => !existing.has(n) && !compositeNames.has(n));
      if (missing.length > 0) throw CloudWatchErrors.resourceNotFound(`Alarms not found: ${missing.join(', ')}`);
      // A composite alarm named in another composite's rule stays until that one is deleted or changed, as on CloudWatch.
      const deleting = new Set(AlarmNames);
      for (const name of AlarmNames.filter((n) => compositeNames.has(n))) {
        const parents = (await composites.parentsOf(name)).filter((p) => !deleting.has(p));
        if (parents.length > 0) throw CloudWatchErrors.validation(`The composite alarm ${name} is referenced by the composite alarm(s) ${parents.join(', ')} and cannot be deleted.`);
      }
      for (const name of AlarmNames) {
        if (existing.has(name)) await alarms.delete(name);
        else await composites.delete(name);
      }
      // Composites that named a deleted composite evaluate again: it is in no state now (the alarm service does so for metric alarms).
      for (const name of AlarmNames.filter((n) => compositeNames.has(n))) await composites.alarmChanged(name);
      return {};
    },

    async SetAlarmState(i) {
      if (i.StateReasonData !== undefined) {
        try {
          JSON.parse(i.StateReasonData);
        } catch {
          throw CloudWatchErrors.invalidFormat('StateReasonData must be JSON.');
        }
      }
      if (!oneOf(STATES, i.StateValue)) throw invalid(i.StateValue, 'StateValue');
      try {
        if (await composites.find(i.AlarmName)) await composites.setState(i.AlarmName, i.StateValue as AlarmState, i.StateReason, i.StateReasonData);
        else await alarms.setState(i.AlarmName, i.StateValue as AlarmState, i.StateReason);
      } catch (err) {
        if (isResourceNotFound(err)) throw CloudWatchErrors.resourceNotFound(`Alarm ${i.AlarmName} not found`);
        throw err;
      }
      return {};
    },
  });
}

/** What Selfless can watch: one AWS/Lambda metric of one function, version or alias. */
function toDefinition(i: PutMetricAlarmInput): AlarmDefinition {
  const evaluationPeriods = present(i.EvaluationPeriods, 'EvaluationPeriods');
  if (!ALARM_NAME.test(i.AlarmName)) throw invalid(i.AlarmName, 'AlarmName', ' It must be 1 to 255 letters, digits, dots, hyphens or underscores.');
  if (i.Metrics !== undefined) throw CloudWatchErrors.invalidParameterCombination('Selfless evaluates alarms on one metric; alarms on metric math (Metrics) are not supported.');
  if (i.Namespace !== LAMBDA_NAMESPACE) throw invalid(i.Namespace, 'Namespace', ` Selfless evaluates alarms on ${LAMBDA_NAMESPACE} metrics only.`);
  if (!oneOf(METRICS, i.MetricName)) throw invalid(i.MetricName, 'MetricName', ` Alarms can watch ${METRICS.join(', ')}.`);
  const series = lambdaSeries(fromWire(i.Dimensions));
  if (!series) throw invalid(JSON.stringify(i.Dimensions ?? []), 'Dimensions', ' Give FunctionName, alone or with Resource or ExecutedVersion.');
  const statistic = i.Statistic ?? i.ExtendedStatistic;
  if ((i.Statistic === undefined) === (i.ExtendedStatistic === undefined)) throw CloudWatchErrors.invalidParameterCombination('Exactly one of Statistic and ExtendedStatistic must be given.');
  if (!oneOf(STATISTICS, statistic)) throw invalid(statistic, i.Statistic !== undefined ? 'Statistic' : 'ExtendedStatistic');
  if (i.Period === undefined) throw CloudWatchErrors.missingParameter('The parameter Period is required.');
  if (i.Period < 60 || i.Period % 60 !== 0) throw invalid(i.Period, 'Period', ' It must be a multiple of 60.');
  if (i.Threshold === undefined) throw CloudWatchErrors.missingParameter('The parameter Threshold is required.');
  if (!oneOf(COMPARISONS, i.ComparisonOperator)) throw invalid(i.ComparisonOperator, 'ComparisonOperator');
  const treat = i.TreatMissingData ?? 'missing';
  if (!oneOf(MISSING_DATA, treat)) throw invalid(treat, 'TreatMissingData');
  const datapointsToAlarm = i.DatapointsToAlarm ?? evaluationPeriods;
  if (datapointsToAlarm > evaluationPeriods) throw invalid(datapointsToAlarm, 'DatapointsToAlarm', ' It must not be greater than EvaluationPeriods.');
  // ActionsEnabled false keeps the actions on record but runs none, as CloudWatch does.
  const actions = (list: string[] | undefined) => (i.ActionsEnabled === false ? [] : (list ?? []));
  return {
    name: i.AlarmName,
    ...(i.AlarmDescription !== undefined ? { description: i.AlarmDescription } : {}),
    metric: i.MetricName,
    functionName: series.functionName,
    dimension: series.kind === 'function' ? { kind: 'function' } : { kind: series.kind, value: series.value },
    statistic,
    periodSeconds: i.Period,
    evaluationPeriods,
    datapointsToAlarm,
    threshold: i.Threshold,
    comparisonOperator: i.ComparisonOperator,
    treatMissingData: treat,
    alarmActions: actions(i.AlarmActions),
    okActions: actions(i.OKActions),
    insufficientDataActions: actions(i.InsufficientDataActions),
  };
}

function renderAlarm(r: AlarmRecord, alarmArn: string) {
  const a = r.definition;
  const percentile = a.statistic.startsWith('p');
  return {
    AlarmName: a.name,
    AlarmArn: alarmArn,
    AlarmDescription: a.description,
    ActionsEnabled: true,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: r.state,
    StateReason: r.stateReason,
    StateUpdatedTimestamp: seconds(r.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(r.stateUpdatedAt),
    AlarmConfigurationUpdatedTimestamp: seconds(r.configurationUpdatedAt),
    MetricName: a.metric,
    Namespace: LAMBDA_NAMESPACE,
    ...(percentile ? { ExtendedStatistic: a.statistic } : { Statistic: a.statistic }),
    Dimensions: toWire(lambdaDimensions(a.functionName, a.dimension.kind, a.dimension.kind === 'function' ? '' : a.dimension.value)),
    Period: a.periodSeconds,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
  };
}

const renderHistory = (h: AlarmHistoryItem, type: string) => ({
  AlarmName: h.alarmName,
  AlarmType: type,
  Timestamp: seconds(h.timestamp),
  HistoryItemType: 'StateUpdate',
  HistorySummary: `Alarm updated from ${h.oldState} to ${h.newState}`,
  HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: h.oldState }, newState: { stateValue: h.newState, stateReason: h.reason } }),
});
