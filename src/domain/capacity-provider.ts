/**
 * Lambda Managed Instances' capacity provider: here, a named share of this server's (or fleet's) CPU
 * and memory that functions are placed on. What the request declared is kept as declared.
 */
import { z } from 'zod';

export const CapacityProviderStateSchema = z.enum(['Pending', 'Active', 'Failed', 'Deleting']);

export const CapacityProviderRecordSchema = z.object({
  name: z.string(),
  state: CapacityProviderStateSchema,
  vpc: z.object({ subnetIds: z.array(z.string()), securityGroupIds: z.array(z.string()) }),
  operatorRoleArn: z.string(),
  instanceRequirements: z
    .object({
      architectures: z.array(z.string()).optional(),
      allowedInstanceTypes: z.array(z.string()).optional(),
      excludedInstanceTypes: z.array(z.string()).optional(),
    })
    .optional(),
  scaling: z.object({
    /** Undefined: no limit beyond what the server has. */
    maxVCpuCount: z.number().int().optional(),
    mode: z.enum(['Auto', 'Manual']),
    policies: z.array(z.object({ metric: z.string(), targetValue: z.number() })),
  }),
  kmsKeyArn: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  /** ISO-8601, as Lambda prints LastModified. */
  lastModified: z.string(),
});

export type CapacityProviderRecord = z.infer<typeof CapacityProviderRecordSchema>;
export type CapacityProviderState = z.infer<typeof CapacityProviderStateSchema>;

/** PutFunctionScalingConfig: how many environments a published version of a managed-instances function keeps. */
export const FunctionScalingRecordSchema = z.object({
  functionName: z.string(),
  /** A version number or `$LATEST.PUBLISHED`. */
  qualifier: z.string(),
  minEnvironments: z.number().int().nonnegative().optional(),
  maxEnvironments: z.number().int().nonnegative().optional(),
});
export type FunctionScalingRecord = z.infer<typeof FunctionScalingRecordSchema>;
