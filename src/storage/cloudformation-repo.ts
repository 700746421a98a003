/** CloudFormation's store interface: stacks, resources, events, change sets, exports and imports. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { ChangeSetRecord, ExportRecord, ResourceRecord, StackEvent, StackRecord, StackStatus } from '../services/cloudformation/model.js';

export interface CloudFormationRepo {
  /** Inserts a stack; false when a stack that is not deleted already has its name. */
  createStack(stack: StackRecord): Promise<boolean>;
  /** By stack id (deleted stacks too), or by name (only a stack that is not deleted). */
  getStack(nameOrId: string): Promise<StackRecord | undefined>;
  /** Replaces a stack if its stored status is one of `expected` (any, when absent); false otherwise. */
  updateStack(stack: StackRecord, expected?: readonly StackStatus[]): Promise<boolean>;
  /** Every stack, deleted ones too, newest first. */
  listStacks(): Promise<StackRecord[]>;
  putResource(resource: ResourceRecord): Promise<void>;
  deleteResource(stackId: string, logicalId: string): Promise<void>;
  /** A stack's resources, by logical id. */
  resources(stackId: string): Promise<ResourceRecord[]>;
  appendEvent(event: StackEvent): Promise<void>;
  /** A stack's events, newest first. */
  events(stackId: string): Promise<StackEvent[]>;
  putChangeSet(changeSet: ChangeSetRecord): Promise<void>;
  /** By change set id (an ARN), or by stack id and name. */
  getChangeSet(idOrName: string, stackId?: string): Promise<ChangeSetRecord | undefined>;
  /** A stack's change sets, oldest first. */
  changeSets(stackId: string): Promise<ChangeSetRecord[]>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  /** Replaces a stack's exports; names must be free (the caller checks) or the stack's own. */
  setExports(stackId: string, exports: readonly Omit<ExportRecord, 'stackId'>[]): Promise<void>;
  /** Every export, by name. */
  exports(): Promise<ExportRecord[]>;
  /** Replaces the export names a stack imports. */
  setImports(stackId: string, names: readonly string[]): Promise<void>;
  /** The ids of the stacks that import an export. */
  importers(exportName: string): Promise<string[]>;
}
