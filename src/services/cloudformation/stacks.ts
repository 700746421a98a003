/**
 * Stack operations as the API asks for them: checked and evaluated at once (so a bad template or
 * parameter is the caller's ValidationError), then run in the background by StackOperations.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../lib/clock.js';
import type { CloudFormationRepo } from '../../storage/cloudformation-repo.js';
import { CloudFormationErrors } from '../../wire/errors/cloudformation.js';
import type { EngineDeps } from './engine/apply.js';
import { evaluate, type Evaluation } from './engine/evaluation.js';
import { runCreate, runDelete, runUpdate } from './engine/flows.js';
import type { Journal } from './engine/journal.js';
import type { StackOperations } from './engine/operations.js';
import { canUpdateFrom } from './engine/stack-states.js';
import { isDeleted, isInProgress, type StackRecord } from './model.js';
import type { GivenParameter } from './template/parameters.js';
import { checkCapabilities } from './template/summary.js';
import { templateBodyOf, type ReadObject } from './template/template-source.js';

export interface DeployRequest {
  stackName: string;
  templateBody?: string | undefined;
  templateUrl?: string | undefined;
  usePreviousTemplate?: boolean | undefined;
  parameters: GivenParameter[];
  /** Undefined keeps the stack's tags (on update). */
  tags?: Record<string, string> | undefined;
  capabilities: string[];
  notificationArns?: string[] | undefined;
  disableRollback?: boolean | undefined;
  deleteOnFailure?: boolean | undefined;
  terminationProtection?: boolean | undefined;
  stackPolicy?: string | undefined;
  timeoutInMinutes?: number | undefined;
  roleArn?: string | undefined;
  parentId?: string | undefined;
  rootId?: string | undefined;
}

export interface StacksDeps {
  repo: CloudFormationRepo;
  journal: Journal;
  engine: EngineDeps;
  operations: StackOperations;
  clock: Clock;
  account: { region: string; accountId: string };
  serverUrl(): string;
  readObject: ReadObject;
}

export const stackArn = (account: { region: string; accountId: string }, name: string) => `arn:aws:cloudformation:${account.region}:${account.accountId}:stack/${name}/${randomUUID()}`;

export class Stacks {
  constructor(readonly d: StacksDeps) {}

  async require(nameOrId: string): Promise<StackRecord> {
    const stack = await this.d.repo.getStack(nameOrId);
    if (!stack) throw CloudFormationErrors.stackNotFound(nameOrId);
    return stack;
  }

  /** The template text a request names (TemplateBody, TemplateURL, or the stack's previous template). */
  async bodyOf(req: Pick<DeployRequest, 'templateBody' | 'templateUrl' | 'usePreviousTemplate'>, stack?: StackRecord): Promise<string> {
    if (req.usePreviousTemplate) {
      if (!stack) throw CloudFormationErrors.validation('UsePreviousTemplate can only be used with an existing stack');
      return stack.templateBody;
    }
    return templateBodyOf(req, this.d.serverUrl(), this.d.readObject);
  }

  /** Evaluates a template for a stack: parameters, conditions, graph, capabilities. */
  async evaluateFor(stack: Pick<StackRecord, 'stackId' | 'name' | 'notificationArns'>, body: string, given: readonly GivenParameter[], previous: StackRecord['parameters'] | undefined, capabilities: readonly string[]): Promise<Evaluation> {
    const exports = new Map((await this.d.repo.exports()).map((e) => [e.name, e.value]));
    const evaluation = await evaluate({
      body,
      given,
      ...(previous ? { previous } : {}),
      pseudo: { accountId: this.d.account.accountId, region: this.d.account.region, stackName: stack.name, stackId: stack.stackId, partition: 'aws', urlSuffix: 'amazonaws.com', notificationArns: stack.notificationArns },
      exports,
      ssmValue: async (name) => {
        const out = await this.d.engine.call('ssm', 'GetParameter', { Name: name });
        return String((out['Parameter'] as { Value?: unknown } | undefined)?.Value ?? '');
      },
    });
    checkCapabilities(Object.fromEntries(Object.entries(evaluation.resources).map(([id, r]) => [id, { Type: r.type, Properties: r.properties }])), capabilities);
    return evaluation;
  }

