/** deploy, invoke, ls, logs, reset: each a few calls of the same API any AWS client uses. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { Command, Option } from 'commander';
import { lambdaClient, logsClient, resolveClientOptions } from '../clients.js';
import { deployFunction, parseEnvPairs } from '../deploy-function.js';
import { tableLines } from '../output.js';
import { startDeployment } from './deployments.js';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

function withEndpoint(cmd: Command): Command {
  return cmd
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .addOption(new Option('--region <region>', 'region (default $SELFLESS_REGION or us-east-1)'));
}

export function registerClientCommands(program: Command): void {
  withEndpoint(program.command('deploy <dir>'))
    .description('zip a folder and create the function, or update its code and configuration')
    .requiredOption('--name <name>', 'function name')
    .option('--runtime <runtime>', 'runtime for a new function', 'nodejs20.x')
    .option('--handler <handler>', 'handler for a new function', 'index.handler')
    .option('--timeout <seconds>', 'timeout in seconds')
    .option('--memory <mb>', 'memory size in MB')
    .option('--env <K=V...>', 'environment variable (repeatable)', collect, [] as string[])
    .option('--role <arn>', 'execution role', 'arn:aws:iam::000000000000:role/selfless')
    .option('--alias <alias>', 'then publish a version and shift this alias to it gradually')
    .option('--strategy <strategy>', 'with --alias: AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute, ...', 'AllAtOnce')
    .option('--max-error-rate <rate>', "with --alias: roll back above this error rate of the new version (0-1)")
    .option('--alarms <names>', 'with --alias: comma-separated alarms; any in ALARM rolls the deployment back')
    .option('--wait', 'with --alias: follow the deployment until it ends')
    .action(async (dir: string, o: DeployOptions) => {
      await deploy(dir, o);
      if (o.alias) {
        const rate = o.maxErrorRate === undefined ? undefined : Number(o.maxErrorRate);
        if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new Error('--max-error-rate must be between 0 and 1');
        await startDeployment(o, o.name, o.alias, o.strategy, {
          ...(rate !== undefined ? { maxErrorRate: rate } : {}),
          ...(o.alarms ? { alarms: o.alarms.split(',').map((a) => a.trim()).filter((a) => a !== '') } : {}),
          wait: o.wait === true,
        });
      }
    });

  withEndpoint(program.command('invoke <name>'))
    .description('invoke a function and print its result')
    .option('--payload <json|@file>', 'event as JSON, or @path to a file', '{}')
    .option('--qualifier <q>', 'version or alias')
    .option('--event', 'invoke asynchronously (InvocationType Event)')
    .option('--log', 'print the tail of the invocation log to stderr')
    .action(async (name: string, o: InvokeOptions) => invoke(name, o));

  withEndpoint(program.command('ls'))
    .description('list functions')
    .action(async (o: { endpoint?: string; region?: string }) => list(o));

  withEndpoint(program.command('logs <name>'))
    .description("print a function's logs")
    .option('--request-id <id>', 'only the lines of one invocation')
    .option('--since <duration>', 'how far back, e.g. 30s, 10m, 2h', '1h')
    .option('--follow', 'keep printing new lines')
    .action(async (name: string, o: LogsOptions) => logs(name, o));

  withEndpoint(program.command('reset <name>'))
    .description('recycle every warm environment of a function: the next invocation starts fresh')
    .action(async (name: string, o: { endpoint?: string; region?: string }) => reset(name, o));
}

interface DeployOptions {
  name: string;
  alias?: string;
  strategy: string;
  maxErrorRate?: string;
  alarms?: string;
  wait?: boolean;
  runtime: string;
  handler: string;
  timeout?: string;
  memory?: string;
  env: string[];
  role: string;
  endpoint?: string;
  region?: string;
}

async function deploy(dir: string, o: DeployOptions): Promise<void> {
  const path = resolve(dir);
  if (!(await stat(path).catch(() => undefined))?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const env = parseEnvPairs(o.env);
  const result = await deployFunction(lambdaClient(resolveClientOptions(o)), path, {
    name: o.name,
    runtime: o.runtime,
    handler: o.handler,
    role: o.role,
    ...(o.timeout !== undefined ? { timeout: positiveInt(o.timeout, '--timeout') } : {}),
    ...(o.memory !== undefined ? { memory: positiveInt(o.memory, '--memory') } : {}),
    ...(env ? { env } : {}),
  });
  if (result.created) out(`created ${result.arn} (${result.bytes} bytes, ${result.runtime}, ${result.handler})`);
  else out(`updated ${o.name} (${result.bytes} bytes${result.configChanged ? ', configuration changed' : ''})`);
}

interface InvokeOptions {
  payload: string;
  qualifier?: string;
  event?: boolean;
  log?: boolean;
  endpoint?: string;
  region?: string;
}

async function invoke(name: string, o: InvokeOptions): Promise<void> {
  const client = lambdaClient(resolveClientOptions(o));
  const payload = o.payload.startsWith('@') ? await readFile(o.payload.slice(1)) : Buffer.from(o.payload);
  const res = await client.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: payload,
      InvocationType: o.event ? 'Event' : 'RequestResponse',
      LogType: o.log ? 'Tail' : 'None',
      ...(o.qualifier ? { Qualifier: o.qualifier } : {}),
    }),
  );
  if (o.log && res.LogResult) process.stderr.write(Buffer.from(res.LogResult, 'base64').toString('utf8'));
  if (o.event) {
    out(`accepted (${res.StatusCode})`);
    return;
  }
  const body = res.Payload ? Buffer.from(res.Payload).toString('utf8') : '';
  if (res.FunctionError) {
    process.stderr.write(`function error (${res.FunctionError}): ${body}\n`);
    process.exitCode = 1;
    return;
  }
  out(body);
}

async function list(o: { endpoint?: string; region?: string }): Promise<void> {
  const client = lambdaClient(resolveClientOptions(o));
  const rows: string[][] = [['NAME', 'RUNTIME', 'MEMORY', 'TIMEOUT', 'STATE', 'LAST MODIFIED']];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListFunctionsCommand({ ...(marker ? { Marker: marker } : {}) }));
    for (const f of page.Functions ?? []) {
      rows.push([f.FunctionName ?? '', f.Runtime ?? '', `${f.MemorySize} MB`, `${f.Timeout} s`, f.State ?? '', f.LastModified ?? '']);
    }
    marker = page.NextMarker;
  } while (marker);
  for (const line of tableLines(rows)) out(line);
}

interface LogsOptions {
  requestId?: string;
  since: string;
  follow?: boolean;
  endpoint?: string;
  region?: string;
}

async function logs(name: string, o: LogsOptions): Promise<void> {
  const options = resolveClientOptions(o);
  const client = logsClient(options);
  // The function's LoggingConfig says where it logs: its own /aws/lambda/<name>, or a group it may share.
  const config = await lambdaClient(options).send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const logGroupName = config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
  // A shared group names each stream after its function: YYYY/MM/DD/<name>[<version>]<id>.
  const own = logGroupName === `/aws/lambda/${name}` ? () => true : (e: FilteredLogEvent) => e.logStreamName?.includes(`/${name}[`) === true;
  const startTime = Date.now() - parseDuration(o.since);
  let cursor: string | undefined;
  const print = (e: FilteredLogEvent) => process.stdout.write(e.message?.endsWith('\n') ? e.message : `${e.message ?? ''}\n`);
  for (;;) {
    let token: string | undefined = cursor;
    do {
      const page = await client.send(
        new FilterLogEventsCommand({
          logGroupName,
          startTime,
          ...(o.requestId ? { filterPattern: `"${o.requestId}"` } : {}),
          ...(token ? { nextToken: token } : {}),
        }),
      );
      for (const e of page.events ?? []) {
        if (own(e)) print(e);
        cursor = e.eventId;
      }
      token = page.nextToken;
    } while (token);
    if (!o.follow) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function reset(name: string, o: { endpoint?: string; region?: string }): Promise<void> {
  const { endpoint } = resolveClientOptions(o);
  const res = await fetch(`${endpoint}/_selfless/functions/${encodeURIComponent(name)}/reset`, { method: 'POST' });
  const body = (await res.json().catch(() => ({}))) as { RecycledEnvironments?: number; Message?: string };
  if (!res.ok) throw new Error(body.Message ?? `reset failed with HTTP ${res.status}`);
  out(`recycled ${body.RecycledEnvironments ?? 0} environment(s) of ${name}; the next invocation starts fresh`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(v: string, flag: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`${flag} must be a whole number, got '${v}'`);
  return Number(v);
}

function parseDuration(s: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(s);
  if (!m) throw new Error(`--since expects a duration such as 30s, 10m, 2h or 1d; got '${s}'`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
