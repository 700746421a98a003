/** `selfless events` and `selfless schedules`: rules with their counts, schedules with their next fire time. */
import type { Command } from 'commander';
import { adminCall } from '../admin-call.js';
import { resolveClientOptions } from '../clients.js';
import { out } from '../output.js';

interface RuleRow {
  EventBusName: string;
  Name: string;
  State: string;
  EventPattern: string | null;
  ScheduleExpression: string | null;
  Targets: number;
  Matched: number;
  Delivered: number;
  Failed: number;
}

interface ScheduleRow {
  Kind: string;
  Name: string;
  ScheduleExpression: string;
  Timezone: string;
  State: string;
  NextFireTime: string | null;
  LastOccurrence: string | null;
  LastResult: string | null;
  Fired: number;
  Skipped: number;
}

export function registerEvents(program: Command): void {
  const endpointHelp = 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)';
  program
    .command('events')
    .description('EventBridge rules: what they match, and how many events they matched and delivered')
    .option('--endpoint <url>', endpointHelp)
    .action(async (o: { endpoint?: string }) => {
      const { endpoint } = resolveClientOptions(o);
      const { Rules } = await adminCall<{ Rules: RuleRow[] }>(endpoint, '/event-rules');
      if (Rules.length === 0) out('no rules');
      for (const r of Rules) {
        out(`${r.State.padEnd(8)} ${r.EventBusName}/${r.Name}  ${r.Targets} target(s)  matched ${r.Matched}, delivered ${r.Delivered}, failed ${r.Failed}`);
        out(`    ${r.ScheduleExpression ?? r.EventPattern ?? ''}`);
      }
    });
  program
    .command('schedules')
    .description('scheduled rules and Scheduler schedules: next fire time and last result')
    .option('--endpoint <url>', endpointHelp)
    .action(async (o: { endpoint?: string }) => {
      const { endpoint } = resolveClientOptions(o);
      const { Schedules } = await adminCall<{ Schedules: ScheduleRow[] }>(endpoint, '/schedules');
      if (Schedules.length === 0) out('no schedules');
      for (const s of Schedules) {
        out(`${s.State.padEnd(8)} ${s.Kind.padEnd(8)} ${s.Name}  ${s.ScheduleExpression} (${s.Timezone})  next ${s.NextFireTime ?? 'none'}`);
        out(`    last ${s.LastOccurrence ?? 'never'}: ${s.LastResult ?? '-'}  (fired ${s.Fired}, skipped ${s.Skipped})`);
      }
    });
}
