/**
 * Logs Insights queries of this node: StartQuery parses at once (a malformed query is refused there)
 * and runs over the stored events of its groups in the time range, off the request; GetQueryResults
 * reads its state. Queries are kept in memory, the last 1,000.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { LogRepo } from '../../../storage/store.js';
import { discover, type Row } from './fields.js';
import { render, run, type ResultField } from './evaluate.js';
import { parseQuery, type Command } from './parser.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

export interface QueryState {
  queryId: string;
  queryString: string;
  groups: { key: string; name: string }[];
  status: QueryStatus;
  createTime: number;
  results: ResultField[][];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

export interface QuerySpec {
  queryString: string;
  groups: { key: string; name: string }[];
  startMs: number;
  endMs: number;
  limit: number;
}

const KEPT = 1_000;
const PAGE = 10_000;
/** Events one query reads at most, so that a query cannot exhaust the server's memory. */
const MAX_SCANNED = 1_000_000;

export class InsightsQueries {
  private readonly queries = new Map<string, QueryState>();

  constructor(
    private readonly repo: LogRepo,
    private readonly flush: () => Promise<void>,
    private readonly clock: Clock,
    private readonly accountId: string,
    private readonly logger: Logger,
  ) {}

  /** Throws QuerySyntaxError for a malformed query. */
  start(spec: QuerySpec): string {
    const commands = parseQuery(spec.queryString);
    const state: QueryState = {
      queryId: randomUUID(),
      queryString: spec.queryString,
      groups: spec.groups,
      status: 'Scheduled',
      createTime: this.clock.now(),
      results: [],
      statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
    };
    this.queries.set(state.queryId, state);
    if (this.queries.size > KEPT) this.queries.delete(this.queries.keys().next().value!);
    void this.execute(state, commands, spec).catch((err: unknown) => {
      state.status = 'Failed';
      this.logger.warn('Logs Insights query failed', { queryId: state.queryId, error: String(err) });
    });
    return state.queryId;
  }

  get(queryId: string): QueryState | undefined {
    return this.queries.get(queryId);
  }

  /** False when the query had already ended. */
  stop(queryId: string): boolean | undefined {
    const q = this.queries.get(queryId);
    if (!q) return undefined;
    if (q.status !== 'Scheduled' && q.status !== 'Running') return false;
    q.status = 'Cancelled';
    return true;
  }

  /** Newest first. */
  list(): QueryState[] {
    return [...this.queries.values()].reverse();
  }

  private async execute(state: QueryState, commands: Command[], spec: QuerySpec): Promise<void> {
    state.status = 'Running';
    // StopQuery may change the status while this runs.
    const cancelled = (): boolean => state.status === 'Cancelled';
    await this.flush();
    const rows: Row[] = [];
    for (const g of spec.groups) {
      let afterId: number | undefined;
      for (;;) {
        if (cancelled()) return;
        const page = await this.repo.query({ functionName: g.key, startTime: spec.startMs, endTime: spec.endMs, limit: PAGE, ...(afterId !== undefined ? { afterId } : {}) });
        for (const e of page) {
          rows.push(discover(e, g.name, this.accountId));
          state.statistics.bytesScanned += Buffer.byteLength(e.message);
        }
        state.statistics.recordsScanned += page.length;
        if (page.length < PAGE || rows.length >= MAX_SCANNED) break;
        afterId = page[page.length - 1]!.id;
      }
    }
    if (cancelled()) return;
    const outcome = run(commands, rows, spec.limit);
    state.results = outcome.rows.map((r) => render(r, outcome.columns));
    state.statistics.recordsMatched = outcome.matched;
    state.status = 'Complete';
  }
}
