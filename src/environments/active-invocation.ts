/** An invocation an environment runs, and how its log is closed once it is answered. */
import type { InvocationOutcome, InvocationReport, InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { Timer } from '../lib/clock.js';
import type { EndStatus, InvocationLog, PlatformLines } from './invocation-log.js';
import type { StreamedResponse } from './streamed-response.js';

export interface Active {
  req: InvocationRequest;
  log: InvocationLog;
  deadlineMs: number;
  timer: Timer | undefined;
  /** Monotonic time the invocation's run began: delivered to the runtime, or the environment's start if it never was. */
  deliveredAt?: number;
  initDurationMs?: number;
  /** Set once the runtime streams its response. */
  stream?: StreamedResponse;
  resolve(result: InvocationResult): void;
}

/** Ends the invocation's log as Lambda does (START if it never ran, END, REPORT); returns its report. */
export function closeLog(
  a: Active,
  outcome: InvocationOutcome,
  endedMonotonic: number,
  now: number,
  lines: PlatformLines,
  memory: { sizeMb: number; usedMb: number },
): InvocationReport {
  const durationMs = a.deliveredAt === undefined ? 0 : endedMonotonic - a.deliveredAt;
  const report: InvocationReport = {
    durationMs,
    billedDurationMs: Math.ceil(durationMs) + Math.ceil(a.initDurationMs ?? 0),
    memorySizeMb: memory.sizeMb,
    maxMemoryUsedMb: memory.usedMb,
    ...(a.initDurationMs !== undefined ? { initDurationMs: a.initDurationMs } : {}),
  };
  const add = (line: string | undefined) => line !== undefined && a.log.add(now, line);
  if (a.deliveredAt === undefined) add(lines.start(now, a.req.requestId, a.req.version));
  const status: EndStatus = outcome.ok
    ? { status: 'success', byPlatform: false }
    : { status: outcome.status ?? 'error', errorType: outcome.errorType, byPlatform: outcome.status !== undefined };
  add(lines.end(now, a.req.requestId, status, durationMs));
  add(lines.report(now, a.req.requestId, report, status));
  return report;
}
