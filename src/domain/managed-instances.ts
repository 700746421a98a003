/**
 * Lambda Managed Instances' rules for a function's configuration: which runtimes may run on a capacity
 * provider, the smallest environment (2 GiB and one vCPU), and the default number of concurrent
 * invocations per environment, which Lambda's runtime pages give per vCPU.
 */
import { Errors } from '../wire/errors.js';
import type { FunctionConfig } from './function.js';

export const DEFAULT_MEMORY_MB = 2048;
export const DEFAULT_GIB_PER_VCPU = 2;
const MIN_MEMORY_MB = 2048;

/** Node.js 22+, Python 3.13+, Java 21+, .NET 8+ and the OS-only runtime provided.al2023. */
export function isManagedInstancesRuntime(runtime: string): boolean {
  const m = /^(nodejs|python|java|dotnet)(\d+)(?:\.(\d+))?/.exec(runtime);
  if (runtime === 'provided.al2023') return true;
  if (!m) return false;
  const major = Number(m[2]);
  const minor = Number(m[3] ?? 0);
  switch (m[1]) {
    case 'nodejs':
      return major >= 22;
    case 'python':
      return major > 3 || (major === 3 && minor >= 13);
    case 'java':
      return major >= 21;
    default:
      return major >= 8;
  }
}

/** Concurrent invocations per vCPU when the function does not set PerExecutionEnvironmentMaxConcurrency. */
export function defaultConcurrencyPerVCpu(runtime: string): number {
  if (runtime.startsWith('nodejs')) return 64;
  if (runtime.startsWith('python')) return 16;
  if (runtime.startsWith('java') || runtime.startsWith('dotnet')) return 32;
  // provided.al2023: no figure documented; the runtime learns its limit from AWS_LAMBDA_MAX_CONCURRENCY.
  return 8;
}

/** The vCPUs an environment gets: its memory divided by the memory per vCPU. */
export const vcpusOf = (memoryMb: number, gibPerVCpu: number): number => Math.floor(memoryMb / 1024 / gibPerVCpu);

/** Checks a function's configuration against the rules of a capacity provider. */
export function checkManagedInstances(c: FunctionConfig): void {
  const mi = c.managedInstances;
  if (!mi) return;
  if (!isManagedInstancesRuntime(c.runtime)) {
    throw Errors.invalidParameter(
      `The runtime ${c.runtime} is not supported for functions with a capacity provider. Use Node.js 22 or later, Python 3.13 or later, Java 21 or later, .NET 8 or later, or provided.al2023.`,
    );
  }
  if (c.memoryMb < MIN_MEMORY_MB) {
    throw Errors.invalidParameter(`'MemorySize' must be at least ${MIN_MEMORY_MB} MB for a function with a capacity provider; got ${c.memoryMb}.`);
  }
  if (vcpusOf(c.memoryMb, mi.memoryGiBPerVCpu) < 1) {
    throw Errors.invalidParameter(
      `'MemorySize' of ${c.memoryMb} MB gives less than one vCPU at ${mi.memoryGiBPerVCpu} GiB per vCPU (ExecutionEnvironmentMemoryGiBPerVCpu); use at least ${mi.memoryGiBPerVCpu * 1024} MB.`,
    );
  }
}
