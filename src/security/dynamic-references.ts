/**
 * Dynamic references in environment variables, written as CloudFormation writes them:
 *   {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}
 *   {{resolve:ssm:/name:version}}   {{resolve:ssm-secure:/name:version}}
 * resolved when an environment starts, so that the value reaches the function's process only and
 * its configuration keeps the reference. Lookups are injected: this module knows no service.
 */

export type Reference =
  | { service: 'secretsmanager'; text: string; secretId: string; jsonKey?: string; stage?: string; versionId?: string }
  | { service: 'ssm' | 'ssm-secure'; text: string; name: string; version?: string };

export interface ReferenceLookups {
  /** The SecretString of a secret's version (AWSCURRENT when neither stage nor id is given). */
  secretString(secretId: string, stage: string | undefined, versionId: string | undefined): Promise<string>;
  /** A parameter's value; `secure` asks for a SecureString, decrypted. */
  parameter(name: string, version: string | undefined, secure: boolean): Promise<string>;
}

/** A reference that could not be resolved: its text and why. */
export class UnresolvedReference extends Error {
  constructor(
    readonly variable: string,
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`the environment variable ${variable} refers to ${reference}, which cannot be resolved: ${reason}`);
  }
}

const PATTERN = /\{\{resolve:(secretsmanager|ssm|ssm-secure):([^{}]*)\}\}/g;
const SECRET_ARN_PARTS = 7;

export const hasReferences = (value: string): boolean => value.includes('{{resolve:');

/** The references in a value, in order; undefined for a malformed one (named by its text). */
export function parseReferences(value: string): (Reference | { malformed: string })[] {
  return [...value.matchAll(PATTERN)].map((m) => parseOne(m[0], m[1] as Reference['service'], m[2]!));
}

function parseOne(text: string, service: Reference['service'], body: string): Reference | { malformed: string } {
  const parts = body.split(':');
  if (service === 'secretsmanager') {
    const idParts = parts[0] === 'arn' ? SECRET_ARN_PARTS : 1;
    const secretId = parts.slice(0, idParts).join(':');
    const [field, jsonKey, stage, versionId, ...extra] = parts.slice(idParts);
    if (!secretId || extra.length > 0 || (field !== undefined && field !== '' && field !== 'SecretString')) return { malformed: text };
    return { service, text, secretId, ...opt('jsonKey', jsonKey), ...opt('stage', stage), ...opt('versionId', versionId) };
  }
  const [name, version, ...extra] = parts;
  if (!name || extra.length > 0 || (version !== undefined && !/^\d+$/.test(version))) return { malformed: text };
  return { service, text, name, ...opt('version', version) };
}

const opt = <K extends string>(key: K, v: string | undefined) => (v === undefined || v === '' ? {} : ({ [key]: v } as Record<K, string>));

/** An environment with its references resolved, and the values that came from secret references. */
export interface ResolvedEnvironment {
  env: Record<string, string>;
  /** What each `secretsmanager` and `ssm-secure` reference resolved to: the values to keep out of logs. */
  secrets: string[];
}

/** The environment with every reference replaced by its value; the first that fails is an UnresolvedReference. */
export async function resolveEnvironment(env: Readonly<Record<string, string>>, lookups: ReferenceLookups): Promise<ResolvedEnvironment> {
  const out: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!hasReferences(value)) {
      out[name] = value;
      continue;
    }
    let resolved = value;
    for (const ref of parseReferences(value)) {
      if ('malformed' in ref) throw new UnresolvedReference(name, ref.malformed, 'it is not a valid dynamic reference');
      const replacement = await resolveOne(ref, lookups).catch((err: unknown) => {
        throw new UnresolvedReference(name, ref.text, (err as Error)?.message ?? String(err));
      });
      if (ref.service !== 'ssm') secrets.add(replacement);
      resolved = resolved.replace(ref.text, () => replacement);
    }
    out[name] = resolved;
  }
  return { env: out, secrets: [...secrets] };
}

async function resolveOne(ref: Reference, lookups: ReferenceLookups): Promise<string> {
  if (ref.service !== 'secretsmanager') return lookups.parameter(ref.name, ref.version, ref.service === 'ssm-secure');
  const text = await lookups.secretString(ref.secretId, ref.stage, ref.versionId);
  if (ref.jsonKey === undefined) return text;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`the secret's value is not JSON, so it has no key ${ref.jsonKey}`);
  }
  const field = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)[ref.jsonKey] : undefined;
  if (field === undefined) throw new Error(`the secret's JSON has no key ${ref.jsonKey}`);
  return typeof field === 'string' ? field : JSON.stringify(field);
}
