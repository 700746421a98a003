/**
 * Queue records for the send path, kept a moment, so a send costs the store no read of its queue.
 * SQS itself takes up to 60 s to spread an attribute change; here a change made on this node drops
 * the entry at once, one made on another node arrives as a change signal, and an entry older than
 * `ttlMs` is read again (a lost signal costs no more than that).
 */
import type { Clock } from '../../lib/clock.js';
import type { QueueRecord } from './model.js';

export class QueueCache {
  private readonly entries = new Map<string, { queue: QueueRecord; readAt: number }>();

  constructor(
    private readonly load: (name: string) => Promise<QueueRecord | undefined>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async get(name: string): Promise<QueueRecord | undefined> {
    const now = this.clock.now();
    const hit = this.entries.get(name);
    if (hit !== undefined && now - hit.readAt < this.ttlMs && now >= hit.readAt) return hit.queue;
    const queue = await this.load(name);
    // A queue that does not exist is not remembered: one created a moment later is seen at once.
    if (queue === undefined) this.entries.delete(name);
    else this.entries.set(name, { queue, readAt: now });
    return queue;
  }

  /** Drops one queue's entry, or every entry when `name` is undefined. */
  forget(name: string | undefined): void {
    if (name === undefined) this.entries.clear();
    else this.entries.delete(name);
  }
}
