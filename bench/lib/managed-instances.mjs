// A Lambda Managed Instances function for the warm invoke benchmark: the same no-op async handler on
// nodejs22.x, placed on a capacity provider, published as $LATEST.PUBLISHED, with
// PerExecutionEnvironmentMaxConcurrency 64 and one environment (MaxExecutionEnvironments 1, which also
// bounds the kept minimum). MemorySize 2048 at 2 GiB per vCPU: one vCPU, so one worker thread.
import {
  CreateCapacityProviderCommand,
  CreateFunctionCommand,
  PublishVersionCommand,
  PutFunctionScalingConfigCommand,
  waitUntilFunctionActiveV2,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { processTree, sleep } from './processes.mjs';

export const MANAGED_CONCURRENCY = 64;

/** Creates the function on `server`; resolves once its one environment is warm, with its invoke URL and its environment's pids. */
export async function createManagedNoop(lambda, serverUrl, zip, name = 'noop-managed') {
  await lambda.send(
    new CreateCapacityProviderCommand({
      CapacityProviderName: 'bench',
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: 'arn:aws:iam::000000000000:role/operator' },
    }),
  );
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/b',
      Code: { ZipFile: zip },
      MemorySize: 2048,
      CapacityProviderConfig: {
        LambdaManagedInstancesCapacityProviderConfig: {
          CapacityProviderArn: 'arn:aws:lambda:us-east-1:000000000000:capacity-provider:bench',
          PerExecutionEnvironmentMaxConcurrency: MANAGED_CONCURRENCY,
        },
      },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  await lambda.send(new PublishVersionCommand({ FunctionName: name, PublishTo: 'LATEST_PUBLISHED' }));
  await lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: name, Qualifier: '$LATEST.PUBLISHED', FunctionScalingConfig: { MaxExecutionEnvironments: 1 } }));
  const env = await oneWarmEnvironment(serverUrl, name);
  // Published Pending: Active once its kept environment has initialised.
  await waitUntilPublishedVersionActive({ client: lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: name, Qualifier: '$LATEST.PUBLISHED' });
  return { invokeUrl: `${serverUrl}/2015-03-31/functions/${name}/invocations`, pids: () => processTree(env.Pid) };
}

/** Waits until the function has exactly one environment, initialised (those started at publish beyond the maximum have stopped). */
async function oneWarmEnvironment(serverUrl, name) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(`${serverUrl}/_selfless/functions/${name}/environments`);
    const envs = (await res.json()).Environments;
    if (envs.length === 1 && envs[0].State === 'idle') return envs[0];
    if (Date.now() > deadline) throw new Error(`${name}: no single warm environment after 120 s: ${JSON.stringify(envs)}`);
    await sleep(100);
  }
}