  async create(req: DeployRequest): Promise<StackRecord> {
    if (!/^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(req.stackName)) {
      throw CloudFormationErrors.validation(`1 validation error detected: Value '${req.stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    }
    if (await this.d.repo.getStack(req.stackName)) throw CloudFormationErrors.alreadyExists(req.stackName);
    const body = await this.bodyOf(req);
    const draft = { stackId: stackArn(this.d.account, req.stackName), name: req.stackName, notificationArns: req.notificationArns ?? [] };
    const evaluation = await this.evaluateFor(draft, body, req.parameters, undefined, req.capabilities);
    const stack: StackRecord = {
      ...draft,
      status: 'CREATE_IN_PROGRESS',
      statusReason: 'User Initiated',
      createdAt: this.d.clock.now(),
      templateBody: body,
      ...(evaluation.processed !== undefined ? { processedBody: evaluation.processed } : {}),
      parameters: evaluation.parameters,
      outputs: [],
      tags: req.tags ?? {},
      capabilities: req.capabilities,
      disableRollback: req.disableRollback ?? false,
      ...(req.deleteOnFailure ? { deleteOnFailure: true } : {}),
      terminationProtection: req.terminationProtection ?? false,
      ...(evaluation.description !== undefined ? { description: evaluation.description } : {}),
      ...(req.stackPolicy !== undefined ? { stackPolicy: req.stackPolicy } : {}),
      ...(req.timeoutInMinutes !== undefined ? { timeoutInMinutes: req.timeoutInMinutes } : {}),
      ...(req.roleArn !== undefined ? { roleArn: req.roleArn } : {}),
      ...(req.parentId !== undefined ? { parentId: req.parentId, rootId: req.rootId ?? req.parentId } : {}),
    };
    if (!(await this.d.repo.createStack(stack))) throw CloudFormationErrors.alreadyExists(req.stackName);
    await this.d.journal.stackEvent(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    this.d.operations.start(stack.stackId, () => runCreate(this.d.engine, stack, evaluation));
    return stack;
  }

  /** Starts a create from REVIEW_IN_PROGRESS (a CREATE change set's execution). */
  async createFromReview(stack: StackRecord, body: string, evaluation: Evaluation, patch: Partial<StackRecord>): Promise<void> {
    const next = await this.d.journal.move(stack, 'CREATE_IN_PROGRESS', 'User Initiated', {
      ...patch,
      templateBody: body,
      ...(evaluation.processed !== undefined ? { processedBody: evaluation.processed } : {}),
      parameters: evaluation.parameters,
      createdAt: this.d.clock.now(),
      ...(evaluation.description !== undefined ? { description: evaluation.description } : {}),
    });
    this.d.operations.start(next.stackId, () => runCreate(this.d.engine, next, evaluation));
  }

  async update(req: DeployRequest): Promise<StackRecord> {
    const stack = await this.require(req.stackName);
    this.checkUpdatable(stack);
    const body = await this.bodyOf(req, stack);
    const evaluation = await this.evaluateFor(stack, body, req.parameters, stack.parameters, req.capabilities);
    const tags = req.tags ?? stack.tags;
    const same =
      body === stack.templateBody &&
      isDeepStrictEqual(evaluation.parameters, stack.parameters) &&
      isDeepStrictEqual(tags, stack.tags) &&
      (req.notificationArns === undefined || isDeepStrictEqual(req.notificationArns, stack.notificationArns));
    if (same) throw CloudFormationErrors.validation('No updates are to be performed.');
    return this.startUpdate(stack, body, evaluation, { tags, capabilities: req.capabilities, ...(req.notificationArns ? { notificationArns: req.notificationArns } : {}), ...(req.disableRollback !== undefined ? { disableRollback: req.disableRollback } : {}), ...(req.stackPolicy !== undefined ? { stackPolicy: req.stackPolicy } : {}) });
  }

  checkUpdatable(stack: StackRecord): void {
    if (!canUpdateFrom(stack.status)) throw CloudFormationErrors.validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  }

  async startUpdate(stack: StackRecord, body: string, evaluation: Evaluation, patch: Partial<StackRecord>): Promise<StackRecord> {
    const previous = { templateBody: stack.templateBody, ...(stack.processedBody !== undefined ? { processedBody: stack.processedBody } : {}), parameters: stack.parameters, outputs: stack.outputs, tags: stack.tags, resources: await this.d.repo.resources(stack.stackId) };
    const { description: _d, processedBody: _p, ...rest } = stack;
    const next = await this.d.journal.move(rest as StackRecord, 'UPDATE_IN_PROGRESS', 'User Initiated', {
      ...patch,
      templateBody: body,
      ...(evaluation.processed !== undefined ? { processedBody: evaluation.processed } : {}),
      parameters: evaluation.parameters,
      previous,
      updatedAt: this.d.clock.now(),
      ...(evaluation.description !== undefined ? { description: evaluation.description } : {}),
    });
    this.d.operations.start(next.stackId, () => runUpdate(this.d.engine, next, evaluation));
    return next;
  }

  /** `retain`: logical ids kept (RetainResources), only for a stack whose deletion failed, as CloudFormation allows. */
  async delete(nameOrId: string, retain: readonly string[] = []): Promise<void> {
    const stack = await this.d.repo.getStack(nameOrId);
    if (!stack || isDeleted(stack) || stack.status === 'DELETE_IN_PROGRESS') return;
    if (retain.length > 0 && stack.status !== 'DELETE_FAILED') {
      throw CloudFormationErrors.validation(`Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`);
    }
    if (stack.terminationProtection) throw CloudFormationErrors.validation(`Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`);
    if (isInProgress(stack.status)) throw CloudFormationErrors.validation(`Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
    const next = await this.d.journal.move(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    this.d.operations.start(next.stackId, () => runDelete(this.d.engine, next, retain));
  }

  async setTerminationProtection(nameOrId: string, enabled: boolean): Promise<StackRecord> {
    const stack = await this.require(nameOrId);
    if (stack.parentId) throw CloudFormationErrors.validation('Termination protection cannot be updated on a nested stack: set it on the root stack');
    const next = { ...stack, terminationProtection: enabled };
    if (!(await this.d.repo.updateStack(next, [stack.status]))) throw CloudFormationErrors.validation(`Stack [${stack.name}] changed while its termination protection was being set; try again`);
    return next;
  }

  async setPolicy(nameOrId: string, policy: string): Promise<void> {
    const stack = await this.require(nameOrId);
    try {
      JSON.parse(policy);
    } catch {
      throw CloudFormationErrors.validation('Error validating stack policy: Invalid stack policy');
    }
    if (!(await this.d.repo.updateStack({ ...stack, stackPolicy: policy }, [stack.status]))) throw CloudFormationErrors.validation(`Stack [${stack.name}] changed while its policy was being set; try again`);
  }
}
