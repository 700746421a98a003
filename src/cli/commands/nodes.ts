/** `selfless nodes`: the servers sharing the store, with their state, load and the leases they hold. */
import { Command, Option } from 'commander';
import { adminCall } from '../admin-call.js';
import { resolveClientOptions } from '../clients.js';
import { tableLines } from '../output.js';

interface NodesView {
  Self: string;
  DeadAfterSeconds: number;
  Nodes: { NodeId: string; State: string; Advertise: string; LastHeartbeat: string; Environments: number; InFlight: number; MaxEnvironments: number; Leases: string[] }[];
}

export function registerNodes(program: Command): void {
  program
    .command('nodes')
    .description('the nodes sharing this server\'s store: alive, dead (silent past --node-dead-after) or stopped, with their load and leases')
    .option('--json', 'print the view as JSON')
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .action(async (o: { json?: boolean; endpoint?: string }) => {
      const { endpoint } = resolveClientOptions(o);
      const view = await adminCall<NodesView>(endpoint, '/nodes');
      if (o.json) return void process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      const rows = [
        ['NODE', 'STATE', 'ADVERTISE', 'LAST HEARTBEAT', 'ENVIRONMENTS', 'IN FLIGHT', 'LEASES'],
        ...view.Nodes.map((n) => [
          n.NodeId === view.Self ? `${n.NodeId} (this)` : n.NodeId,
          n.State,
          n.Advertise,
          n.LastHeartbeat,
          `${n.Environments}/${n.MaxEnvironments}`,
          String(n.InFlight),
          n.Leases.join(',') || '-',
        ]),
      ];
      process.stdout.write(`${tableLines(rows).join('\n')}\n`);
    });
}
