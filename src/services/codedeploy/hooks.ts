/**
 * Lifecycle event hooks: CodeDeploy invokes the validation function asynchronously with
 * `{DeploymentId, LifecycleEventHookExecutionId}` and waits for PutLifecycleEventHookExecutionStatus,
 * failing the hook after an hour (CodeDeploy's hook timeout) on the deployment clock.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../lib/clock.js';
import { HOOK_STATES, type HookExecution } from './model.js';

export const HOOK_TIMEOUT_MS = 60 * 60_000;

export type HookEvent = HookExecution['event'];

export class HookRunner {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly invoke: (functionRef: string, payload: Buffer) => Promise<unknown>,
    private readonly clock: Clock,
    /** Called when a hook's hour has passed without a status. */
    private readonly timedOut: (deploymentId: string, hookId: string) => void,
  ) {}

  /** A new hook execution, in progress; the caller stores it before calling `invokeHook`. */
  begin(event: HookEvent, functionName: string): HookExecution {
    const hook: HookExecution = { id: randomUUID(), event, functionName, status: 'Pending', startedAt: this.clock.now() };
    HOOK_STATES.check(hook.status, 'InProgress');
    return { ...hook, status: 'InProgress' };
  }

  /** Sends the hook its event and starts its hour; rejects when the function cannot be invoked. */
  async invokeHook(deploymentId: string, hook: HookExecution): Promise<void> {
    this.watch(deploymentId, hook, HOOK_TIMEOUT_MS);
    const payload = Buffer.from(JSON.stringify({ DeploymentId: deploymentId, LifecycleEventHookExecutionId: hook.id }));
    await this.invoke(hook.functionName, payload);
  }

  /** After a restart: the hook's remaining time. */
  watch(deploymentId: string, hook: HookExecution, ms = Math.max(0, hook.startedAt + HOOK_TIMEOUT_MS - this.clock.now())): void {
    this.timers.get(hook.id)?.cancel();
    this.timers.set(hook.id, this.clock.setTimeout(() => this.timedOut(deploymentId, hook.id), ms));
  }

  /** Records the hook's outcome. */
  settle(hook: HookExecution, status: 'Succeeded' | 'Failed'): HookExecution {
    HOOK_STATES.check(hook.status, status);
    this.forget(hook.id);
    return { ...hook, status, endedAt: this.clock.now() };
  }

  forget(hookId: string): void {
    this.timers.get(hookId)?.cancel();
    this.timers.delete(hookId);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
