/** Event source mappings as Selfless keeps them: no wire shapes here (see wire/lambda-shapes.ts). */
import { z } from 'zod';

/**
 * Lambda's states. Creating, Enabling, Disabling and Updating last until the mapping's poller has
 * (re)started or stopped; Deleting until it is gone.
 */
export const MAPPING_STATES = ['Creating', 'Enabling', 'Enabled', 'Disabling', 'Disabled', 'Updating', 'Deleting'] as const;
export type MappingState = (typeof MAPPING_STATES)[number];

export const EventSourceMappingSchema = z.object({
  uuid: z.string(),
  functionName: z.string(),
  qualifier: z.string().optional(),
  eventSourceArn: z.string(),
  enabled: z.boolean(),
  state: z.enum(MAPPING_STATES),
  stateTransitionReason: z.string(),
  /** Epoch milliseconds. */
  lastModified: z.number(),
  batchSize: z.number().int(),
  maximumBatchingWindowInSeconds: z.number().int(),
  reportBatchItemFailures: z.boolean(),
  maximumConcurrency: z.number().int().optional(),
  /** Filter patterns as the user gave them (JSON text). */
  filters: z.array(z.string()),
  /** Stream sources (Kinesis, DynamoDB Streams) only; absent on queue mappings. */
  stream: z
    .object({
      startingPosition: z.enum(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']),
      /** Epoch ms, for AT_TIMESTAMP. */
      startingPositionTimestamp: z.number().optional(),
      parallelizationFactor: z.number().int(),
      bisectBatchOnFunctionError: z.boolean(),
      /** -1: until the records expire. */
      maximumRetryAttempts: z.number().int(),
      /** -1: the stream's retention. */
      maximumRecordAgeInSeconds: z.number().int(),
      /** 0 or absent: no tumbling windows. */
      tumblingWindowInSeconds: z.number().int().optional(),
      /** Where discarded batches are described (an SQS queue or SNS topic ARN). */
      onFailure: z.string().optional(),
    })
    .optional(),
  /** TagResource's tags on the mapping's ARN: kept and listed, changing nothing the mapping does. */
  tags: z.record(z.string(), z.string()).default({}),
});

export type EventSourceMapping = z.infer<typeof EventSourceMappingSchema>;

/** What a user may set when creating a mapping or change when updating one. */
export interface MappingSettings {
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  filters: string[];
  stream?: StreamSettings;
}

export type StreamSettings = NonNullable<EventSourceMapping['stream']>;
export type StartingPosition = StreamSettings['startingPosition'];
