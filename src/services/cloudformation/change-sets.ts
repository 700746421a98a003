/** Change sets: made (their change list computed in the background), described, executed, deleted. */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../../lib/logger.js';
import { CloudFormationErrors } from '../../wire/errors/cloudformation.js';
import { computeChanges } from './changes.js';
import type { ChangeSetRecord, StackRecord } from './model.js';
import { stackArn, type DeployRequest, type Stacks } from './stacks.js';

export interface ChangeSetRequest extends DeployRequest {
  changeSetName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  description?: string | undefined;
}

export const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

export class ChangeSets {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly stacks: Stacks,
    private readonly logger: Logger,
  ) {}

  private get repo() {
    return this.stacks.d.repo;
  }

  async create(req: ChangeSetRequest): Promise<ChangeSetRecord> {
    if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(req.changeSetName)) throw CloudFormationErrors.validation(`1 validation error detected: Value '${req.changeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    let stack = await this.repo.getStack(req.stackName);
    if (req.changeSetType === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw CloudFormationErrors.alreadyExists(req.stackName);
      stack ??= await this.reviewStack(req);
    } else {
      if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw CloudFormationErrors.validation(`Stack [${req.stackName}] does not exist`);
      this.stacks.checkUpdatable(stack);
    }
    if (await this.repo.getChangeSet(req.changeSetName, stack.stackId)) throw CloudFormationErrors.alreadyExists(req.changeSetName);
    const body = await this.stacks.bodyOf(req, stack);
    const record: ChangeSetRecord = {
      changeSetId: `arn:aws:cloudformation:${this.stacks.d.account.region}:${this.stacks.d.account.accountId}:changeSet/${req.changeSetName}/${randomUUID()}`,
      name: req.changeSetName,
      stackId: stack.stackId,
      stackName: stack.name,
      type: req.changeSetType,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      createdAt: this.stacks.d.clock.now(),
      templateBody: body,
      parameters: req.parameters.map((p) => ({ key: p.key, value: p.value ?? '', ...(p.usePreviousValue ? { resolved: 'UsePreviousValue' } : {}) })),
      tags: req.tags ?? stack.tags,
      capabilities: req.capabilities,
      notificationArns: req.notificationArns ?? stack.notificationArns,
      changes: [],
      ...(req.description !== undefined ? { description: req.description } : {}),
    };
    await this.repo.putChangeSet(record);
    const work = this.compute(record, stack, req).finally(() => this.pending.delete(work));
    this.pending.add(work);
    return record;
  }

  private async reviewStack(req: ChangeSetRequest): Promise<StackRecord> {
    const stack: StackRecord = {
      stackId: stackArn(this.stacks.d.account, req.stackName),
      name: req.stackName,
      status: 'REVIEW_IN_PROGRESS',
      statusReason: 'User Initiated',
      createdAt: this.stacks.d.clock.now(),
      templateBody: '',
      parameters: [],
      outputs: [],
      tags: req.tags ?? {},
      capabilities: req.capabilities,
      notificationArns: req.notificationArns ?? [],
      disableRollback: false,
      terminationProtection: false,
    };
    if (!(await this.repo.createStack(stack))) throw CloudFormationErrors.alreadyExists(req.stackName);
    await this.stacks.d.journal.stackEvent(stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
    return stack;
  }

  private async compute(record: ChangeSetRecord, stack: StackRecord, req: ChangeSetRequest): Promise<void> {
    let next: ChangeSetRecord;
    try {
      await this.repo.putChangeSet({ ...record, status: 'CREATE_IN_PROGRESS' });
      const previous = stack.status === 'REVIEW_IN_PROGRESS' ? undefined : stack.parameters;
      const evaluation = await this.stacks.evaluateFor(stack, record.templateBody, req.parameters, previous, req.capabilities);
      const existing = previous ? await this.repo.resources(stack.stackId) : [];
      const changes = await computeChanges(evaluation, existing, (t) => this.stacks.d.engine.providerFor(t), this.stacks.d.engine.lookups);
      const parameters = evaluation.parameters;
      const unchanged =
        record.type === 'UPDATE' &&
        changes.length === 0 &&
        record.templateBody === stack.templateBody &&
        isDeepStrictEqual(parameters, stack.parameters) &&
        isDeepStrictEqual(record.tags, stack.tags);
      next = unchanged
        ? { ...record, parameters, changes, status: 'FAILED', statusReason: NO_CHANGES }
        : { ...record, parameters, changes, status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' };
    } catch (err) {
      next = { ...record, status: 'FAILED', statusReason: (err as Error).message };
    }
    if (await this.repo.getChangeSet(record.changeSetId)) await this.repo.putChangeSet(next);
  }

  async require(name: string, stackName: string | undefined): Promise<ChangeSetRecord> {
    const cs = await this.find(name, stackName);
    if (!cs) throw CloudFormationErrors.changeSetNotFound(name);
    return cs;
  }

  private async find(name: string, stackName: string | undefined): Promise<ChangeSetRecord | undefined> {
    const stack = stackName === undefined ? undefined : await this.repo.getStack(stackName);
    if (stackName !== undefined && !stack && !name.startsWith('arn:')) throw CloudFormationErrors.changeSetNotFound(name);
    return this.repo.getChangeSet(name, stack?.stackId);
  }

  async list(stackName: string): Promise<ChangeSetRecord[]> {
    const stack = await this.stacks.require(stackName);
    return this.repo.changeSets(stack.stackId);
  }

  /**
   * Deleting a change set by name that the stack does not have succeeds, as on AWS (CDK and the Serverless
   * Framework delete their change set before every update); the stack itself must exist.
   */
  async delete(name: string, stackName: string | undefined): Promise<void> {
    if (stackName !== undefined && !name.startsWith('arn:')) {
      const stack = await this.repo.getStack(stackName);
      if (!stack) throw CloudFormationErrors.validation(`Stack [${stackName}] does not exist`);
      if (!(await this.repo.getChangeSet(name, stack.stackId))) return;
    }
    const cs = await this.require(name, stackName);
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') throw CloudFormationErrors.invalidChangeSetStatus(`Cannot delete ChangeSet in status ${cs.executionStatus}`);
    await this.repo.deleteChangeSet(cs.changeSetId);
  }

  async execute(name: string, stackName: string | undefined, disableRollback: boolean | undefined): Promise<void> {
    const cs = await this.require(name, stackName);
    if (cs.status !== 'CREATE_COMPLETE' || cs.executionStatus !== 'AVAILABLE') {
      throw CloudFormationErrors.invalidChangeSetStatus(`ChangeSet [${cs.changeSetId}] cannot be executed in its current status of [${cs.status}]`);
    }
    const stack = await this.stacks.require(cs.stackId);
    const given = cs.parameters.map((p) => (p.resolved === 'UsePreviousValue' ? { key: p.key, usePreviousValue: true } : { key: p.key, value: p.value }));
    const wasReview = stack.status === 'REVIEW_IN_PROGRESS';
    const evaluation = await this.stacks.evaluateFor(stack, cs.templateBody, given, wasReview ? undefined : stack.parameters, cs.capabilities);
    const patch = { tags: cs.tags, capabilities: cs.capabilities, notificationArns: cs.notificationArns, changeSetId: cs.changeSetId, ...(disableRollback !== undefined ? { disableRollback } : {}) };
    // Executing a change set removes the stack's change sets, as CloudFormation does.
    for (const other of await this.repo.changeSets(stack.stackId)) await this.repo.deleteChangeSet(other.changeSetId);
    if (wasReview) await this.stacks.createFromReview(stack, cs.templateBody, evaluation, patch);
    else {
      this.stacks.checkUpdatable(stack);
      await this.stacks.startUpdate(stack, cs.templateBody, evaluation, patch);
    }
  }

  /** Change sets a previous server left being computed fail, saying why: their waiters must not wait for ever. */
  async failInterrupted(): Promise<void> {
    for (const stack of await this.repo.listStacks()) {
      for (const cs of await this.repo.changeSets(stack.stackId)) {
        if (cs.status !== 'CREATE_PENDING' && cs.status !== 'CREATE_IN_PROGRESS') continue;
        await this.repo.putChangeSet({ ...cs, status: 'FAILED', statusReason: 'The server restarted while the change set was being created. Create it again.' });
      }
    }
  }

  /** Change sets still being computed, for a clean stop. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    this.logger.debug('change sets settled');
  }
}
