/**
 * Stack operations run in the background, one per stack at a time. An operation that breaks
 * unexpectedly leaves its stack failed with the reason, never in progress; at start, operations a
 * previous server left under way are taken up again (flows.ts `resume`).
 */
import type { Logger } from '../../../lib/logger.js';
import type { StackRecord, StackStatus } from '../model.js';
import { isInProgress } from '../model.js';
import type { EngineDeps } from './apply.js';
import { resume } from './flows.js';

const FAILED_FROM: Partial<Record<StackStatus, StackStatus>> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_FAILED',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

export class StackOperations {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly logger: Logger,
  ) {}

  /** Runs `op` for the stack in the background. */
  start(stackId: string, op: () => Promise<unknown>): void {
    const run = (this.running.get(stackId) ?? Promise.resolve())
      .then(op)
      .then(
        () => undefined,
        (err: unknown) => this.failSafe(stackId, err),
      )
      .finally(() => {
        if (this.running.get(stackId) === run) this.running.delete(stackId);
      });
    this.running.set(stackId, run);
  }

  /** Resolves once the stack's operation (if any) has finished. */
  async settled(stackId: string): Promise<void> {
    for (let r = this.running.get(stackId); r !== undefined; r = this.running.get(stackId)) await r;
  }

  /** Takes up every operation left under way by a previous server. */
  async resumeAll(): Promise<void> {
    for (const stack of await this.deps.journal.repo.listStacks()) {
      if (!isInProgress(stack.status) || this.running.has(stack.stackId)) continue;
      this.logger.warn('resuming a stack operation the previous server left under way', { stack: stack.name, status: stack.status });
      this.start(stack.stackId, () => resume(this.deps, stack));
    }
  }

  /** Waits for operations under way (a bounded time), so that the store is not closed under them. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running.values()]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  private async failSafe(stackId: string, err: unknown): Promise<void> {
    const reason = `Internal failure: ${(err as Error)?.message ?? String(err)}`;
    this.logger.error('stack operation failed unexpectedly', { stackId, error: (err as Error)?.stack ?? String(err) });
    if (this.stopped) return; // the next start resumes it
    try {
      const stack: StackRecord | undefined = await this.deps.journal.repo.getStack(stackId);
      const to = stack && FAILED_FROM[stack.status];
      if (!stack || !to) return;
      const { previous: _p, orphans: _o, ...rest } = stack;
      await this.deps.journal.repo.updateStack({ ...rest, status: to, statusReason: reason }, [stack.status]);
      await this.deps.journal.stackEvent({ ...rest, status: to }, to, reason);
    } catch (again) {
      this.logger.error('could not record a stack operation failure', { stackId, error: String(again) });
    }
  }
}
