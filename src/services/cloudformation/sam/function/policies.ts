/**
 * The `Policies` of a function: managed policy names or ARNs, inline policy documents, and SAM's
 * policy templates (`SQSPollerPolicy: {QueueName: q}`), which expand to documents before the role is
 * built. Template definitions and the managed-policy ARNs come from samtranslator's own data
 * (scripts/gen-sam-data.py).
 */
import managedPolicies from '../data/managed-policies.json' with { type: 'json' };
import policyTemplates from '../data/policy-templates.json' with { type: 'json' };
import { invalidResource, invalidTemplate } from '../errors.js';
import { isIf, isIntrinsic, isNoValue, isObject, type Json, type JsonObject } from '../intrinsics.js';

type PolicyTemplate = { Parameters: string[]; Definition: Json };
const TEMPLATES = policyTemplates.data as unknown as Record<string, PolicyTemplate>;
const MANAGED = managedPolicies.data as Record<string, Record<string, string>>;

export type PolicyKind = 'managed' | 'statement' | 'template' | 'unknown';

/** The Policies property as a list (a single string or map counts as one policy). */
export function policyList(policies: Json | undefined): Json[] {
  if (policies === undefined || policies === null) return [];
  return Array.isArray(policies) ? policies : [policies];
}

export function policyKind(policy: Json): PolicyKind {
  if (typeof policy === 'string') return 'managed';
  if (isIf(policy)) return kindOfIf(policy['Fn::If']);
  if (isIntrinsic(policy)) return 'managed';
  if (isObject(policy) && 'Statement' in policy) return 'statement';
  if (isObject(policy) && Object.keys(policy).length === 1 && Object.hasOwn(TEMPLATES, Object.keys(policy)[0]!)) return 'template';
  return 'unknown';
}

function kindOfIf(items: Json[]): PolicyKind {
  if (!Array.isArray(items) || items.length !== 3) throw invalidTemplate('Fn::If requires 3 arguments');
  const [, a, b] = items as [Json, Json, Json];
  const ka = policyKind(a);
  const kb = policyKind(b);
  if (ka === kb) return ka;
  if (isNoValue(a)) return kb;
  if (isNoValue(b)) return ka;
  throw invalidTemplate(
    'Different policy types within the same Fn::If statement is unsupported. Separate different policy types into different Fn::If statements',
  );
}

/** Policies with every policy template replaced by the document it stands for. */
export function expandPolicyTemplates(logicalId: string, policies: Json | undefined): Json[] | undefined {
  if (policies === undefined) return undefined;
  return policyList(policies).map((policy) => {
    if (policyKind(policy) !== 'template') return policy;
    if (isIf(policy)) {
      const [cond, a, b] = policy['Fn::If'] as [Json, Json, Json];
      const expand = (v: Json): Json => (isNoValue(v) ? v : expandTemplate(logicalId, v as JsonObject));
      return { 'Fn::If': [cond, expand(a), expand(b)] };
    }
    return expandTemplate(logicalId, policy as JsonObject);
  });
}

function expandTemplate(logicalId: string, policy: JsonObject): Json {
  const [name, values] = Object.entries(policy)[0]!;
  const template = TEMPLATES[name]!;
  if (!isObject(values)) throw invalidResource(logicalId, `Must specify valid parameter values for policy template '${name}'`);
  const missing = template.Parameters.filter((p) => !(p in values));
  if (missing.length > 0) {
    throw invalidResource(
      logicalId,
      `Following required parameters of template '${name}' don't have values: [${missing.map((m) => `'${m}'`).join(', ')}]`,
    );
  }
  // Only `Ref`s to the template's own parameters are replaced, never Refs inside the values given.
  const fill = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(fill);
    if (!isObject(node)) return node;
    if (Object.keys(node).length === 1 && typeof node['Ref'] === 'string' && template.Parameters.includes(node['Ref'])) {
      return structuredClone(values[node['Ref']]!);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
  };
  return fill(template.Definition);
}

/**
 * The ARN of an AWS managed policy named in Policies. Like samtranslator: the map bundled with SAM
 * first; an ARN or unknown name is kept as written.
 */
export function managedPolicyArn(name: string, partition: string): string {
  return MANAGED[partition]?.[name] ?? name;
}
