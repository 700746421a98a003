/** StartLiveTail: checks the request as CloudWatch Logs does, then hands the session's event stream to the protocol. */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LogRepo } from '../../../storage/store.js';
import { compileFilterPattern, FilterPatternError, type FilterMatcher } from '../../../telemetry/filter-pattern/index.js';
import { LogsErrors } from '../../../wire/errors.js';
import { groupKey, isValidGroupName, nameOfIdentifier } from '../group-names.js';
import type { LiveTails } from '../live-tail.js';
import type { LogsInputs } from '../../../wire/inputs/logs.js';


export function liveTailHandlers(repo: LogRepo, tails: LiveTails, flush: () => Promise<void>): Record<string, OperationHandler> {
  return typedHandlers<LogsInputs>({
    async StartLiveTail(i, ctx) {
      if (i.logStreamNames && i.logStreamNamePrefixes) {
        throw LogsErrors.invalidParameter('logStreamNames and logStreamNamePrefixes are mutually exclusive.');
      }
      if ((i.logStreamNames || i.logStreamNamePrefixes) && i.logGroupIdentifiers.length > 1) {
        throw LogsErrors.invalidParameter('Log stream filters can only be used with a single log group.');
      }
      await flush(); // a group that exists only in lines still buffered exists
      const known = new Set(await repo.groups());
      const groups = i.logGroupIdentifiers.map((identifier) => {
        const name = nameOfIdentifier(identifier);
        const key = isValidGroupName(name) ? groupKey(name) : undefined;
        if (key === undefined || !known.has(key)) throw LogsErrors.resourceNotFound(`The specified log group does not exist: ${identifier}`);
        return { key, identifier };
      });
      const responseStream = await tails.start(
        {
          groups,
          ...(i.logStreamNames ? { logStreamNames: i.logStreamNames } : {}),
          ...(i.logStreamNamePrefixes ? { logStreamNamePrefixes: i.logStreamNamePrefixes } : {}),
          ...(i.logEventFilterPattern !== undefined ? { logEventFilterPattern: i.logEventFilterPattern } : {}),
          match: matcher(i.logEventFilterPattern),
        },
        ctx.requestId,
      );
      return { responseStream };
    },
  });
}

function matcher(pattern: string | undefined): FilterMatcher {
  try {
    return compileFilterPattern(pattern);
  } catch (err) {
    if (err instanceof FilterPatternError) throw LogsErrors.invalidParameter(`Invalid filter pattern: ${err.message}`);
    throw err;
  }
}
