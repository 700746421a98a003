/**
 * Where an operation writes what it does: stack status changes (checked by the state machine and
 * the store's compare-and-set), resource records, and the events DescribeStackEvents shows.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.js';
import type { CloudFormationRepo } from '../../../storage/cloudformation-repo.js';
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { ResourceRecord, StackRecord, StackStatus } from '../model.js';
import { stackStates } from './stack-states.js';

export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** Another writer moved the stack first: the caller's operation is refused as CloudFormation refuses a busy stack. */
const movedElsewhere = (stack: StackRecord) => CloudFormationErrors.validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);

export class Journal {
  constructor(
    readonly repo: CloudFormationRepo,
    readonly clock: Clock,
  ) {}

  /** Moves the stack to `to` (with `patch` applied), and records the stack event. */
  async move(stack: StackRecord, to: StackStatus, reason: string | undefined, patch: Partial<StackRecord> = {}): Promise<StackRecord> {
    const next: StackRecord = { ...stack, ...patch, status: to };
    if (reason === undefined) delete next.statusReason;
    else next.statusReason = reason;
    if (to === 'DELETE_COMPLETE') next.deletedAt = this.clock.now();
    stackStates.check(stack.status, to);
    const ok = await this.repo.updateStack(next, [stack.status]);
    if (!ok) throw movedElsewhere((await this.repo.getStack(stack.stackId)) ?? stack);
    await this.stackEvent(next, to, reason);
    return next;
  }

  /** Saves the stack without a status change (outputs, snapshot, orphans). */
  async save(stack: StackRecord): Promise<void> {
    if (!(await this.repo.updateStack(stack, [stack.status]))) throw movedElsewhere((await this.repo.getStack(stack.stackId)) ?? stack);
  }

  stackEvent(stack: StackRecord, status: string, reason: string | undefined): Promise<void> {
    return this.event(stack, { logicalId: stack.name, physicalId: stack.stackId, type: STACK_TYPE, status, reason });
  }

  async resourceEvent(stack: StackRecord, r: Pick<ResourceRecord, 'logicalId' | 'type'> & { physicalId?: string | undefined }, status: string, reason?: string, properties?: unknown): Promise<void> {
    await this.event(stack, {
      logicalId: r.logicalId,
      ...(r.physicalId !== undefined ? { physicalId: r.physicalId } : {}),
      type: r.type,
      status,
      reason,
      ...(properties !== undefined ? { properties: JSON.stringify(properties) } : {}),
    });
  }

  /** Saves a resource's record with its new status, and records the event. */
  async resource(stack: StackRecord, record: ResourceRecord, reason?: string): Promise<ResourceRecord> {
    const next: ResourceRecord = { ...record, updatedAt: this.clock.now() };
    if (reason === undefined) delete next.statusReason;
    else next.statusReason = reason;
    await this.repo.putResource(next);
    await this.resourceEvent(stack, next, next.status, reason);
    return next;
  }

  private async event(stack: StackRecord, e: { logicalId: string; physicalId?: string; type: string; status: string; reason: string | undefined; properties?: string }): Promise<void> {
    await this.repo.appendEvent({
      eventId: randomUUID(),
      stackId: stack.stackId,
      stackName: stack.name,
      logicalId: e.logicalId,
      ...(e.physicalId !== undefined ? { physicalId: e.physicalId } : {}),
      type: e.type,
      status: e.status,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.properties !== undefined ? { properties: e.properties } : {}),
      timestamp: this.clock.now(),
    });
  }
}
