/** Asynchronous invocation's own model: stored events, their states and event invoke configs. No wire shapes. */
import { z } from 'zod';

export const EventStateSchema = z.enum(['queued', 'running', 'retrying', 'succeeded', 'failed', 'expired']);
export type EventState = z.infer<typeof EventStateSchema>;

/** Why an event ended without success, as Lambda's invocation record names it. */
export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** What the last attempt answered: kept so that a failure record can carry it. */
export const LastResponseSchema = z.object({
  ok: z.boolean(),
  /** The function's response or error body, as text. */
  payload: z.string(),
  errorType: z.string().optional(),
  executedVersion: z.string(),
});
export type LastResponse = z.infer<typeof LastResponseSchema>;

/** The parts of an event kept as JSON beside its indexed columns. */
export const EventDetailSchema = z.object({
  /** The ARN the caller invoked (with its qualifier, if any): the event is resolved again when it runs. */
  invokedArn: z.string(),
  /** Throttled attempts in a row: they set the backoff and do not count as attempts. */
  throttles: z.number().int().nonnegative(),
  lastResponse: LastResponseSchema.optional(),
  condition: z.enum(['RetriesExhausted', 'EventAgeExceeded']).optional(),
  /** Why the platform could not run the event (throttled, function gone), for failure reports. */
  lastError: z.string().optional(),
  /** The tenant a tenant-isolated function runs the event for. */
  tenantId: z.string().optional(),
  /** The trace the event continues (the Event invoke's X-Amzn-Trace-Id). */
  traceHeader: z.string().max(8192).optional(),
});
export type EventDetail = z.infer<typeof EventDetailSchema>;

export interface AsyncEvent {
  /** The request id the caller got with 202; every attempt reuses it, as Lambda does. */
  id: string;
  functionName: string;
  state: EventState;
  payload: Buffer;
  /** Epoch ms when the event was accepted: its age counts from here. */
  acceptedAt: number;
  /** Epoch ms before which the event is not run (retry delay, throttle backoff). */
  nextAttemptAt: number;
  /** Completed invocations (function or platform errors, or success); throttles are not counted. */
  attempts: number;
  finishedAt: number | null;
  detail: EventDetail;
  /** While running: the node of the fleet running it (it alone moves it on; a live node queues it again once that node is dead). */
  claimedBy?: string;
}

/** Retry and destination settings of a function's $LATEST, of a version or of an alias. */
export interface EventInvokeConfig {
  functionName: string;
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  /** Epoch ms. */
  lastModified: number;
}

export const EventInvokeConfigSchema = z.object({
  functionName: z.string(),
  qualifier: z.string(),
  maximumRetryAttempts: z.number().int().min(0).max(2).optional(),
  maximumEventAgeInSeconds: z.number().int().min(60).max(21_600).optional(),
  onSuccess: z.string().optional(),
  onFailure: z.string().optional(),
  lastModified: z.number(),
});

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;
