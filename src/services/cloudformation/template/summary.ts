/** What ValidateTemplate and GetTemplateSummary tell of a template, without deploying it. */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import { readDocument } from './document.js';

export interface ParameterSummary {
  key: string;
  type: string;
  defaultValue?: string;
  noEcho: boolean;
  description?: string;
  allowedValues?: string[];
}

export interface TemplateSummary {
  description?: string;
  parameters: ParameterSummary[];
  capabilities: string[];
  capabilitiesReason?: string;
  resourceTypes: string[];
  version?: string;
  metadata?: string;
  transforms: string[];
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::InstanceProfile', 'AWS::IAM::AccessKey', 'AWS::IAM::UserToGroupAddition', 'AWS::IAM::RolePolicy']);
/** Types whose `RoleName` names the role they attach to, not a resource of their own. */
const ATTACHED = new Set(['AWS::IAM::RolePolicy']);
const NAME_PROPERTIES = ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'];

/** The capabilities a template's resources need: CAPABILITY_NAMED_IAM for named IAM resources, else CAPABILITY_IAM. */
export function requiredCapabilities(resources: Readonly<Record<string, { Type?: unknown; Properties?: unknown }>>): { capabilities: string[]; reason?: string } {
  const iam = Object.entries(resources).filter(([, r]) => IAM_TYPES.has(String(r.Type)));
  if (iam.length === 0) return { capabilities: [] };
  const named = iam.filter(([, r]) => !ATTACHED.has(String(r.Type)) && NAME_PROPERTIES.some((p) => (r.Properties as Record<string, unknown> | undefined)?.[p] !== undefined));
  const which = named.length > 0 ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
  return { capabilities: [which], reason: `The following resource(s) require capabilities: [${[...new Set(iam.map(([, r]) => String(r.Type)))].join(', ')}]` };
}

export function checkCapabilities(resources: Readonly<Record<string, { Type?: unknown; Properties?: unknown }>>, given: readonly string[]): void {
  const { capabilities } = requiredCapabilities(resources);
  const ok = (c: string) => given.includes(c) || (c === 'CAPABILITY_IAM' && given.includes('CAPABILITY_NAMED_IAM'));
  const missing = capabilities.filter((c) => !ok(c));
  if (missing.length > 0) throw CloudFormationErrors.insufficientCapabilities(missing.join(', '));
}

export function summarise(body: string): TemplateSummary {
  const { template, transforms, description } = readDocument(body);
  const params = (template['Parameters'] ?? {}) as Record<string, Record<string, unknown>>;
  const resources = template['Resources'] as Record<string, { Type?: unknown; Properties?: unknown }>;
  const caps = requiredCapabilities(resources);
  return {
    ...(description !== undefined ? { description } : {}),
    parameters: Object.entries(params).map(([key, p]) => ({
      key,
      type: String(p['Type']),
      noEcho: p['NoEcho'] === true || p['NoEcho'] === 'true',
      ...(p['Default'] !== undefined ? { defaultValue: String(p['Default']) } : {}),
      ...(typeof p['Description'] === 'string' ? { description: p['Description'] } : {}),
      ...(Array.isArray(p['AllowedValues']) ? { allowedValues: p['AllowedValues'].map(String) } : {}),
    })),
    capabilities: caps.capabilities,
    ...(caps.reason ? { capabilitiesReason: caps.reason } : {}),
    resourceTypes: [...new Set(Object.values(resources).map((r) => String(r.Type)))],
    ...(template['AWSTemplateFormatVersion'] !== undefined ? { version: String(template['AWSTemplateFormatVersion']) } : {}),
    ...(template['Metadata'] !== undefined ? { metadata: JSON.stringify(template['Metadata']) } : {}),
    transforms,
  };
}
