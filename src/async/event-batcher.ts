/**
 * Accepted events from concurrent Invoke requests are stored in one transaction; each request is
 * answered (202) only after its event is committed.
 */
import { GroupCommit } from '../lib/group-commit.js';
import type { AsyncEventRepo } from '../storage/store.js';
import type { AsyncEvent } from './model.js';

export class EventBatcher extends GroupCommit<AsyncEvent, void> {
  constructor(repo: AsyncEventRepo) {
    super(async (events) => {
      await repo.insert(events);
      return events.map(() => undefined);
    });
  }
}
