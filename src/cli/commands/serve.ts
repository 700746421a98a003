import type { Command } from 'commander';
import { ConfigError, type ConfigInput } from '../../config/config.js';
import { startPlatform } from '../../main.js';
import { FleetJoinError } from '../../fleet/fleet-member.js';
import { MasterKeyError } from '../../security/master-key.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the platform: the Lambda API, CloudWatch Logs API and Runtime API on one port')
    .option('--port <port>', 'port for every AWS-compatible API (0 picks a free one)', envOr('SELFLESS_PORT', '9000'))
    .option('--host <host>', 'address to listen on', envOr('SELFLESS_HOST', '127.0.0.1'))
    .option('--data-dir <dir>', 'where functions, code and logs are kept', envOr('SELFLESS_DATA_DIR', './.selfless'))
    // No default shown: help must not print a password from SELFLESS_STORE.
    .option('--store <store>', "'sqlite' (in the data dir) or a postgres://user:pass@host/db URL shared by several servers [SELFLESS_STORE, default: sqlite]")
    .option('--region <region>', 'region in ARNs and for functions', envOr('SELFLESS_REGION', 'us-east-1'))
    .option('--account-id <id>', '12-digit account id in ARNs', envOr('SELFLESS_ACCOUNT_ID', '000000000000'))
    .option('--concurrency-limit <n>', 'account-wide concurrent executions', envOr('SELFLESS_CONCURRENCY_LIMIT', '1000'))
    .option('--unreserved-minimum <n>', 'concurrency reserved concurrency may not take from the shared pool', envOr('SELFLESS_UNRESERVED_MINIMUM', '100'))
    .option('--idle-timeout <seconds>', 'stop a warm environment after this long unused', envOr('SELFLESS_IDLE_TIMEOUT', '600'))
    .option('--max-environment-age <seconds>', 'retire a warm environment once it is this old, between invocations', envOr('SELFLESS_MAX_ENVIRONMENT_AGE', '7200'))
    .option('--sandbox <mode>', 'isolate environments with bubblewrap: auto, bwrap or none', envOr('SELFLESS_SANDBOX', 'auto'))
    .option('--prestarted-runtimes <n>', 'runtimes kept pre-started per runtime and memory size, for fast cold starts', envOr('SELFLESS_PRESTARTED_RUNTIMES', '2'))
    .option('--extension-port <port>', 'loopback port of the Parameters and Secrets extension endpoint for functions that list its layer (default 2773)', process.env['SELFLESS_EXTENSION_PORT'])
    .option('--tls-port <port>', 'also serve every API over TLS on this port, with a certificate from a CA kept in the data dir that environments trust', process.env['SELFLESS_TLS_PORT'])
    .option('--concurrent-starts <n>', 'environments initialising at once; a burst waits its turn (default: the CPUs, at least 2)', process.env['SELFLESS_CONCURRENT_STARTS'])
    .option('--max-environments <n>', 'environments alive at once; idle ones stop to make room (default: one per 64 MiB of memory)', process.env['SELFLESS_MAX_ENVIRONMENTS'])
    .option('--managed-min-environments <n>', 'environments a published Lambda Managed Instances version keeps started unless its MinExecutionEnvironments says otherwise (Lambda: 3)', envOr('SELFLESS_MANAGED_MIN_ENVIRONMENTS', '3'))
    .option('--no-freeze', 'let environments run between invocations (Lambda freezes them)')
    .option('--shutdown-grace <seconds>', 'on SIGINT/SIGTERM, how long in-flight invocations may finish', envOr('SELFLESS_SHUTDOWN_GRACE', '10'))
    .option('--async-retry-scale <factor>', 'multiply async retry delays (1 and 2 minutes) and throttle backoff, e.g. 0.01', envOr('SELFLESS_ASYNC_RETRY_SCALE', '1'))
    .option('--time-scale <factor>', 'run deployments, schedules, async retry backoff and custom resource timeouts this many times faster (up to 3600), e.g. 60', envOr('SELFLESS_TIME_SCALE', '1'))
    .option('--custom-resource-timeout <seconds>', 'how long CloudFormation waits for a custom resource to answer', envOr('SELFLESS_CUSTOM_RESOURCE_TIMEOUT', '3600'))
    .option('--metrics-retention <hours>', 'keep per-function metrics this long', envOr('SELFLESS_METRICS_RETENTION', String(24 * 14)))
    .option('--master-key-file <file>', 'the key that encrypts secrets at rest; every node of a fleet needs the same file [default: master.key in the data dir]', process.env['SELFLESS_MASTER_KEY_FILE'])
    .option(
      '--file-system <arn=dir>',
      'a host folder standing for an EFS access point: functions whose FileSystemConfigs name the ARN see the folder read-write at their LocalMountPath (repeatable) [SELFLESS_FILE_SYSTEMS, comma-separated]',
      (value: string, previous: string[]) => [...previous, value],
      (process.env['SELFLESS_FILE_SYSTEMS'] ?? '').split(',').filter((v) => v !== ''),
    )
    .option(
      '--runtime-interpreter <runtime=path>',
      'run a Ruby runtime on this interpreter instead of a matching one found on the machine, e.g. ruby3.3=/usr/bin/ruby (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--credentials <file>', 'JSON list of { accessKeyId, secretAccessKey, accountId }: verify every request\'s signature (needed to listen beyond loopback) [SELFLESS_CREDENTIALS]', process.env['SELFLESS_CREDENTIALS'])
    .option('--public-url <url>', 'base of the URLs handed out (function URLs, queue URLs, API endpoints) when clients reach the server by another name [SELFLESS_PUBLIC_URL]', process.env['SELFLESS_PUBLIC_URL'])
    .option('--node-id <id>', 'this node\'s name among the servers sharing a PostgreSQL store [SELFLESS_NODE_ID, default: the host name]', process.env['SELFLESS_NODE_ID'])
    .option('--advertise <url>', 'where the other nodes of a fleet reach this one [SELFLESS_ADVERTISE, default: the URL it serves on]', process.env['SELFLESS_ADVERTISE'])
    .option('--node-dead-after <seconds>', 'a node silent this long is dead and its leases go to another', envOr('SELFLESS_NODE_DEAD_AFTER', '10'))
    .option('--log-level <level>', 'debug, info, warn, error or silent', envOr('SELFLESS_LOG_LEVEL', 'info'))
    .action(async (flags: Record<string, string | boolean>) => {
      const o = (name: string): string => String(flags[name]);
      const input: ConfigInput = {
        port: int(o('port'), '--port'),
        host: o('host'),
        dataDir: o('dataDir'),
        store: typeof flags['store'] === 'string' ? flags['store'] : (process.env['SELFLESS_STORE'] ?? 'sqlite'),
        region: o('region'),
        accountId: o('accountId'),
        concurrencyLimit: int(o('concurrencyLimit'), '--concurrency-limit'),
        unreservedMinimum: int(o('unreservedMinimum'), '--unreserved-minimum'),
        idleTimeoutMs: int(o('idleTimeout'), '--idle-timeout') * 1000,
        maxEnvironmentAgeMs: int(o('maxEnvironmentAge'), '--max-environment-age') * 1000,
        shutdownGraceMs: int(o('shutdownGrace'), '--shutdown-grace') * 1000,
        sandbox: o('sandbox') as ConfigInput['sandbox'],
        freeze: flags['freeze'] !== false,
        prestartedRuntimes: int(o('prestartedRuntimes'), '--prestarted-runtimes'),
        managedMinEnvironments: int(o('managedMinEnvironments'), '--managed-min-environments'),
        ...(flags['tlsPort'] !== undefined ? { tlsPort: int(o('tlsPort'), '--tls-port') } : {}),
        ...(flags['extensionPort'] !== undefined ? { extensionPort: int(o('extensionPort'), '--extension-port') } : {}),
        ...(flags['concurrentStarts'] !== undefined ? { concurrentStarts: int(o('concurrentStarts'), '--concurrent-starts') } : {}),
        ...(flags['maxEnvironments'] !== undefined ? { maxEnvironments: int(o('maxEnvironments'), '--max-environments') } : {}),
        logLevel: o('logLevel') as ConfigInput['logLevel'],
        asyncRetryScale: factor(o('asyncRetryScale'), '--async-retry-scale'),
        timeScale: factor(o('timeScale'), '--time-scale'),
        metricsRetentionHours: int(o('metricsRetention'), '--metrics-retention'),
        customResourceTimeoutMs: int(o('customResourceTimeout'), '--custom-resource-timeout') * 1000,
        ...(typeof flags['masterKeyFile'] === 'string' ? { masterKeyFile: flags['masterKeyFile'] } : {}),
        fileSystems: (flags['fileSystem'] as unknown as string[]).map(fileSystemMapping),
        runtimeInterpreters: Object.fromEntries((flags['runtimeInterpreter'] as unknown as string[]).map((v) => pair(v, '--runtime-interpreter', 'RUNTIME=PATH'))),
        ...(typeof flags['credentials'] === 'string' ? { credentials: flags['credentials'] } : {}),
        ...(typeof flags['publicUrl'] === 'string' ? { publicUrl: flags['publicUrl'] } : {}),
        ...(typeof flags['nodeId'] === 'string' ? { nodeId: flags['nodeId'] } : {}),
        ...(typeof flags['advertise'] === 'string' ? { advertise: flags['advertise'] } : {}),
        nodeDeadAfterMs: Math.round(factor(o('nodeDeadAfter'), '--node-dead-after') * 1000),
      };
      let platform;
      try {
        platform = await startPlatform(input);
      } catch (err) {
        // Both say what to fix: no stack trace.
        if (err instanceof ConfigError || err instanceof MasterKeyError || err instanceof FleetJoinError) throw new Error(err.message);
        throw err;
      }
      process.stdout.write(`Selfless is serving on ${platform.url} (data in ${platform.config.dataDir})\n`);
      const shutdown = (signal: string) => {
        process.stdout.write(`\n${signal}: finishing in-flight invocations and stopping environments...\n`);
        platform.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`error while stopping: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}

/** `KEY=VALUE`, split at the first `=` (neither an ARN nor a runtime id has one). */
function pair(value: string, flag: string, form: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new Error(`${flag} must be ${form}, got '${value}'`);
  return [value.slice(0, at), value.slice(at + 1)];
}

function fileSystemMapping(value: string): { arn: string; hostDir: string } {
  const [arn, hostDir] = pair(value, '--file-system', 'ACCESS_POINT_ARN=DIR');
  return { arn, hostDir };
}

const envOr = (name: string, fallback: string): string => process.env[name] ?? fallback;

function int(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number, got '${value}'`);
  return Number(value);
}

function factor(value: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new Error(`${flag} must be a non-negative number, got '${value}'`);
  return Number(value);
}
