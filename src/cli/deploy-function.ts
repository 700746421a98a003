/** Creates a function from a folder, or updates its code (and configuration): what `deploy` and `drain` share. */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { zipDirectory } from '../code/zip-dir.js';

export interface FunctionSpec {
  name: string;
  runtime: string;
  handler: string;
  role: string;
  timeout?: number;
  memory?: number;
  env?: Record<string, string>;
}

export type DeployOutcome =
  | { created: true; arn: string; bytes: number; runtime: string; handler: string }
  | { created: false; bytes: number; configChanged: boolean };

export async function deployFunction(client: LambdaClient, dir: string, spec: FunctionSpec, updateConfig = true): Promise<DeployOutcome> {
  const zip = await zipDirectory(dir);
  const exists = await client.send(new GetFunctionCommand({ FunctionName: spec.name })).then(
    () => true,
    (err: unknown) => {
      if (err instanceof ResourceNotFoundException) return false;
      throw err;
    },
  );
  const config = {
    ...(spec.timeout !== undefined ? { Timeout: spec.timeout } : {}),
    ...(spec.memory !== undefined ? { MemorySize: spec.memory } : {}),
    ...(spec.env ? { Environment: { Variables: spec.env } } : {}),
  };
  if (!exists) {
    const created = await client.send(
      new CreateFunctionCommand({ FunctionName: spec.name, Runtime: spec.runtime as never, Handler: spec.handler, Role: spec.role, Code: { ZipFile: zip }, ...config }),
    );
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 60 }, { FunctionName: spec.name });
    return { created: true, arn: created.FunctionArn!, bytes: zip.length, runtime: created.Runtime!, handler: created.Handler! };
  }
  await client.send(new UpdateFunctionCodeCommand({ FunctionName: spec.name, ZipFile: zip }));
  await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 60 }, { FunctionName: spec.name });
  const configChanged = updateConfig && Object.keys(config).length > 0;
  if (configChanged) {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: spec.name, ...config }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 60 }, { FunctionName: spec.name });
  }
  return { created: false, bytes: zip.length, configChanged };
}

/** `--env K=V` pairs as a map; undefined when none was given. */
export function parseEnvPairs(pairs: readonly string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--env expects KEY=VALUE, got '${p}'`);
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}
