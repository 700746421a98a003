/**
 * One invocation's log, as Lambda writes it: the function's lines between `START` and `END`, then
 * `REPORT`. Lines are kept in memory up to a bound, for the Tail log and for the log store.
 */
import type { InvocationReport } from '../domain/invocation.js';

const MAX_BYTES = 1024 * 1024;
export const TAIL_BYTES = 4096;

export interface TimedLine {
  timestamp: number;
  message: string;
}

export class InvocationLog {
  readonly lines: TimedLine[] = [];
  private bytes = 0;
  private truncated = false;

  add(timestamp: number, message: string): void {
    if (this.bytes + message.length > MAX_BYTES) {
      if (!this.truncated) this.lines.push({ timestamp, message: '[selfless] log of this invocation truncated at 1 MB' });
      this.truncated = true;
      return;
    }
    this.bytes += message.length;
    this.lines.push({ timestamp, message });
  }
}

export const startLine = (requestId: string, version: string) => `START RequestId: ${requestId} Version: ${version}`;
export const endLine = (requestId: string) => `END RequestId: ${requestId}`;

/** How an invocation ended, for the platform's own lines. */
export interface EndStatus {
  status: 'success' | 'error' | 'timeout';
  errorType?: string;
  /** The platform ended it (timeout, crash, out of memory), not the function's own answer. */
  byPlatform: boolean;
}

/**
 * The platform's lines around each invocation: Lambda's text lines, or, with LogFormat JSON, its
 * JSON records (`platform.start`, `platform.runtimeDone`, `platform.report`), each kept only at or
 * above the function's system log level. Undefined means the line is not written.
 */
export interface PlatformLines {
  start(at: number, requestId: string, version: string): string | undefined;
  end(at: number, requestId: string, ended: EndStatus, durationMs: number): string | undefined;
  report(at: number, requestId: string, report: InvocationReport, ended: EndStatus): string | undefined;
}

export const TEXT_LINES: PlatformLines = {
  start: (_at, requestId, version) => startLine(requestId, version),
  end: (_at, requestId) => endLine(requestId),
  report: (_at, requestId, report, ended) =>
    reportLine(requestId, report, ended.byPlatform && ended.errorType !== undefined ? { status: ended.status, errorType: ended.errorType } : undefined),
};

const SYSTEM_LEVELS = { DEBUG: 1, INFO: 2, WARN: 3 } as const;

export function jsonLines(systemLevel: keyof typeof SYSTEM_LEVELS): PlatformLines {
  const shown = (level: keyof typeof SYSTEM_LEVELS) => SYSTEM_LEVELS[level] >= SYSTEM_LEVELS[systemLevel];
  const line = (at: number, type: string, record: object) => JSON.stringify({ time: new Date(at).toISOString(), type, record });
  return {
    start: (at, requestId, version) => (shown('INFO') ? line(at, 'platform.start', { requestId, version }) : undefined),
    end: (at, requestId, ended, durationMs) =>
      shown('DEBUG') ? line(at, 'platform.runtimeDone', { requestId, status: ended.status, ...(ended.errorType ? { errorType: ended.errorType } : {}), metrics: { durationMs } }) : undefined,
    report: (at, requestId, r, ended) =>
      shown('INFO')
        ? line(at, 'platform.report', {
            requestId,
            metrics: {
              durationMs: r.durationMs,
              billedDurationMs: r.billedDurationMs,
              memorySizeMB: r.memorySizeMb,
              maxMemoryUsedMB: r.maxMemoryUsedMb,
              ...(r.initDurationMs !== undefined ? { initDurationMs: r.initDurationMs } : {}),
            },
            status: ended.status,
            ...(ended.errorType ? { errorType: ended.errorType } : {}),
          })
        : undefined,
  };
}

export function reportLine(requestId: string, r: InvocationReport, status?: { status: string; errorType: string }): string {
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\t` +
    `Memory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (status) line += `Status: ${status.status}\tError Type: ${status.errorType}\t`;
  return line;
}

/** The last 4 KB of the log, base64, as X-Amz-Log-Result carries it. */
export function tailOf(lines: readonly string[]): string {
  const text = Buffer.from(lines.map((l) => l + '\n').join(''));
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
}
