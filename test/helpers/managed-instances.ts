/**
 * Functions on Lambda Managed Instances, created the one way every test does: with a capacity
 * provider config, then published (such functions run only as published versions).
 */
import { CreateCapacityProviderCommand, GetCapacityProviderCommand, PublishVersionCommand, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './platform.js';

const CAPACITY_PROVIDER = 'test-provider';
export const CAPACITY_PROVIDER_ARN = `arn:aws:lambda:us-east-1:000000000000:capacity-provider:${CAPACITY_PROVIDER}`;

/** The capacity provider every managed function of a test server is placed on, created the first time. */
async function ensureCapacityProvider(lambda: LambdaClient): Promise<void> {
  const exists = await lambda.send(new GetCapacityProviderCommand({ CapacityProviderName: CAPACITY_PROVIDER })).then(
    () => true,
    (err: { name?: string }) => {
      if (err.name === 'ResourceNotFoundException') return false;
      throw err;
    },
  );
  if (exists) return;
  await lambda.send(
    new CreateCapacityProviderCommand({
      CapacityProviderName: CAPACITY_PROVIDER,
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: 'arn:aws:iam::000000000000:role/operator' },
    }),
  );
}

export interface ManagedOptions {
  perEnvironmentMaxConcurrency?: number;
  memoryGiBPerVCpu?: number;
}

/** Creates a managed-instances function from a fixture folder and publishes it; returns its version. */
export async function createManagedFunction(
  lambda: LambdaClient,
  name: string,
  fixture: string,
  managed: ManagedOptions,
  extra: Partial<CreateFunctionCommandInput> = {},
): Promise<string> {
  await ensureCapacityProvider(lambda);
  await createFunction(lambda, name, fixture, {
    Runtime: 'nodejs22.x',
    MemorySize: 2048,
    CapacityProviderConfig: {
      LambdaManagedInstancesCapacityProviderConfig: {
        CapacityProviderArn: CAPACITY_PROVIDER_ARN,
        ...(managed.perEnvironmentMaxConcurrency !== undefined ? { PerExecutionEnvironmentMaxConcurrency: managed.perEnvironmentMaxConcurrency } : {}),
        ...(managed.memoryGiBPerVCpu !== undefined ? { ExecutionEnvironmentMemoryGiBPerVCpu: managed.memoryGiBPerVCpu } : {}),
      },
    },
    ...extra,
  });
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return published.Version!;
}
