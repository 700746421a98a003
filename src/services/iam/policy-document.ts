/** Policy documents: checked as IAM checks them on the way in (JSON with statements), not evaluated (yet). */
import { IamErrors } from '../../wire/errors.js';

/** IAM accepts a document the caller URL-encoded, as its own answers are. */
function parse(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch {
    try {
      return JSON.parse(decodeURIComponent(document));
    } catch {
      throw IamErrors.malformedPolicyDocument('This policy contains invalid Json');
    }
  }
}

/** A permissions policy: an object whose `Statement` is a statement or a list of them, each with an `Effect`. */
export function checkPolicyDocument(document: string): void {
  const doc = parse(document);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw IamErrors.malformedPolicyDocument('This policy contains invalid Json');
  const statement = (doc as Record<string, unknown>)['Statement'];
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0) throw IamErrors.malformedPolicyDocument('Syntax errors in policy.');
  for (const s of statements) {
    const effect = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['Effect'] : undefined;
    if (effect !== 'Allow' && effect !== 'Deny') throw IamErrors.malformedPolicyDocument('Syntax errors in policy.');
  }
}

/** How IAM answers a document: URL-encoded (RFC 3986), which boto3 and the CLI decode and SDK v3 leaves to the caller. */
export const encodePolicyDocument = (document: string): string =>
  encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
