/** CloudFormation from the CLI: every stack with its status, and one stack's resources and events (followed as they come). */
import { DescribeStackEventsCommand, DescribeStacksCommand, ListStackResourcesCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { Command } from 'commander';
import { cloudformationClient, resolveClientOptions } from '../clients.js';
import { out } from '../output.js';

const endpointHelp = 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)';
const eventLine = (e: StackEvent) =>
  `${e.Timestamp?.toISOString() ?? ''}  ${String(e.ResourceStatus).padEnd(44)} ${String(e.ResourceType).padEnd(32)} ${e.LogicalResourceId}${e.ResourceStatusReason ? `  ${e.ResourceStatusReason}` : ''}`;
const settled = (status: string | undefined) => status !== undefined && (!status.endsWith('_IN_PROGRESS') || status === 'REVIEW_IN_PROGRESS');

export function registerStacks(program: Command): void {
  program
    .command('stacks')
    .description('CloudFormation stacks and their statuses')
    .option('--endpoint <url>', endpointHelp)
    .option('--region <region>', 'region (default $SELFLESS_REGION, $AWS_REGION or us-east-1)')
    .action(async (o: { endpoint?: string; region?: string }) => {
      const cfn = cloudformationClient(resolveClientOptions(o));
      const stacks = [];
      let token: string | undefined;
      do {
        const page = await cfn.send(new DescribeStacksCommand({ ...(token ? { NextToken: token } : {}) }));
        stacks.push(...(page.Stacks ?? []));
        token = page.NextToken;
      } while (token);
      if (stacks.length === 0) out('no stacks');
      for (const s of stacks) out(`${String(s.StackStatus).padEnd(44)} ${s.StackName}${s.StackStatusReason ? `  ${s.StackStatusReason}` : ''}`);
      cfn.destroy();
    });

  program
    .command('stack <name>')
    .description("a stack's status, outputs and resources; with --events its events, oldest first (--follow: until it settles)")
    .option('--events', 'show its events')
    .option('--follow', 'with --events: print new events as they come, until the stack leaves *_IN_PROGRESS')
    .option('--interval <ms>', 'how often --follow polls', '1000')
    .option('--endpoint <url>', endpointHelp)
    .option('--region <region>', 'region (default $SELFLESS_REGION, $AWS_REGION or us-east-1)')
    .action(async (name: string, o: { events?: boolean; follow?: boolean; interval: string; endpoint?: string; region?: string }) => {
      const cfn = cloudformationClient(resolveClientOptions(o));
      try {
        const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
        if (!o.events) {
          out(`${stack.StackName}  ${stack.StackStatus}${stack.StackStatusReason ? `  ${stack.StackStatusReason}` : ''}`);
          for (const op of stack.Outputs ?? []) out(`  output ${op.OutputKey} = ${op.OutputValue}`);
          const resources = await cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId }));
          for (const r of resources.StackResourceSummaries ?? []) out(`  ${String(r.ResourceStatus).padEnd(20)} ${String(r.ResourceType).padEnd(32)} ${r.LogicalResourceId}  ${r.PhysicalResourceId ?? ''}`);
          return;
        }
        // Followed by id, so that a deleted stack's last events still come.
        const seen = new Set<string>();
        const print = async (): Promise<void> => {
          const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stack.StackId }))).StackEvents ?? [];
          for (const e of events.reverse()) {
            if (seen.has(e.EventId!)) continue;
            seen.add(e.EventId!);
            out(eventLine(e));
          }
        };
        await print();
        if (!o.follow) return;
        for (;;) {
          const status = (await cfn.send(new DescribeStacksCommand({ StackName: stack.StackId }))).Stacks![0]!.StackStatus;
          await print();
          if (settled(status)) return;
          await new Promise((r) => setTimeout(r, Math.max(50, Number(o.interval))));
        }
      } finally {
        cfn.destroy();
      }
    });
}
