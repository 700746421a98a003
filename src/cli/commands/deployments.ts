/** Gradual deployments from the CLI: start one after `deploy`, follow it, list a function's history. */
import type { Command } from 'commander';
import { adminCall } from '../admin-call.js';
import { resolveClientOptions } from '../clients.js';
import { out } from '../output.js';

interface Deployment {
  DeploymentId: string;
  Alias: string;
  Strategy: string;
  FromVersion: string | null;
  ToVersion: string;
  Status: string;
  StartedAt: string;
  EndedAt?: string;
  Reason?: string;
  Steps: { Weight: number; StartedAt: string; Invocations?: number; Errors?: number }[];
}

const describeStep = (s: Deployment['Steps'][number]) =>
  `${String(Math.round(s.Weight * 100)).padStart(3)}% at ${s.StartedAt}${s.Invocations !== undefined ? `  (${s.Invocations} invocations, ${s.Errors} errors)` : ''}`;

/** Starts a deployment of the function's $LATEST behind `alias`; with `wait`, follows it to the end. */
export async function startDeployment(
  flags: { endpoint?: string; region?: string },
  name: string,
  alias: string,
  strategy: string,
  opts: { maxErrorRate?: number; alarms?: string[]; wait?: boolean },
): Promise<void> {
  const { endpoint } = resolveClientOptions(flags);
  let d = await adminCall<Deployment>(endpoint, `/functions/${encodeURIComponent(name)}/deployments`, {
    Alias: alias,
    Strategy: strategy,
    ...(opts.maxErrorRate !== undefined ? { MaxErrorRate: opts.maxErrorRate } : {}),
    ...(opts.alarms ? { Alarms: opts.alarms } : {}),
  });
  out(`deployment ${d.DeploymentId}: ${name}:${alias} ${d.FromVersion ?? '(new alias)'} -> ${d.ToVersion} by ${d.Strategy}`);
  let shown = 0;
  for (;;) {
    for (; shown < d.Steps.length; shown++) out(`  step ${shown + 1}: ${describeStep(d.Steps[shown]!)}`);
    if (d.Status !== 'InProgress' || !opts.wait) break;
    await new Promise((r) => setTimeout(r, 1000));
    d = await adminCall<Deployment>(endpoint, `/deployments/${d.DeploymentId}`);
  }
  out(`${d.Status}${d.Reason ? `: ${d.Reason}` : ''}`);
  if (d.Status === 'RolledBack' || d.Status === 'Failed') process.exitCode = 1;
}

export function registerDeployments(program: Command): void {
  program
    .command('deployments <name>')
    .description("a function's gradual deployments: steps, times, outcome and why it rolled back")
    .option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)')
    .action(async (name: string, o: { endpoint?: string }) => {
      const { endpoint } = resolveClientOptions(o);
      const { Deployments } = await adminCall<{ Deployments: Deployment[] }>(endpoint, `/functions/${encodeURIComponent(name)}/deployments`);
      if (Deployments.length === 0) out(`no deployments of ${name}`);
      for (const d of Deployments) {
        out(`${d.StartedAt}  ${d.DeploymentId}  ${d.Alias}: ${d.FromVersion ?? '-'} -> ${d.ToVersion}  ${d.Strategy}  ${d.Status}`);
        for (const s of d.Steps) out(`    ${describeStep(s)}`);
        if (d.Reason) out(`    ${d.Reason}`);
      }
    });
}
