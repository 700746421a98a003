/**
 * Functions on Lambda Managed Instances, created the one way every test does: with a capacity
 * provider config, then published (such functions run only as published versions).
 */
import { PublishVersionCommand, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './platform.js';

export const CAPACITY_PROVIDER_ARN = 'arn:aws:lambda:us-east-1:000000000000:capacity-provider:test-provider';

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
