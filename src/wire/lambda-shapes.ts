/**
 * Lambda's wire shapes that the handlers use, as decoded by the REST-JSON binding (which has
 * already checked every member's type and constraints against the model), and the renderers
 * that turn internal records into them. The only place where Lambda's PascalCase names live.
 */
import type { FunctionRecord } from '../domain/function.js';
import { sha256Base64 } from '../code/code-store.js';

export interface EnvironmentWire {
  Variables?: Record<string, string>;
}

export interface CreateFunctionWire {
  FunctionName: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  Code: { ZipFile?: Buffer; S3Bucket?: string; S3Key?: string; ImageUri?: string };
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Publish?: boolean;
  PackageType?: string;
  Environment?: EnvironmentWire;
  Tags?: Record<string, string>;
  Architectures?: string[];
  EphemeralStorage?: { Size: number };
}

export interface UpdateFunctionCodeWire {
  FunctionName: string;
  ZipFile?: Buffer;
  S3Bucket?: string;
  ImageUri?: string;
  Publish?: boolean;
  DryRun?: boolean;
  RevisionId?: string;
}

export interface UpdateFunctionConfigurationWire {
  FunctionName: string;
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: EnvironmentWire;
  Runtime?: string;
  RevisionId?: string;
  EphemeralStorage?: { Size: number };
}

export interface FunctionNameWire {
  FunctionName: string;
  Qualifier?: string;
}

export interface ListFunctionsWire {
  Marker?: string;
  MaxItems?: number;
  FunctionVersion?: string;
}

export interface InvokeWire {
  FunctionName: string;
  InvocationType?: 'Event' | 'RequestResponse' | 'DryRun';
  LogType?: 'None' | 'Tail';
  ClientContext?: string;
  Payload?: Buffer;
  Qualifier?: string;
}

export interface PutFunctionConcurrencyWire {
  FunctionName: string;
  ReservedConcurrentExecutions: number;
}

export function renderFunctionConfiguration(fn: FunctionRecord, arn: string): Record<string, unknown> {
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
    Version: '$LATEST',
    Environment: Object.keys(c.environment).length > 0 ? { Variables: c.environment } : undefined,
    TracingConfig: { Mode: 'PassThrough' },
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
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}
