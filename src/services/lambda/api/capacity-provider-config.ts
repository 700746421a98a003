/** CapacityProviderConfig at CreateFunction and UpdateFunctionConfiguration, turned into the function's managed-instances settings. */
import type { FunctionConfig } from '../../../domain/function.js';
import { DEFAULT_GIB_PER_VCPU, defaultConcurrencyPerVCpu, vcpusOf } from '../../../domain/managed-instances.js';
import type { CapacityProviderConfig } from '../../../wire/inputs/lambda.js';

/**
 * Lambda's defaults: 2 GiB per vCPU; concurrent invocations per environment, when not given, are the
 * runtime's figure per vCPU (Node.js 64, Java and .NET 32, Python 16) times the environment's vCPUs.
 * The rules the result must satisfy are checked with the rest of the configuration (domain/managed-instances.ts).
 */
export function managedInstancesFrom(wire: CapacityProviderConfig, config: Pick<FunctionConfig, 'runtime' | 'memoryMb'>): NonNullable<FunctionConfig['managedInstances']> {
  const c = wire.LambdaManagedInstancesCapacityProviderConfig;
  const memoryGiBPerVCpu = c.ExecutionEnvironmentMemoryGiBPerVCpu ?? DEFAULT_GIB_PER_VCPU;
  const vcpus = Math.max(1, vcpusOf(config.memoryMb, memoryGiBPerVCpu));
  return {
    capacityProviderArn: c.CapacityProviderArn,
    perEnvironmentMaxConcurrency: c.PerExecutionEnvironmentMaxConcurrency ?? defaultConcurrencyPerVCpu(config.runtime) * vcpus,
    memoryGiBPerVCpu,
  };
}

/**
 * A change of memory or runtime moves a concurrency that was the default to the new default (one set to
 * exactly the old default is taken as the default: the two cannot be told apart once stored).
 */
export function concurrencyAfter(current: FunctionConfig, next: Pick<FunctionConfig, 'runtime' | 'memoryMb'>): FunctionConfig['managedInstances'] {
  const mi = current.managedInstances;
  if (!mi) return undefined;
  const defaultFor = (c: Pick<FunctionConfig, 'runtime' | 'memoryMb'>) => defaultConcurrencyPerVCpu(c.runtime) * Math.max(1, vcpusOf(c.memoryMb, mi.memoryGiBPerVCpu));
  if (mi.perEnvironmentMaxConcurrency !== defaultFor(current)) return mi;
  return { ...mi, perEnvironmentMaxConcurrency: defaultFor(next) };
}
