/** Starts a real Selfless server on port 0 with its own data dir, and SDK clients pointed at it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { zipDirectory } from '../../src/code/zip-dir.js';
import type { ConfigInput } from '../../src/config/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startPlatform, type Platform, type PlatformOverrides } from '../../src/main.js';
import { testSchema, testStoreKind } from './test-store.js';

// Never let a client look for credentials on the network (FACTS.md).
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
process.env['AWS_REGION'] ??= 'us-east-1';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const ROLE = 'arn:aws:iam::000000000000:role/test';
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/functions/', import.meta.url));

export interface TestPlatform {
  platform: Platform;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  dataDir: string;
  /** Stops the server; keeps the data dir (for restart tests) unless `wipe`. */
  stop(wipe?: boolean): Promise<void>;
}

export async function startTestPlatform(config: Partial<ConfigInput> = {}, dataDir?: string, overrides: PlatformOverrides = {}): Promise<TestPlatform> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'selfless-test-'));
  // On PostgreSQL, a schema per data dir: a restart on the same dir finds the same rows.
  const schema = testStoreKind() === 'postgres' && config.store === undefined ? await testSchema(dir) : undefined;
  const store = schema ? { store: schema.url } : {};
  // Published managed-instances versions keep no environments unless a test asks (Lambda keeps 3 each: too many processes for the suite).
  const platform = await startPlatform(
    { port: 0, dataDir: dir, logLevel: 'silent', shutdownGraceMs: 2000, managedMinEnvironments: 0, ...store, ...config },
    { logger: silentLogger, ...overrides },
  );
  // The SDK's default agent allows 50 sockets per host: bursts in tests need more.
  const requestHandler = { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) };
  const clientConfig = { endpoint: platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler };
  const lambda = new LambdaClient(clientConfig);
  const logs = new CloudWatchLogsClient(clientConfig);
  return {
    platform,
    lambda,
    logs,
    dataDir: dir,
    async stop(wipe = true) {
      lambda.destroy();
      logs.destroy();
      await platform.stop();
      if (wipe) rmSync(dir, { recursive: true, force: true });
      if (wipe) await schema?.drop();
    },
  };
}

export const fixtureZip = (name: string): Promise<Buffer> => zipDirectory(join(FIXTURES, name));

/** Creates a function from a fixture folder and waits until it is Active, as a careful SDK user does. */
export async function createFunction(
  lambda: LambdaClient,
  name: string,
  fixture: string,
  extra: Partial<CreateFunctionCommandInput> = {},
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await fixtureZip(fixture) },
      ...extra,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
}

export const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

export interface EnvironmentInfo {
  Id: string;
  Version: string;
  State: string;
  Provisioned: boolean;
  Pid: number;
  LogStream: string;
  PreStarted: boolean;
}

/** The live environments of a function, from Selfless's admin API (host pids included). */
export async function environmentsOf(url: string, name: string): Promise<EnvironmentInfo[]> {
  const res = await fetch(`${url}/_selfless/functions/${name}/environments`);
  if (!res.ok) throw new Error(`environments of ${name}: HTTP ${res.status}`);
  return ((await res.json()) as { Environments: EnvironmentInfo[] }).Environments;
}

/** The host pid of the environment a function's invocation ran in, by its log stream. */
export async function hostPidOf(url: string, name: string, instance: string): Promise<number> {
  const env = (await environmentsOf(url, name)).find((e) => e.LogStream === instance);
  if (!env) throw new Error(`no live environment of ${name} with stream ${instance}`);
  return env.Pid;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
