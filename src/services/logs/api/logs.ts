/**
 * The CloudWatch Logs API over function logs: log group `/aws/lambda/<function>`, one stream per
 * execution environment. A filter pattern that is a request id returns every line of that
 * invocation, including lines the function printed without the id.
 */
import type { LogQuery, LogRepo, StoredLogLine } from '../../../storage/store.js';
import { compileFilterPattern, FilterPatternError, requiredTerm, type FilterMatcher } from '../../../telemetry/filter-pattern/index.js';
import type { BufferedLogSink } from '../../../telemetry/log-sink.js';
import { RETENTION_DAYS, type LogRetention } from '../../../telemetry/log-retention.js';
import { logGroupArn, type Account } from '../../../wire/arn.js';
import { LogsErrors } from '../../../wire/errors.js';
import { groupKey, groupName, isValidGroupName, nameOfIdentifier } from '../group-names.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;



export function logsHandlers(repo: LogRepo, sink: BufferedLogSink, retention: LogRetention, account: Account): Record<string, OperationHandler> {
  const functionOf = (group: string | undefined): string => {
    const name = nameOfIdentifier(group ?? '');
    if (!isValidGroupName(name)) throw LogsErrors.resourceNotFound('The specified log group does not exist.');
    return groupKey(name);
  };
  const cursor = (token: string | undefined): number | undefined => {
    if (token === undefined) return undefined;
    const id = Number(token.replace(/^[fb]\//, ''));
    if (!Number.isInteger(id) || id < 0) throw LogsErrors.invalidParameter('The specified nextToken is invalid.');
    return id;
  };

  return typedHandlers<LogsInputs>({
    async FilterLogEvents(i) {
      const functionName = functionOf(i.logGroupName ?? i.logGroupIdentifier);
      await sink.flush();
      const limit = Math.min(i.limit ?? 10_000, 10_000);
      const q: LogQuery = { functionName, limit: limit + 1, ...range(i) };
      const after = cursor(i.nextToken);
      if (after !== undefined) q.afterId = after;
      const terms = patternTerms(i.filterPattern);
      const streams = i.logStreamNames;
      const inStreams = (r: StoredLogLine) => !streams || streams.includes(r.stream);
      const rows =
        terms.length === 1 && REQUEST_ID.test(terms[0]!)
          ? (await repo.query({ ...q, requestId: terms[0]! })).filter(inStreams)
          : await filtered(repo, q, matcherOf(i.filterPattern), inStreams, limit + 1);
      const page = rows.slice(0, limit);
      return {
        events: page.map((r) => ({
          logStreamName: r.stream,
          timestamp: r.timestamp,
          message: `${r.message}\n`,
          ingestionTime: r.ingestionTime,
          eventId: String(r.id),
        })),
        nextToken: rows.length > limit ? String(page[page.length - 1]!.id) : undefined,
      };
    },

    async GetLogEvents(i) {
      const functionName = functionOf(i.logGroupName ?? i.logGroupIdentifier);
      await sink.flush();
      const limit = Math.min(i.limit ?? 10_000, 10_000);
      const after = cursor(i.nextToken);
      const rows = await repo.query({
        functionName,
        stream: i.logStreamName,
        limit,
        ...range(i),
        ...(after !== undefined ? { afterId: after } : {}),
      });
      const last = rows.length > 0 ? rows[rows.length - 1]!.id : (after ?? 0);
      return {
        events: rows.map((r) => ({ timestamp: r.timestamp, message: `${r.message}\n`, ingestionTime: r.ingestionTime })),
        nextForwardToken: `f/${last}`,
        nextBackwardToken: `b/${rows[0]?.id ?? last}`,
      };
    },

    async DescribeLogStreams(i) {
      const functionName = functionOf(i.logGroupName ?? i.logGroupIdentifier);
      await sink.flush();
      const streams = await repo.streams(functionName, Math.min(i.limit ?? 50, 50));
      const group = groupName(functionName);
      return {
        logStreams: streams
          .filter((s) => !i.logStreamNamePrefix || s.stream.startsWith(i.logStreamNamePrefix))
          .map((s) => ({
            logStreamName: s.stream,
            creationTime: s.creationTime,
            firstEventTimestamp: s.firstTimestamp,
            lastEventTimestamp: s.lastTimestamp,
            lastIngestionTime: s.lastIngestionTime,
            arn: `${logGroupArn(account, group)}:log-stream:${s.stream}`,
            storedBytes: 0,
          })),
      };
    },

    async DescribeLogGroups(i) {
      if (i.logGroupNamePrefix !== undefined && i.logGroupNamePattern !== undefined) {
        throw LogsErrors.invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      await sink.flush();
      const retentions = await repo.retentions();
      const pattern = i.logGroupNamePattern?.toLowerCase();
      const limit = Math.min(i.limit ?? 50, 50);
      const groups = [...new Set([...(await repo.groups()), ...retentions.keys()])]
        .map((key) => ({ key, name: groupName(key) }))
        .filter((g) => !i.logGroupNamePrefix || g.name.startsWith(i.logGroupNamePrefix))
        .filter((g) => pattern === undefined || g.name.toLowerCase().includes(pattern))
        .filter((g) => i.nextToken === undefined || g.name > i.nextToken)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const page = groups.slice(0, limit);
      return {
        logGroups: page.map((g) => ({
          logGroupName: g.name,
          arn: `${logGroupArn(account, g.name)}:*`,
          logGroupArn: logGroupArn(account, g.name),
          storedBytes: 0,
          retentionInDays: retentions.get(g.key),
          logGroupClass: 'STANDARD',
        })),
        nextToken: groups.length > limit ? page[page.length - 1]!.name : undefined,
      };
    },

    async PutRetentionPolicy(i) {
      const functionName = functionOf(i.logGroupName);
      if (!RETENTION_DAYS.includes(i.retentionInDays)) {
        throw LogsErrors.invalidParameter(
          `1 validation error detected: Value '${i.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
        );
      }
      await sink.flush();
      await repo.setRetention(functionName, i.retentionInDays);
      await retention.apply(functionName);
      return {};
    },

    async DeleteRetentionPolicy(i) {
      await repo.setRetention(functionOf(i.logGroupName), undefined);
      return {};
    },
  });
}

/** The pattern compiled, or CloudWatch Logs' refusal of it. */
function matcherOf(pattern: string | undefined): { match: FilterMatcher; required: string | undefined } {
  try {
    return { match: compileFilterPattern(pattern), required: pattern === undefined ? undefined : requiredTerm(pattern) };
  } catch (err) {
    if (err instanceof FilterPatternError) throw LogsErrors.invalidParameter(`Invalid filter pattern: ${err.message}`);
    throw err;
  }
}

/** Reads the store page by page until `want` lines match (the store narrows by a required term). */
async function filtered(
  repo: LogRepo,
  q: LogQuery,
  m: { match: FilterMatcher; required: string | undefined },
  inStreams: (r: StoredLogLine) => boolean,
  want: number,
): Promise<StoredLogLine[]> {
  const out: StoredLogLine[] = [];
  let afterId = q.afterId;
  for (;;) {
    const page = await repo.query({ ...q, limit: want, ...(afterId !== undefined ? { afterId } : {}), ...(m.required !== undefined ? { contains: m.required } : {}) });
    for (const r of page) if (inStreams(r) && m.match(r.message)) out.push(r);
    if (out.length >= want || page.length < want) return out.slice(0, want);
    afterId = page[page.length - 1]!.id;
  }
}

function range(i: { startTime?: number; endTime?: number }): Pick<LogQuery, 'startTime' | 'endTime'> {
  return { ...(i.startTime !== undefined ? { startTime: i.startTime } : {}), ...(i.endTime !== undefined ? { endTime: i.endTime } : {}) };
}

/** Terms of a simple filter pattern: bare words and "quoted phrases", all of which must match. */
export function patternTerms(pattern: string | undefined): string[] {
  if (!pattern) return [];
  const terms: string[] = [];
  for (const m of pattern.matchAll(/"([^"]*)"|(\S+)/g)) {
    const t = m[1] ?? m[2];
    if (t) terms.push(t);
  }
  return terms;
}
