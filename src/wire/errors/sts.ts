import { kind, entry, text } from './core.js';

/** STS's errors (query). */
export const StsErrors = {
  malformedPolicyDocument: entry(kind('MalformedPolicyDocumentException', 400, { queryCode: 'MalformedPolicyDocument' }), text),
} as const;

// S3 (rest-xml) errors: the block below is S3's alone.
