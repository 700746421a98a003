/** Wire inputs of stack and change set operations to the service's requests. */
import type { Input } from '../../../api/service.js';
import type { ChangeSetRequest } from '../change-sets.js';
import type { DeployRequest } from '../stacks.js';

type WireParameter = { ParameterKey?: string; ParameterValue?: string; UsePreviousValue?: boolean };
type WireTag = { Key: string; Value: string };

export function deployRequest(input: Input): DeployRequest {
  const i = input as {
    StackName: string;
    TemplateBody?: string;
    TemplateURL?: string;
    UsePreviousTemplate?: boolean;
    Parameters?: WireParameter[];
    Tags?: WireTag[];
    Capabilities?: string[];
    NotificationARNs?: string[];
    DisableRollback?: boolean;
    OnFailure?: string;
    EnableTerminationProtection?: boolean;
    StackPolicyBody?: string;
    TimeoutInMinutes?: number;
    RoleARN?: string;
  };
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

export function changeSetRequest(input: Input): ChangeSetRequest {
  const i = input as { ChangeSetName: string; ChangeSetType?: string; Description?: string };
  return {
    ...deployRequest(input),
    changeSetName: i.ChangeSetName,
    changeSetType: i.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE',
    description: i.Description,
  };
}
