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
