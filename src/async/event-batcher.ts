/**
 * Group commit for accepted events: events from concurrent Invoke requests that arrive in the same
 * turn of the event loop are stored in one transaction; each request is answered (202) only after
 * its event is committed.
 */
import type { AsyncEventRepo } from '../storage/store.js';
import type { AsyncEvent } from './model.js';

interface Pending {
  event: AsyncEvent;
  resolve(): void;
  reject(err: unknown): void;
}

export class EventBatcher {
  private pending: Pending[] = [];
  private scheduled: Promise<void> | undefined;

  constructor(private readonly repo: AsyncEventRepo) {}

  add(event: AsyncEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      this.scheduled ??= new Promise<void>((done) => setImmediate(done)).then(() => this.flush());
    });
  }

  /** Writes whatever is pending now. */
  async flush(): Promise<void> {
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.repo.insert(batch.map((p) => p.event));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
