/** PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and TestMetricFilter. */
import type { Clock } from '../../../lib/clock.js';
import type { LogFilterStore } from '../../../storage/log-filter-repo.js';
import type { LogRepo } from '../../../storage/store.js';
import { compileFilterCapture, FilterPatternError } from '../../../telemetry/filter-pattern/index.js';
import { LogsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogFilterSink } from '../filter-sink.js';
import { groupKey, groupName, isValidGroupName } from '../group-names.js';
import { transformationProblem } from '../metric-filters.js';
import { filterKey, filterPrefix, type MetricFilterRecord } from '../model.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

/** CloudWatch Logs allows 100 metric filters on a log group. */
const MAX_METRIC_FILTERS = 100;

/** The pattern compiled, or CloudWatch Logs' refusal of it. */
export function checkPattern(pattern: string): ReturnType<typeof compileFilterCapture> {
  try {
    return compileFilterCapture(pattern);
  } catch (err) {
    if (err instanceof FilterPatternError) throw LogsErrors.invalidParameter(`Invalid metric filter pattern: ${err.message}`);
    throw err;
  }
}

/** The key of an existing group, or ResourceNotFoundException; `flush` first writes buffered lines, which make a function's group. */
export async function existingGroupKey(repo: LogRepo, name: string, flush: () => Promise<void>): Promise<string> {
  const key = isValidGroupName(name) ? groupKey(name) : undefined;
  await flush();
  if (key === undefined || !((await repo.groups()).includes(key) || (await repo.retentions()).has(key))) {
    throw LogsErrors.resourceNotFound('The specified log group does not exist.');
  }
  return key;
}

const wire = (r: MetricFilterRecord) => ({
  filterName: r.filterName,
  filterPattern: r.filterPattern,
  metricTransformations: r.metricTransformations,
  creationTime: r.creationTime,
  logGroupName: groupName(r.group),
});

export function metricFilterHandlers(repo: LogRepo, filters: LogFilterStore, sink: LogFilterSink, flush: () => Promise<void>, clock: Clock): Record<string, OperationHandler> {
  return typedHandlers<LogsInputs>({
    async PutMetricFilter(i) {
      checkPattern(i.filterPattern);
      for (const t of i.metricTransformations) {
        const problem = transformationProblem(t);
        if (problem) throw LogsErrors.invalidParameter(problem);
      }
      const group = await existingGroupKey(repo, i.logGroupName, flush);
      const key = filterKey(group, i.filterName);
      const record: MetricFilterRecord = { group, filterName: i.filterName, filterPattern: i.filterPattern, metricTransformations: i.metricTransformations, creationTime: clock.now() };
      // Put replaces a filter of the same name, keeping its creation time.
      for (;;) {
        const current = await filters.metricFilters.get(key);
        if (current) {
          if (await filters.metricFilters.update(key, { ...record, creationTime: current.value.creationTime }, current.revision)) break;
        } else {
          if ((await filters.metricFilters.list(filterPrefix(group), undefined, MAX_METRIC_FILTERS)).length >= MAX_METRIC_FILTERS) {
            throw LogsErrors.limitExceeded(`A log group can have at most ${MAX_METRIC_FILTERS} metric filters.`);
          }
          if (await filters.metricFilters.create(key, record)) break;
        }
      }
      await sink.reload(group);
      return {};
    },

    async DeleteMetricFilter(i) {
      const group = await existingGroupKey(repo, i.logGroupName, flush);
      if (!(await filters.metricFilters.delete(filterKey(group, i.filterName)))) throw LogsErrors.resourceNotFound('The specified metric filter does not exist.');
      await sink.reload(group);
      return {};
    },

    async DescribeMetricFilters(i) {
      if ((i.metricName === undefined) !== (i.metricNamespace === undefined)) {
        throw LogsErrors.invalidParameter('metricName and metricNamespace must be given together.');
      }
      const prefix = i.logGroupName !== undefined ? filterPrefix(await existingGroupKey(repo, i.logGroupName, flush)) + (i.filterNamePrefix ?? '') : '';
      const limit = Math.min(i.limit ?? 50, 50);
      const out: MetricFilterRecord[] = [];
      let after = i.nextToken;
      // Reads past filters of other metrics until a page is full.
      for (;;) {
        const page = await filters.metricFilters.list(prefix, after, limit + 1);
        for (const r of page) {
          if (i.metricName === undefined || r.value.metricTransformations.some((t) => t.metricName === i.metricName && t.metricNamespace === i.metricNamespace)) out.push(r.value);
        }
        if (out.length > limit || page.length < limit + 1) break;
        after = filterKey(page[page.length - 1]!.value.group, page[page.length - 1]!.value.filterName);
      }
      const shown = out.slice(0, limit);
      const last = shown[shown.length - 1];
      return { metricFilters: shown.map(wire), nextToken: out.length > limit && last ? filterKey(last.group, last.filterName) : undefined };
    },

    async TestMetricFilter(i) {
      const capture = checkPattern(i.filterPattern);
      const matches = [];
      for (const [n, message] of i.logEventMessages.entries()) {
        const fields = capture(message);
        if (fields) matches.push({ eventNumber: n + 1, eventMessage: message, extractedValues: fields.named() });
      }
      return { matches };
    },
  });
}
