/** Alarms from the CLI: every alarm with its state and last change, and one alarm's history. */
import type { Command } from 'commander';
import { adminCall } from '../admin-call.js';
import { resolveClientOptions } from '../clients.js';
import { out } from '../output.js';

interface Alarm {
  AlarmName: string;
  Metric: string;
  FunctionName: string;
  Version?: string;
  Alias?: string;
  Statistic: string;
  ComparisonOperator: string;
  Threshold: number;
  StateValue: string;
  StateReason: string;
  StateUpdatedTimestamp: string;
}

interface HistoryItem {
  Timestamp: string;
  OldStateValue: string;
  NewStateValue: string;
  Reason: string;
}

const OPS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

export function registerAlarms(program: Command): void {
  const endpointHelp = 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)';
  const alarms = program
    .command('alarms')
    .description('alarms on function metrics: state and last change')
    .option('--endpoint <url>', endpointHelp)
    .action(async (o: { endpoint?: string }) => {
      const { endpoint } = resolveClientOptions(o);
      const { MetricAlarms } = await adminCall<{ MetricAlarms: Alarm[] }>(endpoint, '/alarms');
      if (MetricAlarms.length === 0) out('no alarms');
      for (const a of MetricAlarms) {
        const target = a.FunctionName + (a.Version ? `:${a.Version}` : a.Alias ? `:${a.Alias}` : '');
        out(`${a.StateValue.padEnd(17)} ${a.AlarmName}  ${target} ${a.Metric} ${a.Statistic} ${OPS[a.ComparisonOperator] ?? a.ComparisonOperator} ${a.Threshold}  since ${a.StateUpdatedTimestamp}`);
        out(`    ${a.StateReason}`);
      }
    });
  alarms
    .command('history <name>')
    .description("an alarm's changes of state, newest first")
    .option('--endpoint <url>', endpointHelp)
    .action(async (name: string, o: { endpoint?: string }, cmd: Command) => {
      const { endpoint } = resolveClientOptions({ ...(cmd.parent?.opts() ?? {}), ...o });
      const { AlarmHistoryItems } = await adminCall<{ AlarmHistoryItems: HistoryItem[] }>(endpoint, `/alarms/${encodeURIComponent(name)}/history`);
      if (AlarmHistoryItems.length === 0) out(`no changes of state for ${name}`);
      for (const h of AlarmHistoryItems) out(`${h.Timestamp}  ${h.OldStateValue} -> ${h.NewStateValue}  ${h.Reason}`);
    });
}
