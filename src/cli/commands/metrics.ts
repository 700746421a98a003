/**
 * `selfless metrics FN [--minutes 60]`: a function's metrics over the last minutes, as a table with
 * one column for the function as a whole and one per version and alias that ran.
 */
import { Command, Option } from 'commander';
import type { RenderedAsyncStats, RenderedStats } from '../../api/metrics.js';
import { resolveClientOptions } from '../clients.js';
import { tableLines } from '../output.js';

interface MetricsOptions {
  minutes: string;
  endpoint?: string;
  json?: boolean;
}

interface Summary {
  FunctionName: string;
  Minutes: number;
  Total: RenderedStats & RenderedAsyncStats;
  Versions: (RenderedStats & { Version: string })[];
  Aliases: (RenderedStats & { Alias: string })[];
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics <function>')
    .description("a function's invocations, errors, throttles, durations, cold starts, memory, cost and async events over the last minutes")
    .option('--minutes <n>', 'how many minutes back, the current one included', '60')
    .option('--json', 'print the summary as JSON')
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .action(async (fn: string, o: MetricsOptions) => {
      if (!/^\d+$/.test(o.minutes) || Number(o.minutes) < 1) throw new Error(`--minutes must be a whole number above 0, got '${o.minutes}'`);
      const { endpoint } = resolveClientOptions(o);
      const url = `${endpoint}/_selfless/functions/${encodeURIComponent(fn)}/metrics?minutes=${o.minutes}`;
      const res = await fetch(url).catch((err: unknown) => {
        throw new Error(`cannot reach ${endpoint}: ${(err as Error).message}`);
      });
      const body = (await res.json().catch(() => ({}))) as Summary & { Message?: string };
      if (!res.ok) throw new Error(body.Message ?? `HTTP ${res.status}`);
      process.stdout.write(o.json ? `${JSON.stringify(body, null, 2)}\n` : formatSummary(body));
    });
}

/** Versions and aliases have no async metrics: their cells show '-'. */
type Column = RenderedStats & Partial<RenderedAsyncStats>;

const ROWS: [string, (s: Column) => number | null | undefined][] = [
  ['Invocations', (s) => s.Invocations],
  ['Errors', (s) => s.Errors],
  ['Throttles', (s) => s.Throttles],
  ['Duration avg (ms)', (s) => s.Duration.Avg],
  ['Duration p50 (ms)', (s) => s.Duration.P50],
  ['Duration p90 (ms)', (s) => s.Duration.P90],
  ['Duration p99 (ms)', (s) => s.Duration.P99],
  ['Duration max (ms)', (s) => s.Duration.Max],
  ['Cold starts', (s) => s.ColdStarts],
  ['Init duration avg (ms)', (s) => s.InitDurationAvg],
  ['Max memory used (MB)', (s) => s.MaxMemoryUsedMb],
  ['Max concurrency', (s) => s.MaxConcurrentExecutions],
  ['Billed GB-seconds', (s) => s.GbSeconds],
  ['Async events received', (s) => s.AsyncEventsReceived],
  ['Async event age max (ms)', (s) => s.AsyncEventAgeMaxMs],
  ['Async events dropped', (s) => s.AsyncEventsDropped],
  ['Destination delivery failures', (s) => s.DestinationDeliveryFailures],
  ['Dead-letter errors', (s) => s.DeadLetterErrors],
];

export function formatSummary(s: Summary): string {
  const columns: [string, Column][] = [
    ['all', s.Total],
    ...s.Versions.map((v): [string, Column] => [`version ${v.Version}`, v]),
    ...s.Aliases.map((a): [string, Column] => [`alias ${a.Alias}`, a]),
  ];
  const cells = [['', ...columns.map(([h]) => h)], ...ROWS.map(([label, get]) => [label, ...columns.map(([, st]) => show(get(st)))])];
  const lines = tableLines(cells, (column) => column > 0);
  return `${s.FunctionName}, last ${s.Minutes} minute${s.Minutes === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}

const show = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : String(n));
