/** Stored CloudFormation records to the API's shapes (timestamps in epoch seconds). */
import type { ChangeSetRecord, ResourceRecord, StackEvent, StackParameter, StackRecord } from '../model.js';

const secs = (ms: number) => ms / 1000;
const opt = <T>(key: string, v: T | undefined) => (v === undefined ? {} : { [key]: v });
const tagList = (tags: Readonly<Record<string, string>>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export const renderParameters = (params: readonly StackParameter[]) =>
  params.map((p) => ({ ParameterKey: p.key, ParameterValue: p.noEcho ? '****' : p.value, ...opt('ResolvedValue', p.noEcho ? undefined : p.resolved) }));

export const renderStack = (s: StackRecord) => ({
  StackId: s.stackId,
  StackName: s.name,
  ...opt('ChangeSetId', s.changeSetId),
  ...opt('Description', s.description),
  Parameters: renderParameters(s.parameters),
  CreationTime: secs(s.createdAt),
  ...opt('LastUpdatedTime', s.updatedAt === undefined ? undefined : secs(s.updatedAt)),
  ...opt('DeletionTime', s.deletedAt === undefined ? undefined : secs(s.deletedAt)),
  StackStatus: s.status,
  ...opt('StackStatusReason', s.statusReason),
  DisableRollback: s.disableRollback,
  NotificationARNs: s.notificationArns,
  ...opt('TimeoutInMinutes', s.timeoutInMinutes),
  Capabilities: s.capabilities,
  Outputs: s.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, ...opt('Description', o.description), ...opt('ExportName', o.exportName) })),
  ...opt('RoleARN', s.roleArn),
  Tags: tagList(s.tags),
  EnableTerminationProtection: s.terminationProtection,
  ...opt('ParentId', s.parentId),
  ...opt('RootId', s.rootId),
  DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
});

export const renderStackSummary = (s: StackRecord) => ({
  StackId: s.stackId,
  StackName: s.name,
  ...opt('TemplateDescription', s.description),
  CreationTime: secs(s.createdAt),
  ...opt('LastUpdatedTime', s.updatedAt === undefined ? undefined : secs(s.updatedAt)),
  ...opt('DeletionTime', s.deletedAt === undefined ? undefined : secs(s.deletedAt)),
  StackStatus: s.status,
  ...opt('StackStatusReason', s.statusReason),
  ...opt('ParentId', s.parentId),
  ...opt('RootId', s.rootId),
  DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
});

export const renderEvent = (e: StackEvent) => ({
  StackId: e.stackId,
  EventId: e.eventId,
  StackName: e.stackName,
  LogicalResourceId: e.logicalId,
  ...opt('PhysicalResourceId', e.physicalId),
  ResourceType: e.type,
  Timestamp: secs(e.timestamp),
  ResourceStatus: e.status,
  ...opt('ResourceStatusReason', e.reason),
  ...opt('ResourceProperties', e.properties),
});

export const renderResource = (stack: StackRecord, r: ResourceRecord) => ({
  StackName: stack.name,
  StackId: stack.stackId,
  LogicalResourceId: r.logicalId,
  ...opt('PhysicalResourceId', r.physicalId),
  ResourceType: r.type,
  Timestamp: secs(r.updatedAt),
  ResourceStatus: r.status,
  ...opt('ResourceStatusReason', r.statusReason),
  DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
});

export const renderResourceDetail = (stack: StackRecord, r: ResourceRecord) => {
  const { Timestamp, ...rest } = renderResource(stack, r);
  return { ...rest, LastUpdatedTimestamp: Timestamp, ...opt('Metadata', r.metadata === undefined ? undefined : JSON.stringify(r.metadata)) };
};

export const renderResourceSummary = (r: ResourceRecord) => ({
  LogicalResourceId: r.logicalId,
  ...opt('PhysicalResourceId', r.physicalId),
  ResourceType: r.type,
  LastUpdatedTimestamp: secs(r.updatedAt),
  ResourceStatus: r.status,
  ...opt('ResourceStatusReason', r.statusReason),
  DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
});

const changeSetBase = (c: ChangeSetRecord) => ({
  StackId: c.stackId,
  StackName: c.stackName,
  ChangeSetId: c.changeSetId,
  ChangeSetName: c.name,
  ExecutionStatus: c.executionStatus,
  Status: c.status,
  ...opt('StatusReason', c.statusReason),
  CreationTime: secs(c.createdAt),
  ...opt('Description', c.description),
  IncludeNestedStacks: false,
});

export const renderChangeSetSummary = changeSetBase;

export const renderChangeSet = (c: ChangeSetRecord) => ({
  ...changeSetBase(c),
  Parameters: renderParameters(c.parameters),
  NotificationARNs: c.notificationArns,
  Capabilities: c.capabilities,
  Tags: tagList(c.tags),
  Changes: c.changes.map((ch) => ({
    Type: 'Resource',
    ResourceChange: {
      Action: ch.action,
      LogicalResourceId: ch.logicalId,
      ...opt('PhysicalResourceId', ch.physicalId),
      ResourceType: ch.type,
      ...opt('Replacement', ch.replacement),
      Scope: ch.scope,
      Details: ch.details.map((d) => ({
        Target: { Attribute: 'Properties', Name: d.name, RequiresRecreation: d.requiresRecreation },
        Evaluation: d.evaluation,
        ChangeSource: d.evaluation === 'Dynamic' ? 'ResourceReference' : 'DirectModification',
        ...(d.evaluation === 'Dynamic' ? { CausingEntity: d.name } : {}),
      })),
    },
  })),
});
