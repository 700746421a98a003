/** Internal model of a function and its $LATEST version. No AWS wire names beyond values. */
import { z } from 'zod';

export const FunctionStateSchema = z.enum(['Pending', 'Active', 'Inactive', 'Failed']);
export const LastUpdateStatusSchema = z.enum(['InProgress', 'Successful', 'Failed']);

export const CodeRefSchema = z.object({
  /** SHA-256 of the zip, hex; the content address in the code store. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});

export const FunctionConfigSchema = z.object({
  runtime: z.string(),
  handler: z.string(),
  role: z.string(),
  description: z.string(),
  timeoutSeconds: z.number().int(),
  memoryMb: z.number().int(),
  ephemeralStorageMb: z.number().int(),
  environment: z.record(z.string(), z.string()),
  architecture: z.enum(['x86_64', 'arm64']),
});

export const FunctionRecordSchema = z.object({
  name: z.string(),
  config: FunctionConfigSchema,
  code: CodeRefSchema,
  revisionId: z.string(),
  /** ISO-8601 with milliseconds and +0000, as Lambda prints LastModified. */
  lastModified: z.string(),
  state: FunctionStateSchema,
  stateReason: z.string().optional(),
  stateReasonCode: z.string().optional(),
  lastUpdateStatus: LastUpdateStatusSchema,
  lastUpdateStatusReason: z.string().optional(),
  reservedConcurrency: z.number().int().nonnegative().nullable(),
  tags: z.record(z.string(), z.string()),
});

export type FunctionConfig = z.infer<typeof FunctionConfigSchema>;
export type FunctionRecord = z.infer<typeof FunctionRecordSchema>;
export type CodeRef = z.infer<typeof CodeRefSchema>;

export const LATEST = '$LATEST';

export const formatLastModified = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
