/** The environment variables a function sees: Lambda's reserved set, then the function's own. */

/** Keys a function may not set, as Lambda rejects them. */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export interface EnvVarInput {
  functionName: string;
  version: string;
  memoryMb: number;
  runtime: string;
  handler: string;
  region: string;
  taskRoot: string;
  runtimeDir: string;
  logGroup: string;
  logStream: string;
  runtimeApi: string;
  /** `on-demand`, `provisioned-concurrency` for environments kept ready in advance, or Lambda Managed Instances' own. */
  initializationType: 'on-demand' | 'provisioned-concurrency' | 'lambda-managed-instances';
  /** Where the AWS SDK inside the function should send its calls: this server. */
  endpointUrl: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Added by the runtime (NODE_PATH, PYTHONPATH...); the function's own variables may override them. */
  runtimeEnv: Readonly<Record<string, string>>;
  user: Readonly<Record<string, string>>;
  /** The server's CA, as the environment sees it: Node.js, Python, curl and the AWS SDKs trust it. */
  trust?: { caFile: string; bundleFile: string };
  /** JSON logs: the runtime writes JSON records and drops those below the application level. */
  logging?: { format: 'Text' | 'JSON'; applicationLevel?: string };
  /** Lambda Managed Instances: invocations one environment serves at once, and its vCPUs. */
  managedInstances?: { maxConcurrency: number; vcpus: number };
}

export function buildEnvironment(i: EnvVarInput): Record<string, string> {
  return {
    ...i.runtimeEnv,
    PATH: '/usr/local/bin:/usr/bin:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LD_LIBRARY_PATH: '/lib64:/usr/lib64:/opt/lib',
    ...withoutPlatformOwned(i.user),
    _HANDLER: i.handler,
    AWS_REGION: i.region,
    AWS_DEFAULT_REGION: i.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${i.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: i.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(i.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: i.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: i.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: i.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: i.logStream,
    AWS_LAMBDA_RUNTIME_API: i.runtimeApi,
    LAMBDA_TASK_ROOT: i.taskRoot,
    LAMBDA_RUNTIME_DIR: i.runtimeDir,
    AWS_ACCESS_KEY_ID: i.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: i.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: i.credentials.sessionToken,
    // The SDK inside the function reaches this server, never the instance metadata address.
    AWS_ENDPOINT_URL: i.user['AWS_ENDPOINT_URL'] ?? i.endpointUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    ...(i.trust ? trustEnvironment(i.trust) : {}),
    ...(i.logging?.format === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: i.logging.applicationLevel ?? 'INFO' } : {}),
    ...(i.managedInstances ? managedInstancesEnvironment(i.managedInstances, i.runtime, i.user) : {}),
  };
}

/**
 * NODE_EXTRA_CA_CERTS adds the server's CA to Node.js's roots (read when Node starts, so pre-started
 * runtimes get it at launch); the others replace OpenSSL's bundle, so they name the system's bundle
 * with the CA appended.
 */
export function trustEnvironment(t: { caFile: string; bundleFile: string }): Record<string, string> {
  return { NODE_EXTRA_CA_CERTS: t.caFile, SSL_CERT_FILE: t.bundleFile, REQUESTS_CA_BUNDLE: t.bundleFile, AWS_CA_BUNDLE: t.bundleFile };
}

/** AWS_LAMBDA_MAX_CONCURRENCY is the platform's to set: a function's own would make its runtime poll as it is not served. */
function withoutPlatformOwned(user: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (user['AWS_LAMBDA_MAX_CONCURRENCY'] === undefined) return user;
  const { AWS_LAMBDA_MAX_CONCURRENCY: _ignored, ...rest } = user;
  return rest;
}

/**
 * What a runtime of a Lambda Managed Instances environment is told: how many invocations it may
 * take at once and, for Node.js, how many worker threads share them (the function's own
 * AWS_LAMBDA_NODEJS_WORKER_COUNT wins; else one per vCPU of the environment).
 */
function managedInstancesEnvironment(m: { maxConcurrency: number; vcpus: number }, runtime: string, user: Readonly<Record<string, string>>): Record<string, string> {
  const workers = user['AWS_LAMBDA_NODEJS_WORKER_COUNT'] ?? String(Math.min(m.vcpus, m.maxConcurrency));
  return { AWS_LAMBDA_MAX_CONCURRENCY: String(m.maxConcurrency), ...(runtime.startsWith('nodejs') ? { AWS_LAMBDA_NODEJS_WORKER_COUNT: workers } : {}) };
}
