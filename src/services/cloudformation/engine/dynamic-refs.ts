/**
 * `{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}` and `{{resolve:secretsmanager:...}}` in resolved
 * properties, replaced at deploy time; except in a Lambda function's Environment, where they pass
 * through for the platform to resolve when an environment starts (security/dynamic-references.ts).
 */
import { hasReferences, resolveEnvironment, type ReferenceLookups } from '../../../security/dynamic-references.js';
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';

export type Call = (endpointPrefix: string, operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export function referenceLookups(call: Call): ReferenceLookups {
  return {
    async secretString(secretId, stage, versionId) {
      const out = await call('secretsmanager', 'GetSecretValue', { SecretId: secretId, ...(stage ? { VersionStage: stage } : {}), ...(versionId ? { VersionId: versionId } : {}) });
      if (typeof out['SecretString'] !== 'string') throw new Error('the secret has no SecretString');
      return out['SecretString'];
    },
    async parameter(name, version, secure) {
      const out = await call('ssm', 'GetParameter', { Name: version ? `${name}:${version}` : name, WithDecryption: secure });
      return String((out['Parameter'] as { Value?: unknown } | undefined)?.Value ?? '');
    },
  };
}

export async function resolveDynamicReferences(type: string, props: Record<string, unknown>, lookups: ReferenceLookups): Promise<Record<string, unknown>> {
  const walk = async (v: unknown, path: string[]): Promise<unknown> => {
    if (typeof v === 'string') {
      if (!hasReferences(v)) return v;
      const out = await resolveEnvironment({ [path.join('.')]: v }, lookups).catch((err: unknown) => {
        throw CloudFormationErrors.validation((err as Error).message);
      });
      return out.env[path.join('.')];
    }
    if (Array.isArray(v)) return Promise.all(v.map((x, i) => walk(x, [...path, String(i)])));
    if (v && typeof v === 'object') {
      if (type === 'AWS::Lambda::Function' && path.length === 1 && path[0] === 'Environment') return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return (await walk(props, [])) as Record<string, unknown>;
}
