/**
 * An authorizer's IAM policy evaluated against the method's ARN
 * (`arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`): an explicit Deny wins,
 * then an Allow; nothing matching is an implicit deny. `*` and `?` are wildcards, as in IAM.
 */
import { z } from 'zod';

const OneOrMany = z.union([z.string(), z.array(z.string())]);
export const PolicyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([
    z.array(z.looseObject({ Effect: z.string(), Action: OneOrMany.optional(), Resource: OneOrMany.optional(), NotResource: OneOrMany.optional() })),
    z.looseObject({ Effect: z.string(), Action: OneOrMany.optional(), Resource: OneOrMany.optional(), NotResource: OneOrMany.optional() }),
  ]),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

const matchesAny = (patterns: string[], value: string): boolean => patterns.some((p) => wildcard(p).test(value));

export function evaluatePolicy(policy: PolicyDocument, methodArn: string): Decision {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  let allowed = false;
  for (const s of statements) {
    const actions = list(s.Action);
    if (actions.length > 0 && !matchesAny(actions.map((a) => a.toLowerCase()), 'execute-api:invoke')) continue;
    const resources = list(s.Resource);
    const applies = s.NotResource !== undefined ? !matchesAny(list(s.NotResource), methodArn) : matchesAny(resources, methodArn);
    if (!applies) continue;
    if (s.Effect === 'Deny') return 'explicit-deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** The ARN authorizers see for a request: the resource path without its leading `/`. */
export function methodArn(region: string, accountId: string, apiId: string, stage: string, httpMethod: string, path: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${httpMethod}/${path.replace(/^\//, '')}`;
}
