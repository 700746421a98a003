/**
 * Lambda's wire shapes that the handlers use, as decoded by the REST-JSON binding (which has
 * already checked every member's type and constraints against the model), and the renderers
 * that turn internal records into them. The only place where Lambda's PascalCase names live.
 */
import { functionLogGroup, type AliasRecord, type FunctionRecord, type FunctionVersionRecord } from '../domain/function.js';
import { sha256Base64 } from '../code/code-store.js';

/** A published version rendered as Lambda renders it: its own snapshot and readiness (Active unless it says otherwise). */
export function versionView(fn: FunctionRecord, v: FunctionVersionRecord): FunctionRecord {
  const { stateReason: _r, stateReasonCode: _c, lastUpdateStatusReason: _u, ...rest } = fn;
  return {
    ...rest,
    config: { ...v.config, description: v.description },
    code: v.code,
    revisionId: v.revisionId,
    lastModified: v.lastModified,
    state: v.state ?? 'Active',
    ...(v.stateReason !== undefined ? { stateReason: v.stateReason } : {}),
    ...(v.stateReasonCode !== undefined ? { stateReasonCode: v.stateReasonCode } : {}),
    lastUpdateStatus: 'Successful',
  };
}

export function renderFunctionConfiguration(fn: FunctionRecord, arn: string, version = '$LATEST'): Record<string, unknown> {
  const c = fn.config;
  return {
    FunctionName: fn.name,
    FunctionArn: arn,
    Runtime: c.runtime,
    Role: c.role,
    Handler: c.handler,
    CodeSize: fn.code.size,
    Description: c.description,
    Timeout: c.timeoutSeconds,
    MemorySize: c.memoryMb,
    LastModified: fn.lastModified,
    CodeSha256: sha256Base64(fn.code.sha256),
    Version: version,
    Environment: Object.keys(c.environment).length > 0 ? { Variables: c.environment } : undefined,
    TracingConfig: { Mode: c.tracing },
    Layers: c.layers.length > 0 ? c.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) : undefined,
    RevisionId: fn.revisionId,
    State: fn.state,
    StateReason: fn.stateReason,
    StateReasonCode: fn.stateReasonCode,
    LastUpdateStatus: fn.lastUpdateStatus,
    LastUpdateStatusReason: fn.lastUpdateStatusReason,
    PackageType: 'Zip',
    Architectures: [c.architecture],
    EphemeralStorage: { Size: c.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: {
      LogFormat: c.logging.format,
      ApplicationLogLevel: c.logging.applicationLevel,
      SystemLogLevel: c.logging.systemLevel,
      LogGroup: functionLogGroup(fn.name, c.logging),
    },
    DeadLetterConfig: c.deadLetterTargetArn ? { TargetArn: c.deadLetterTargetArn } : undefined,
    TenancyConfig: c.tenantIsolation ? { TenantIsolationMode: c.tenantIsolation } : undefined,
    CapacityProviderConfig: c.managedInstances
      ? {
          LambdaManagedInstancesCapacityProviderConfig: {
            CapacityProviderArn: c.managedInstances.capacityProviderArn,
            PerExecutionEnvironmentMaxConcurrency: c.managedInstances.perEnvironmentMaxConcurrency,
            ExecutionEnvironmentMemoryGiBPerVCpu: c.managedInstances.memoryGiBPerVCpu,
          },
        }
      : undefined,
    FileSystemConfigs: c.fileSystems.length > 0 ? c.fileSystems.map((f) => ({ Arn: f.arn, LocalMountPath: f.localMountPath })) : undefined,
  };
}

export function renderAlias(a: AliasRecord, arn: string): Record<string, unknown> {
  return {
    AliasArn: arn,
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    ...(Object.keys(a.additionalVersionWeights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: a.additionalVersionWeights } } : {}),
    RevisionId: a.revisionId,
  };
}

// Asynchronous invocation: DeadLetterConfig and event invoke configs (PUT/GET/POST/DELETE /2019-09-25/functions/{FunctionName}/event-invoke-config).

export interface EventInvokeConfigView {
  functionArn: string;
  /** Epoch ms. */
  lastModified: number;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

/** FunctionEventInvokeConfig: LastModified in epoch seconds; DestinationConfig always present, as Lambda answers. */
export function renderEventInvokeConfig(c: EventInvokeConfigView): Record<string, unknown> {
  return {
    LastModified: c.lastModified / 1000,
    FunctionArn: c.functionArn,
    MaximumRetryAttempts: c.maximumRetryAttempts,
    MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
      OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
    },
  };
}

export interface EventSourceMappingView {
  uuid: string;
  mappingArn: string;
  functionArn: string;
  eventSourceArn: string;
  state: string;
  stateTransitionReason: string;
  /** Epoch ms. */
  lastModified: number;
  lastProcessingResult: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  functionResponseTypes: string[];
  maximumConcurrency?: number;
  filters: string[];
  stream?: {
    startingPosition: string;
    startingPositionTimestamp?: number | undefined;
    parallelizationFactor: number;
    bisectBatchOnFunctionError: boolean;
    maximumRetryAttempts: number;
    maximumRecordAgeInSeconds: number;
    tumblingWindowInSeconds?: number | undefined;
    onFailure?: string | undefined;
  };
}

/** EventSourceMappingConfiguration of an SQS mapping, LastModified in epoch seconds. */
export function renderEventSourceMapping(m: EventSourceMappingView): Record<string, unknown> {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    FilterCriteria: m.filters.length > 0 ? { Filters: m.filters.map((Pattern) => ({ Pattern })) } : undefined,
    FunctionArn: m.functionArn,
    LastModified: m.lastModified / 1000,
    LastProcessingResult: m.lastProcessingResult,
    State: m.state,
    StateTransitionReason: m.stateTransitionReason,
    FunctionResponseTypes: m.functionResponseTypes,
    ScalingConfig: m.maximumConcurrency !== undefined ? { MaximumConcurrency: m.maximumConcurrency } : undefined,
    EventSourceMappingArn: m.mappingArn,
    ...(m.stream ? renderStreamSettings(m.stream) : {}),
  };
}

/** A stream mapping's own members, as Lambda returns them. */
function renderStreamSettings(s: NonNullable<EventSourceMappingView['stream']>): Record<string, unknown> {
  return {
    StartingPosition: s.startingPosition,
    ...(s.startingPositionTimestamp !== undefined ? { StartingPositionTimestamp: s.startingPositionTimestamp / 1000 } : {}),
    ParallelizationFactor: s.parallelizationFactor,
    BisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
    MaximumRetryAttempts: s.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: s.maximumRecordAgeInSeconds,
    TumblingWindowInSeconds: s.tumblingWindowInSeconds ?? 0,
    DestinationConfig: { OnFailure: s.onFailure !== undefined ? { Destination: s.onFailure } : {} },
  };
}
