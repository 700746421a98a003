/** `selfless replay`: list a function's failed asynchronous events, or run them again. */
import { Command, Option } from 'commander';
import { resolveClientOptions } from '../clients.js';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

interface ReplayOptions {
  requestId?: string;
  all?: boolean;
  endpoint?: string;
  region?: string;
}

interface FailedEvent {
  RequestId: string;
  State: string;
  Condition?: string;
  Attempts: number;
  FinishedAt?: string;
  ErrorType?: string;
  Error?: string;
}

export function registerReplay(program: Command): void {
  program
    .command('replay <name>')
    .description('run failed asynchronous events of a function again (without --request-id or --all: list them)')
    .option('--request-id <id>', 'replay one event')
    .option('--all', 'replay every failed event')
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .addOption(new Option('--region <region>', 'region (default $SELFLESS_REGION or us-east-1)'))
    .action(async (name: string, o: ReplayOptions) => replay(name, o));
}

async function replay(name: string, o: ReplayOptions): Promise<void> {
  if (o.requestId && o.all) throw new Error('give either --request-id or --all, not both');
  const { endpoint } = resolveClientOptions(o);
  const base = `${endpoint}/_selfless/functions/${encodeURIComponent(name)}/async-events`;
  if (!o.requestId && !o.all) {
    const { Events } = await call<{ Events: FailedEvent[] }>(base, { method: 'GET' });
    if (Events.length === 0) {
      out(`no failed asynchronous events for ${name}`);
      return;
    }
    for (const e of Events) {
      const why = e.ErrorType ?? e.Error ?? '';
      out(`${e.RequestId}  ${e.Condition ?? e.State}  attempts=${e.Attempts}  ${e.FinishedAt ?? ''}  ${why}`.trimEnd());
    }
    out(`replay one with --request-id ID, or all with --all`);
    return;
  }
  const body = o.all ? { All: true } : { RequestId: o.requestId };
  const { Replayed } = await call<{ Replayed: string[] }>(`${base}/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  for (const id of Replayed) out(`replaying ${id}`);
  out(`queued ${Replayed.length} event(s) of ${name} again`);
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json().catch(() => ({}))) as T & { Message?: string };
  if (!res.ok) throw new Error(body.Message ?? `HTTP ${res.status}`);
  return body;
}
