/**
 * FIFO topics' deduplication: a message with the deduplication id of one accepted in the last five
 * minutes is accepted again (same message id) but not delivered again. Held in memory: a restart
 * forgets the window (see README).
 */
import type { Clock } from '../../lib/clock.js';

export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

export interface Accepted {
  messageId: string;
  sequenceNumber?: string;
}

export class Deduplicator {
  private readonly seen = new Map<string, { accepted: Accepted; at: number }>();

  constructor(private readonly clock: Clock) {}

  /** The earlier acceptance of this id on this topic, if within the window. */
  earlier(topicArn: string, deduplicationId: string): Accepted | undefined {
    this.expire();
    return this.seen.get(`${topicArn}\n${deduplicationId}`)?.accepted;
  }

  remember(topicArn: string, deduplicationId: string, accepted: Accepted): void {
    this.seen.set(`${topicArn}\n${deduplicationId}`, { accepted, at: this.clock.now() });
  }

  private expire(): void {
    const oldest = this.clock.now() - DEDUPLICATION_WINDOW_MS;
    // Map iteration follows insertion order, which is time order.
    for (const [key, v] of this.seen) {
      if (v.at > oldest) break;
      this.seen.delete(key);
    }
  }
}
