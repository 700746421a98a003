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
  /** Layer versions, in order: later layers' files win in /opt. */
  layers: z.array(z.object({ arn: z.string(), codeSize: z.number().int() })).default([]),
  /** SQS queue that receives events whose asynchronous invocation failed (DeadLetterConfig.TargetArn). */
  deadLetterTargetArn: z.string().optional(),
  /** LoggingConfig: Lambda's text lines, or JSON records with application and system levels that filter them. */
  logging: z
    .object({
      format: z.enum(['Text', 'JSON']),
      applicationLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).optional(),
      systemLevel: z.enum(['DEBUG', 'INFO', 'WARN']).optional(),
      /** LoggingConfig.LogGroup when it is not the function's own `/aws/lambda/<name>`. */
      group: z.string().optional(),
    })
    .default({ format: 'Text' }),
  /** TracingConfig.Mode: Active samples traces that arrive without a decision; PassThrough follows the caller's. */
  tracing: z.enum(['Active', 'PassThrough']).default('PassThrough'),
  /** FileSystemConfigs (at most one): an EFS access point, seen read-write at a folder under /mnt. */
  fileSystems: z.array(z.object({ arn: z.string(), localMountPath: z.string() })).default([]),
  /** Set at creation and never changed: every tenant id gets environments of its own. */
  tenantIsolation: z.literal('PER_TENANT').optional(),
  /**
   * CapacityProviderConfig (Lambda Managed Instances): the function runs on a capacity provider, and each of its
   * environments serves up to `perEnvironmentMaxConcurrency` invocations at once, never frozen.
   */
  managedInstances: z
    .object({
      capacityProviderArn: z.string(),
      perEnvironmentMaxConcurrency: z.number().int().positive(),
      memoryGiBPerVCpu: z.number().positive(),
    })
    .optional(),
});

export type FileSystemConfig = z.infer<typeof FunctionConfigSchema>['fileSystems'][number];

/** A function URL (an HTTPS endpoint on Lambda; `<id>.lambda-url.<region>.<host>` or `/lambda-url/<id>/` here). */
export const FunctionUrlSchema = z.object({
  id: z.string(),
  authType: z.enum(['NONE', 'AWS_IAM']),
  invokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM']),
  cors: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type FunctionUrl = z.infer<typeof FunctionUrlSchema>;

/**
 * A published version's readiness, apart from its snapshot: a managed-instances version is `Pending`
 * until its minimum environments have initialised, then `Active`, or `Failed` if they could not.
 * Absent: `Active` (every other version, and those published before versions had a state).
 */
export const VersionStateSchema = z.object({
  state: z.enum(['Pending', 'Active', 'Failed']),
  stateReason: z.string().optional(),
  stateReasonCode: z.string().optional(),
});
export type VersionState = z.infer<typeof VersionStateSchema>;

/** The version with `state` in place of the readiness it had. */
export function withState<V extends VersionState | Partial<VersionState>>(v: V, state: VersionState): V {
  const { state: _s, stateReason: _r, stateReasonCode: _c, ...rest } = v;
  return { ...rest, ...state } as V;
}

/** A published version: an immutable snapshot of $LATEST's code and configuration, and its readiness. */
export const FunctionVersionRecordSchema = VersionStateSchema.partial().extend({
  functionName: z.string(),
  /** A number, or `$LATEST.PUBLISHED` (a managed-instances function's unnumbered published version). */
  version: z.string().regex(/^(\d+|\$LATEST\.PUBLISHED)$/),
  config: FunctionConfigSchema,
  code: CodeRefSchema,
  description: z.string(),
  revisionId: z.string(),
  lastModified: z.string(),
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
  /** The unqualified function's URL. */
  url: FunctionUrlSchema.optional(),
  /** URLs of aliases, by alias name: requests run the version the alias routes to. */
  aliasUrls: z.record(z.string(), FunctionUrlSchema).default({}),
  /** The function's resource policy statements (AddPermission), as IAM policy JSON objects. */
  policy: z.array(z.looseObject({ Sid: z.string() })).default([]),
  /** The last version number published; numbers are never reused, even after a version is deleted. */
  lastPublishedVersion: z.number().int().nonnegative().default(0),
  /** PutFunctionRecursionConfig: Terminate stops an event that loops back to this function too often. */
  recursiveLoop: z.enum(['Terminate', 'Allow']).default('Terminate'),
  /** `$LATEST.PUBLISHED` (PublishTo: LATEST_PUBLISHED): republished in place, never numbered. */
  latestPublished: FunctionVersionRecordSchema.optional(),
});

/** A published layer version: a package unpacked under /opt in the environments of functions using it. */
export const LayerVersionRecordSchema = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  description: z.string(),
  code: CodeRefSchema,
  compatibleRuntimes: z.array(z.string()),
  compatibleArchitectures: z.array(z.string()),
  licenseInfo: z.string().optional(),
  createdDate: z.string(),
  /** AddLayerVersionPermission's statements, and the revision each change of them makes. */
  policy: z.array(z.record(z.string(), z.unknown())).optional(),
  policyRevisionId: z.string().optional(),
});

export const AliasRecordSchema = z.object({
  functionName: z.string(),
  name: z.string(),
  functionVersion: z.string(),
  description: z.string(),
  /** Extra version → share of invocations (0-1); the rest go to `functionVersion`. */
  additionalVersionWeights: z.record(z.string(), z.number()),
  revisionId: z.string(),
});

export const ProvisionedConcurrencyRecordSchema = z.object({
  functionName: z.string(),
  /** A version number or an alias name. */
  qualifier: z.string(),
  requested: z.number().int().positive(),
  lastModified: z.string(),
});

export type FunctionConfig = z.infer<typeof FunctionConfigSchema>;
export type FunctionVersionRecord = z.infer<typeof FunctionVersionRecordSchema>;
export type AliasRecord = z.infer<typeof AliasRecordSchema>;
export type LayerVersionRecord = z.infer<typeof LayerVersionRecordSchema>;
export type ProvisionedConcurrencyRecord = z.infer<typeof ProvisionedConcurrencyRecordSchema>;

/** What an environment runs: one function version's code and configuration. */
export interface RunnableVersion {
  functionName: string;
  /** `$LATEST` or a published version number. */
  version: string;
  config: FunctionConfig;
  code: CodeRef;
  /** A published version not yet ready (or never to be) to take invocations: Invoke refuses it. */
  notReady?: 'Pending' | 'Failed';
}
export type FunctionRecord = z.infer<typeof FunctionRecordSchema>;
export type CodeRef = z.infer<typeof CodeRefSchema>;

export const LATEST = '$LATEST';
/** The published version a managed-instances function runs when invoked unqualified. */
export const LATEST_PUBLISHED = '$LATEST.PUBLISHED';

export const formatLastModified = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** The URL of the unqualified function (no alias) or of one of its aliases. */
export const urlOf = (fn: FunctionRecord, alias: string | undefined): FunctionUrl | undefined => (alias === undefined ? fn.url : fn.aliasUrls[alias]);

/** The log group a function writes to: LoggingConfig.LogGroup, or its own `/aws/lambda/<name>`. */
export const functionLogGroup = (name: string, logging: FunctionConfig['logging']): string => logging.group ?? `/aws/lambda/${name}`;
