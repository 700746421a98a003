/**
 * Function logs pass through here on their way to the store: lines in Embedded Metric Format also
 * become metrics, as CloudWatch Logs extracts them. The line itself is kept, as CloudWatch keeps it.
 */
import type { Logger } from '../lib/logger.js';
import type { LogRecord } from '../storage/store.js';
import type { Publication } from './cloudwatch/published-metrics.js';
import { emfMetrics } from './emf.js';
import type { LogSink } from './log-sink.js';

export class EmfLogSink implements LogSink {
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly next: LogSink,
    private readonly publish: (metrics: Publication[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  append(record: LogRecord): void {
    this.next.append(record);
    let metrics: Publication[] | undefined;
    for (const l of record.lines) {
      const found = emfMetrics(l.message);
      if (found.length > 0) (metrics ??= []).push(...found);
    }
    if (metrics === undefined) return;
    // Off the invoke path: a failed write loses these metrics, never the invocation.
    const write = this.publish(metrics)
      .catch((err: unknown) => this.logger.warn('could not store EMF metrics', { function: record.functionName, error: String(err) }))
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  /** Resolves once the metrics of every line appended so far are stored (before the store closes). */
  async drain(): Promise<void> {
    await Promise.all([...this.writing]);
  }
}
