/** Store interfaces of Lambda Managed Instances: capacity providers and functions' scaling configs. */
import type { CapacityProviderRecord, FunctionScalingRecord } from '../domain/capacity-provider.js';

export interface CapacityProviderRepo {
  get(name: string): Promise<CapacityProviderRecord | undefined>;
  /** Names in ascending (code-point) order, strictly after `after`. */
  list(after: string | undefined, limit: number): Promise<CapacityProviderRecord[]>;
  count(): Promise<number>;
  /** Inserts a provider; false if the name is taken. */
  create(record: CapacityProviderRecord): Promise<boolean>;
  /** Replaces a provider; false if it does not exist. */
  update(record: CapacityProviderRecord): Promise<boolean>;
  delete(name: string): Promise<boolean>;
}

export interface FunctionScalingRepo {
  put(record: FunctionScalingRecord): Promise<void>;
  get(functionName: string, qualifier: string): Promise<FunctionScalingRecord | undefined>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  deleteAll(functionName: string): Promise<void>;
}
