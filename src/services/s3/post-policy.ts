/**
 * The policy of a browser POST upload: a base64 JSON document with an expiration and conditions that
 * every form field must meet (`eq`, `starts-with`, `content-length-range`, or `{field: value}`), with
 * AWS's AccessDenied messages when one does not hold.
 */
import { Transform } from 'node:stream';
import { z } from 'zod';
import { S3Errors } from '../../wire/errors.js';

export type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { kind: 'range'; min: number; max: number };

export interface PostPolicy {
  expiration: number;
  conditions: Condition[];
}

const PolicySchema = z.object({ expiration: z.string(), conditions: z.array(z.unknown()) });

/** Fields a policy need not mention. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file', 'awsaccesskeyid', 'signature']);

function conditionOf(raw: unknown): Condition {
  if (Array.isArray(raw)) {
    const [op, a, b] = raw as unknown[];
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name === 'content-length-range' && Number.isInteger(Number(a)) && Number.isInteger(Number(b))) return { kind: 'range', min: Number(a), max: Number(b) };
    if ((name === 'eq' || name === 'starts-with') && typeof a === 'string' && a.startsWith('$') && typeof b === 'string') {
      return { kind: name, field: a.slice(1).toLowerCase(), value: b, text: JSON.stringify(raw).replace(/","/g, '", "') };
    }
  } else if (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 1) {
    const [field, value] = Object.entries(raw)[0]!;
    if (typeof value === 'string') return { kind: 'eq', field: field.toLowerCase(), value, text: `["eq", "$${field}", ${JSON.stringify(value)}]` };
  }
  throw S3Errors.invalidPolicyDocument(`Invalid Simple-Condition: ${JSON.stringify(raw)}`);
}

export function parsePolicy(base64: string): PostPolicy {
  let doc: z.infer<typeof PolicySchema>;
  try {
    doc = PolicySchema.parse(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
  } catch {
    throw S3Errors.invalidPolicyDocument('Invalid JSON.');
  }
  const expiration = Date.parse(doc.expiration);
  if (Number.isNaN(expiration)) throw S3Errors.invalidPolicyDocument('Invalid \'expiration\' value: ' + JSON.stringify(doc.expiration));
  return { expiration, conditions: doc.conditions.map(conditionOf) };
}

const denied = (why: string) => S3Errors.accessDenied(`Invalid according to Policy: ${why}`);

/** Checks the policy against the form (field names lower-case, `bucket` included); the size is checked as the file streams. */
export function checkPolicy(policy: PostPolicy, fields: ReadonlyMap<string, string>, now: number): void {
  if (now >= policy.expiration) throw denied('Policy expired.');
  const covered = new Set<string>();
  for (const c of policy.conditions) {
    if (c.kind === 'range') continue;
    covered.add(c.field);
    const value = fields.get(c.field) ?? '';
    const holds = c.kind === 'eq' ? value === c.value : value.startsWith(c.value);
    if (!holds) throw denied(`Policy Condition failed: ${c.text}`);
  }
  const extra = [...fields.keys()].filter((f) => !EXEMPT.has(f) && !f.startsWith('x-ignore-') && f !== 'bucket' && !covered.has(f));
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

/** Passes the file's bytes through, failing as S3 does once they leave the policy's `content-length-range`. */
export function sizeLimit(policy: PostPolicy | undefined): Transform | undefined {
  const range = policy?.conditions.find((c): c is Extract<Condition, { kind: 'range' }> => c.kind === 'range');
  if (!range) return undefined;
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > range.max) return done(S3Errors.entityTooLarge(range.max));
      done(null, chunk);
    },
    flush(done) {
      done(size < range.min ? S3Errors.entityTooSmall() : null);
    },
  });
}
