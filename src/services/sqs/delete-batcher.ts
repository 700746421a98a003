/**
 * Deletes from concurrent requests (API calls, a mapping's finished batches) are written together,
 * one store call per queue, and each request is answered only after its commit: under load a
 * mapping's batches finish at the same moment, and one commit for all of them costs far less than one
 * each. At most MAX_WRITES_IN_FLIGHT writes run at once; deletes arriving meanwhile join the next.
 */
import { GroupCommit } from '../../lib/group-commit.js';
import type { QueueRepo } from '../../storage/store.js';

/** Two, as for sends: one write can be in the store while the next fills. */
const MAX_WRITES_IN_FLIGHT = 2;

export interface DeleteRequest {
  queue: string;
  handles: readonly { id: string; token: string }[];
}

export class DeleteBatcher extends GroupCommit<DeleteRequest, boolean[]> {
  constructor(repo: QueueRepo) {
    super(async (requests) => {
      const byQueue = new Map<string, DeleteRequest[]>();
      for (const r of requests) {
        const same = byQueue.get(r.queue);
        if (same) same.push(r);
        else byQueue.set(r.queue, [r]);
      }
      const answers = new Map<DeleteRequest, boolean[]>();
      for (const [queue, rs] of byQueue) {
        const results = await repo.deleteMessages(queue, rs.flatMap((r) => r.handles));
        let i = 0;
        for (const r of rs) {
          answers.set(r, results.slice(i, i + r.handles.length));
          i += r.handles.length;
        }
      }
      return requests.map((r) => answers.get(r)!);
    }, MAX_WRITES_IN_FLIGHT);
  }
}
