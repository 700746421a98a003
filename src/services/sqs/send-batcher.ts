/**
 * Sends from concurrent requests are written in one transaction, and each request is answered only
 * after the commit; then the queues that received messages are told (to wake long polls). At most
 * MAX_WRITES_IN_FLIGHT writes run at once; sends arriving meanwhile join the next one.
 */
import { GroupCommit } from '../../lib/group-commit.js';
import type { QueueRepo } from '../../storage/store.js';
import type { InsertResult, NewMessage } from './model.js';

/** Two: one write can be in the store while the next fills; more would only split batches. */
const MAX_WRITES_IN_FLIGHT = 2;

export class SendBatcher extends GroupCommit<readonly NewMessage[], InsertResult[]> {
  constructor(repo: QueueRepo, dedupSince: () => number, committed: (queues: ReadonlySet<string>) => void) {
    super(async (requests) => {
      const results = await repo.insertMessages(requests.flat(), dedupSince());
      const out: InsertResult[][] = [];
      let i = 0;
      for (const messages of requests) {
        out.push(results.slice(i, i + messages.length));
        i += messages.length;
      }
      committed(new Set(requests.flatMap((messages) => messages.map((m) => m.queue))));
      return out;
    }, MAX_WRITES_IN_FLIGHT);
  }
}
