/**
 * Function logs on their way to the store: one record per invocation, buffered and written in
 * batches, one transaction per batch, off the invoke path.
 */
import type { Clock, Timer } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { LogRecord, LogRepo } from '../storage/store.js';

export interface LogSink {
  append(record: LogRecord): void;
}

export class BufferedLogSink implements LogSink {
  private buffer: LogRecord[] = [];
  private timer: Timer | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: LogRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly flushEveryMs = 50,
    private readonly maxBatch = 500,
  ) {}

  append(record: LogRecord): void {
    this.buffer.push(record);
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else this.timer ??= this.clock.setTimeout(() => void this.flush(), this.flushEveryMs);
  }

  /** Writes everything appended so far; resolves once it is in the store. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      try {
        await this.repo.append(batch);
      } catch (err) {
        this.logger.error('could not store function logs', { error: (err as Error).message, records: batch.length });
      }
    });
    return this.writing;
  }
}
