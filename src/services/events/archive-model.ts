/** EventBridge archives and replays, as stored. No wire shapes. */
import { z } from 'zod';

export const ArchiveRecordSchema = z.strictObject({
  name: z.string(),
  /** The event bus whose events it keeps. */
  busName: z.string(),
  /** Only events matching it are kept; all of the bus's events when absent. */
  eventPattern: z.string().optional(),
  description: z.string().optional(),
  /** 0 keeps events indefinitely, as EventBridge's default. */
  retentionDays: z.number().int().nonnegative(),
  /** Epoch ms. */
  createdAt: z.number(),
});
export type ArchiveRecord = z.infer<typeof ArchiveRecordSchema>;

/** An archived event: its envelope as JSON, and its `time` as epoch ms for replay windows. */
export interface ArchivedEvent {
  /** Increasing within an archive: the order events were archived in. */
  seq: number;
  time: number;
  event: string;
}

export const ReplayStateSchema = z.enum(['STARTING', 'RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED', 'FAILED']);
export type ReplayState = z.infer<typeof ReplayStateSchema>;

export const ReplayRecordSchema = z.strictObject({
  name: z.string(),
  /** Changed by every update: updates are compare-and-set on it. */
  revision: z.number().int().nonnegative(),
  archiveName: z.string(),
  description: z.string().optional(),
  /** The bus the events go back to (the archive's own bus, as EventBridge requires). */
  destinationBus: z.string(),
  /** Only these rules get the events; every rule of the bus when empty. */
  filterRuleArns: z.array(z.string()),
  /** The window of event times replayed, epoch ms, start inclusive and end exclusive. */
  eventStartTime: z.number(),
  eventEndTime: z.number(),
  state: ReplayStateSchema,
  stateReason: z.string().optional(),
  /** The archive position replayed so far, so that a restart resumes after it. */
  lastSeq: z.number().int().nonnegative(),
  eventLastReplayedTime: z.number().optional(),
  replayStartTime: z.number(),
  replayEndTime: z.number().optional(),
});
export type ReplayRecord = z.infer<typeof ReplayRecordSchema>;
