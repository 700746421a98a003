/** EventBridge's wire shapes from the domain's records, and targets from the wire: the only place their names meet. */
import { z } from 'zod';
import type { EventBusRecord, RuleRecord, TargetInput, TargetRecord } from '../model.js';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS } from '../model.js';
import type { Input } from '../../../api/service.js';

const seconds = (ms: number) => ms / 1000;

export const renderBus = (bus: EventBusRecord, arn: string): Input => ({
  Name: bus.name,
  Arn: arn,
  ...(bus.description !== undefined ? { Description: bus.description } : {}),
  ...(bus.policy !== undefined ? { Policy: bus.policy } : {}),
  CreationTime: seconds(bus.createdAt),
  LastModifiedTime: seconds(bus.modifiedAt),
});

export const renderRule = (rule: RuleRecord, arn: string, accountId: string): Input => ({
  Name: rule.name,
  Arn: arn,
  ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
  ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
  State: rule.state,
  ...(rule.description !== undefined ? { Description: rule.description } : {}),
  ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
  EventBusName: rule.busName,
  CreatedBy: accountId,
});

export function renderTarget(t: TargetRecord): Input {
  const input: Input =
    t.input.kind === 'constant'
      ? { Input: t.input.json }
      : t.input.kind === 'path'
        ? { InputPath: t.input.path }
        : t.input.kind === 'transformer'
          ? { InputTransformer: { InputPathsMap: t.input.transformer.pathsMap, InputTemplate: t.input.transformer.template } }
          : {};
  return {
    Id: t.id,
    Arn: t.arn,
    ...input,
    ...(t.messageGroupId !== undefined ? { SqsParameters: { MessageGroupId: t.messageGroupId } } : {}),
    RetryPolicy: { MaximumRetryAttempts: t.maximumRetryAttempts, MaximumEventAgeInSeconds: t.maximumEventAgeSeconds },
    ...(t.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: t.deadLetterArn } } : {}),
    ...(t.http !== undefined
      ? {
          HttpParameters: {
            ...(t.http.pathValues ? { PathParameterValues: t.http.pathValues } : {}),
            ...(t.http.headers ? { HeaderParameters: t.http.headers } : {}),
            ...(t.http.query ? { QueryStringParameters: t.http.query } : {}),
          },
        }
      : {}),
  };
}

/** The members of Target that Selfless reads; the model has already checked types and lengths. */
const TargetWire = z.looseObject({
  Id: z.string(),
  Arn: z.string(),
  Input: z.string().optional(),
  InputPath: z.string().optional(),
  InputTransformer: z.object({ InputPathsMap: z.record(z.string(), z.string()).optional(), InputTemplate: z.string() }).optional(),
  SqsParameters: z.object({ MessageGroupId: z.string().optional() }).optional(),
  RetryPolicy: z.object({ MaximumRetryAttempts: z.number().int().optional(), MaximumEventAgeInSeconds: z.number().int().optional() }).optional(),
  DeadLetterConfig: z.object({ Arn: z.string().optional() }).optional(),
  HttpParameters: z
    .object({
      PathParameterValues: z.array(z.string()).optional(),
      HeaderParameters: z.record(z.string(), z.string()).optional(),
      QueryStringParameters: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

/** A wire target as the domain keeps it; a message if EventBridge would refuse it outright. */
export function parseTarget(raw: unknown): { ok: true; target: TargetRecord } | { ok: false; id: string; message: string } {
  const w = TargetWire.parse(raw);
  const given = [w.Input, w.InputPath, w.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) return { ok: false, id: w.Id, message: 'Only one of Input, InputPath, or InputTransformer can be specified.' };
  const input: TargetInput =
    w.Input !== undefined
      ? { kind: 'constant', json: w.Input }
      : w.InputPath !== undefined
        ? { kind: 'path', path: w.InputPath }
        : w.InputTransformer !== undefined
          ? { kind: 'transformer', transformer: { pathsMap: w.InputTransformer.InputPathsMap ?? {}, template: w.InputTransformer.InputTemplate } }
          : { kind: 'event' };
  return {
    ok: true,
    target: {
      id: w.Id,
      arn: w.Arn,
      input,
      ...(w.SqsParameters?.MessageGroupId !== undefined ? { messageGroupId: w.SqsParameters.MessageGroupId } : {}),
      maximumRetryAttempts: w.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      maximumEventAgeSeconds: w.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
      ...(w.DeadLetterConfig?.Arn !== undefined ? { deadLetterArn: w.DeadLetterConfig.Arn } : {}),
      ...(w.HttpParameters !== undefined
        ? {
            http: {
              ...(w.HttpParameters.PathParameterValues ? { pathValues: w.HttpParameters.PathParameterValues } : {}),
              ...(w.HttpParameters.HeaderParameters ? { headers: w.HttpParameters.HeaderParameters } : {}),
              ...(w.HttpParameters.QueryStringParameters ? { query: w.HttpParameters.QueryStringParameters } : {}),
            },
          }
        : {}),
    },
  };
}
