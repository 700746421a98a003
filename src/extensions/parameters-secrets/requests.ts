/** The two requests the extension serves, read from their query strings as AWS documents them. */
import { Refusals, type Answer } from './answers.js';

export interface Lookup {
  service: 'secretsmanager' | 'ssm';
  operation: 'GetSecretValue' | 'GetParameter';
  input: Record<string, unknown>;
  /** What was asked, as the cache knows it. */
  key: string;
}

export const SECRETS_PATH = '/secretsmanager/get';
export const PARAMETERS_PATH = '/systemsmanager/parameters/get';

/** Whether the endpoint serves this path at all. */
export const isServedPath = (path: string): boolean => path === SECRETS_PATH || path === PARAMETERS_PATH;

/** What a request on a served path asks for, or why it is refused. */
export function lookupOf(url: URL): Lookup | Answer {
  return url.pathname === SECRETS_PATH ? secretLookup(url.searchParams) : parameterLookup(url.searchParams);
}

function secretLookup(q: URLSearchParams): Lookup | Answer {
  const unknown = unknownParameter(q, ['secretId', 'versionId', 'versionStage']);
  if (unknown !== undefined) return Refusals.unknown(unknown);
  const secretId = q.get('secretId');
  if (!secretId) return Refusals.missing('secretId');
  const versionId = q.get('versionId') || undefined;
  const versionStage = q.get('versionStage') || undefined;
  return {
    service: 'secretsmanager',
    operation: 'GetSecretValue',
    input: { SecretId: secretId, ...(versionId ? { VersionId: versionId } : {}), ...(versionStage ? { VersionStage: versionStage } : {}) },
    key: `secret\u0000${secretId}\u0000${versionId ?? ''}\u0000${versionStage ?? ''}`,
  };
}

function parameterLookup(q: URLSearchParams): Lookup | Answer {
  const unknown = unknownParameter(q, ['name', 'version', 'label', 'withDecryption']);
  if (unknown !== undefined) return Refusals.unknown(unknown);
  const name = q.get('name');
  if (!name) return Refusals.missing('name');
  const version = q.get('version') || undefined;
  const label = q.get('label') || undefined;
  if (version && label) return Refusals.invalid('give version or label, not both');
  const decryption = (q.get('withDecryption') ?? 'false').toLowerCase();
  if (decryption !== 'true' && decryption !== 'false') return Refusals.invalid('withDecryption must be true or false');
  // GetParameter's own selectors: name:version and name:label.
  const selected = `${name}${version ? `:${version}` : label ? `:${label}` : ''}`;
  return {
    service: 'ssm',
    operation: 'GetParameter',
    input: { Name: selected, WithDecryption: decryption === 'true' },
    key: `parameter\u0000${selected}\u0000${decryption}`,
  };
}

const unknownParameter = (q: URLSearchParams, known: readonly string[]): string | undefined => [...q.keys()].find((k) => !known.includes(k));
