/** Logs Insights: StartQuery, GetQueryResults, StopQuery and DescribeQueries (see ../insights/). */
import type { LogRepo } from '../../../storage/store.js';
import { LogsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { groupName, nameOfIdentifier } from '../group-names.js';
import { QuerySyntaxError } from '../insights/parser.js';
import type { InsightsQueries, QueryState } from '../insights/queries.js';
import { existingGroupKey } from './metric-filters.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

/** StartQuery returns 1,000 rows unless told otherwise, 10,000 at most. */
const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 10_000;

const described = (q: QueryState) => ({
  queryLanguage: 'CWLI',
  queryId: q.queryId,
  queryString: q.queryString,
  status: q.status,
  createTime: q.createTime,
  logGroupName: q.groups[0]?.name,
});

export function insightsHandlers(repo: LogRepo, queries: InsightsQueries, flush: () => Promise<void>): Record<string, OperationHandler> {
  const known = (queryId: string): QueryState => {
    const q = queries.get(queryId);
    if (!q) throw LogsErrors.resourceNotFound(`Query ${queryId} does not exist.`);
    return q;
  };
  return typedHandlers<LogsInputs>({
    async StartQuery(i) {
      if (i.queryLanguage !== undefined && i.queryLanguage !== 'CWLI') throw LogsErrors.invalidParameter(`Selfless runs Logs Insights QL queries only, not ${i.queryLanguage}.`);
      const given = [i.logGroupName !== undefined ? [i.logGroupName] : undefined, i.logGroupNames, i.logGroupIdentifiers].filter((x): x is string[] => x !== undefined);
      if (given.length !== 1) throw LogsErrors.invalidParameter('Exactly one of logGroupName, logGroupNames and logGroupIdentifiers must be given.');
      if (i.endTime < i.startTime) throw LogsErrors.invalidParameter('endTime must be greater than or equal to startTime.');
      const groups = [];
      for (const id of given[0]!) {
        const key = await existingGroupKey(repo, nameOfIdentifier(id), flush);
        groups.push({ key, name: groupName(key) });
      }
      try {
        const queryId = queries.start({ queryString: i.queryString, groups, startMs: i.startTime * 1000, endMs: i.endTime * 1000 + 999, limit: Math.min(i.limit ?? DEFAULT_LIMIT, MAX_LIMIT) });
        return { queryId };
      } catch (err) {
        if (err instanceof QuerySyntaxError) throw LogsErrors.malformedQuery(err.message);
        throw err;
      }
    },

    async GetQueryResults(input) {
      const q = known(input.queryId);
      return { queryLanguage: 'CWLI', status: q.status, results: q.results, statistics: q.statistics };
    },

    async StopQuery(input) {
      const queryId = input.queryId;
      known(queryId);
      return { success: queries.stop(queryId) === true };
    },

    async DescribeQueries(i) {
      const all = queries
        .list()
        .filter((q) => i.status === undefined || q.status === i.status)
        .filter((q) => i.logGroupName === undefined || q.groups.some((g) => g.name === i.logGroupName));
      const from = i.nextToken === undefined ? 0 : Number(i.nextToken);
      if (!Number.isInteger(from) || from < 0) throw LogsErrors.invalidParameter('The specified nextToken is invalid.');
      const max = Math.min(i.maxResults ?? 1000, 1000);
      const page = all.slice(from, from + max);
      return { queries: page.map(described), nextToken: from + max < all.length ? String(from + max) : undefined };
    },
  });
}
