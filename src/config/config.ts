import { resolve } from 'node:path';
import { z } from 'zod';

/** Every server setting, validated once and frozen. Flags and environment variables both land here. */
export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(9000),
  dataDir: z.string().min(1).default('./.selfless'),
  /** Where state is kept: SQLite in the data dir, or a PostgreSQL database that several nodes share. */
  store: z.union([z.literal('sqlite'), z.string().regex(/^postgres(ql)?:\/\//, "must be 'sqlite' or a postgres:// URL")]).default('sqlite'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like us-east-1').default('us-east-1'),
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits').default('000000000000'),
  /** Account-wide concurrent executions, as Lambda's ConcurrentExecutions quota. */
  concurrencyLimit: z.number().int().min(1).default(1000),
  /** Concurrency that reserved concurrency may never take from the unreserved pool (Lambda: 100). */
  unreservedMinimum: z.number().int().min(0).default(100),
  /** Stop a warm environment after this long without an invocation (scale to zero). */
  idleTimeoutMs: z.number().int().min(0).default(10 * 60 * 1000),
  /**
   * Retire an environment once it is this old, at its next idle moment, as Lambda retires even
   * busy environments periodically: long-lived processes accumulate state (Node.js keeps every
   * value ever set in process.env, such as each invocation's _X_AMZN_TRACE_ID, about 140 bytes each).
   */
  maxEnvironmentAgeMs: z.number().int().min(1000).default(2 * 60 * 60 * 1000),
  /** Port of a TLS listener beside the plain one (0 picks a free one); off when unset. */
  tlsPort: z.number().int().min(0).max(65535).optional(),
  /**
   * Loopback port of the AWS Parameters and Secrets Lambda Extension's endpoint, which the platform
   * provides to functions that list the extension's layer (started on first use; if the port is
   * taken, another is used: functions read it from PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).
   */
  extensionPort: z.number().int().min(0).max(65535).default(2773),
  /** Environments initialising at once; more wait their turn (default: the CPUs, at least 2). */
  concurrentStarts: z.number().int().min(1).max(1024).optional(),
  /** Environments alive at once over every function; idle ones are stopped to make room (default: one per 64 MiB of memory). */
  maxEnvironments: z.number().int().min(1).optional(),
  /** Time an environment gets to initialise before its first /next (Lambda: 10 s). */
  initTimeoutMs: z.number().int().min(1).default(10_000),
  /** How environments are isolated: bubblewrap when installed (auto), always (bwrap), or never (none). */
  sandbox: z.enum(['auto', 'bwrap', 'none']).default('auto'),
  /** Bound memory with cgroups where the kernel offers them (false: the sampling watchdog). */
  cgroups: z.boolean().default(true),
  /** Runtimes kept pre-started per runtime and memory size, so a cold start only loads the code. */
  prestartedRuntimes: z.number().int().min(0).max(64).default(2),
  /**
   * Environments each published Lambda Managed Instances version keeps started when its scaling config
   * sets no MinExecutionEnvironments (Lambda: 3). Lower it on a small machine: each one is a process.
   */
  managedMinEnvironments: z.number().int().min(0).max(15000).default(3),
  /** Stop an environment's processes between invocations, as Lambda freezes them. */
  freeze: z.boolean().default(true),
  /** At shutdown, how long in-flight invocations may run on before their environments are stopped. */
  shutdownGraceMs: z.number().int().min(0).default(10_000),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Multiplies asynchronous invocation's retry delays (Lambda: 1 and 2 minutes) and throttle backoff; 0.01 makes them 0.6 s and 1.2 s. */
  asyncRetryScale: z.number().min(0).max(100).default(1),
  /**
   * Runs the time of deployments (and CodeDeploy's), schedules, async retry backoff and CloudFormation's
   * custom resource timeout this many times faster, for tests and demos (60: a minute a second).
   * Invoke timeouts and anything a function measures keep real time.
   */
  timeScale: z.number().positive().max(3600).default(1),
  /** How long CloudFormation waits for a custom resource's response (CloudFormation: an hour). */
  customResourceTimeoutMs: z.number().int().min(1).default(3_600_000),
  /** Per-function metrics older than this are deleted. */
  metricsRetentionHours: z.number().int().min(1).default(24 * 14),
  /**
   * The master key that encrypts secrets at rest (default: `master.key` in the data dir, created on
   * first start). Every node of a fleet must be given the same file.
   */
  masterKeyFile: z.string().min(1).optional(),
  /**
   * The base of every URL the server hands out (function URLs, queue URLs, API endpoints), when
   * clients reach it by another name than the listen address, e.g. http://selfless.internal:9000.
   * Function URLs and API endpoints are named under its host (`<id>.lambda-url.<region>.<host>`),
   * or path-based when the host is an IP address.
   */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => new URL(u).pathname === '/' && !new URL(u).search, 'must be a scheme, host and port, with no path')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /**
   * Folders of this host that stand for EFS access points: a function whose FileSystemConfigs name an
   * access point sees its folder, read-write, at its LocalMountPath.
   */
  fileSystems: z
    .array(
      z.strictObject({
        arn: z.string().regex(/^arn:aws[a-zA-Z-]*:elasticfilesystem:[a-z0-9-]+:\d{12}:access-point\/fsap-[a-f0-9]{17}$/, 'must be an EFS access point ARN (arn:aws:elasticfilesystem:REGION:ACCOUNT:access-point/fsap-...)'),
        hostDir: z.string().min(1),
      }),
    )
    .default([]),
  /**
   * The interpreter each named runtime runs on, instead of the one found on this machine (Ruby
   * runtimes only): the operator vouches that it runs their functions, e.g. a Ruby 3.1 for ruby3.3.
   */
  runtimeInterpreters: z.record(z.string().regex(/^ruby\d\.\d+$/, 'only Ruby runtimes (ruby3.3, ruby3.4) take an interpreter'), z.string().min(1)).default({}),
  /** A JSON file of access keys: every request's signature is verified against them. Without it, any credentials pass (loopback only). */
  credentials: z.string().min(1).optional(),
  /** This node's name in the fleet sharing the store (default: the machine's host name); two live nodes never share one. */
  nodeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dots, dashes and underscores, at most 64').optional(),
  /** Where the other nodes of a fleet reach this one (default: the URL it serves on). */
  advertise: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')).optional(),
  /** A node silent this long is dead: the leases it held go to a live node. */
  nodeDeadAfterMs: z.number().int().min(300).default(10_000),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(input: ConfigInput): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
  // Accepting any signature is safe only where no one else can connect.
  if (parsed.data.credentials === undefined && !isLoopback(parsed.data.host)) {
    throw new ConfigError(
      `refusing to listen on ${parsed.data.host} without --credentials: any caller could use every API. Give a credentials file (--credentials FILE or SELFLESS_CREDENTIALS), or listen on 127.0.0.1`,
    );
  }
  const fileSystems = parsed.data.fileSystems.map((f) => ({ ...f, hostDir: resolve(f.hostDir) }));
  return Object.freeze({ ...parsed.data, dataDir: resolve(parsed.data.dataDir), fileSystems });
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
