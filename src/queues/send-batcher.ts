/**
 * Group commit for sends: messages from concurrent requests that arrive in the same turn of the
 * event loop are written in one transaction, and each request is answered only after the commit.
 */
import type { QueueRepo } from '../storage/store.js';
import type { InsertResult, NewMessage } from './model.js';

interface Pending {
  messages: readonly NewMessage[];
  resolve(results: InsertResult[]): void;
  reject(err: unknown): void;
}

export class SendBatcher {
  private pending: Pending[] = [];
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly repo: QueueRepo,
    private readonly dedupSince: () => number,
    private readonly committed: (queues: ReadonlySet<string>) => void,
  ) {}

  add(messages: readonly NewMessage[]): Promise<InsertResult[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
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
      const results = await this.repo.insertMessages(batch.flatMap((p) => p.messages), this.dedupSince());
      let i = 0;
      for (const p of batch) {
        p.resolve(results.slice(i, i + p.messages.length));
        i += p.messages.length;
      }
      this.committed(new Set(batch.flatMap((p) => p.messages.map((m) => m.queue))));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
