/** Wire inputs of stack and change set operations to the service's requests. */
import type { CreateChangeSetInput, CreateStackInput, UpdateStackInput } from '../../../wire/inputs/cloudformation.js';
import type { ChangeSetRequest } from '../change-sets.js';
import type { DeployRequest } from '../stacks.js';

/** What CreateStack, UpdateStack and CreateChangeSet may say about a deployment (each says part of it). */
type DeployInput = Pick<CreateStackInput, 'StackName'> &
  Partial<Omit<CreateStackInput, 'StackName'> & Omit<UpdateStackInput, 'StackName'> & Omit<CreateChangeSetInput, 'StackName'>>;

export function deployRequest(i: DeployInput): DeployRequest {
  const disableRollback = i.DisableRollback ?? (i.OnFailure === undefined ? undefined : i.OnFailure === 'DO_NOTHING');
  return {
    stackName: i.StackName,
    templateBody: i.TemplateBody,
    templateUrl: i.TemplateURL,
    usePreviousTemplate: i.UsePreviousTemplate,
    parameters: (i.Parameters ?? []).map((p) => ({ key: p.ParameterKey ?? '', ...(p.ParameterValue !== undefined ? { value: p.ParameterValue } : {}), ...(p.UsePreviousValue ? { usePreviousValue: true } : {}) })),
    tags: i.Tags === undefined ? undefined : Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value])),
    capabilities: i.Capabilities ?? [],
    notificationArns: i.NotificationARNs,
    disableRollback,
    deleteOnFailure: i.OnFailure === 'DELETE',
    terminationProtection: i.EnableTerminationProtection,
    stackPolicy: i.StackPolicyBody,
    timeoutInMinutes: i.TimeoutInMinutes,
    roleArn: i.RoleARN,
  };
}

export function changeSetRequest(i: CreateChangeSetInput): ChangeSetRequest {
  return {
    ...deployRequest(i),
    changeSetName: i.ChangeSetName,
    changeSetType: i.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE',
    description: i.Description,
  };
}
