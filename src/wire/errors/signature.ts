import { kind, entry, text, AwsError, type ErrorKind, type ErrorEntry } from './core.js';

/** Why a request's signature was refused; each protocol answers each with its own error. */
export type SignatureProblem = 'missing' | 'incomplete' | 'unknownKey' | 'expiredToken' | 'expired' | 'mismatch';

const SIGNING = "a common error of every AWS API: the request's SigV4 signature";
const signing = (name: string, status: number, queryCode = name) => kind(name, status, { queryCode, outsideModel: SIGNING });

// Query services and S3 answer a wrong signature alike.
const signatureDoesNotMatch = signing('SignatureDoesNotMatch', 403);

/** What each protocol answers a refused signature with: JSON services 400s (with query codes for query-compatible ones), Lambda and query services 403s. */
const signatureKinds = {
  json: {
    missing: signing('MissingAuthenticationTokenException', 400, 'MissingAuthenticationToken'),
    incomplete: signing('IncompleteSignatureException', 400, 'IncompleteSignature'),
    unknownKey: signing('UnrecognizedClientException', 400, 'InvalidClientTokenId'),
    expiredToken: signing('ExpiredTokenException', 400, 'ExpiredToken'),
    invalid: signing('InvalidSignatureException', 400, 'SignatureDoesNotMatch'),
  },
  'rest-json': {
    missing: signing('MissingAuthenticationTokenException', 403),
    incomplete: signing('IncompleteSignatureException', 403),
    unknownKey: signing('UnrecognizedClientException', 403),
    expiredToken: signing('ExpiredTokenException', 403),
    invalid: signing('InvalidSignatureException', 403),
  },
  query: {
    missing: signing('MissingAuthenticationToken', 403),
    incomplete: signing('IncompleteSignature', 400),
    unknownKey: signing('InvalidClientTokenId', 403),
    expiredToken: signing('ExpiredToken', 403),
    invalid: signatureDoesNotMatch,
  },
  'rest-xml': {
    missing: signing('AccessDenied', 403),
    incomplete: signing('AuthorizationHeaderMalformed', 400),
    unknownKey: signing('InvalidAccessKeyId', 403),
    expiredToken: signing('ExpiredToken', 400),
    invalid: signatureDoesNotMatch,
    skewed: signing('RequestTimeTooSkewed', 403),
  },
} as const;

type SignatureProtocol = keyof typeof signatureKinds;

/** Every refusal of every protocol, flat, so that the catalog test sees each kind. */
export const SignatureErrors = Object.fromEntries(
  Object.entries(signatureKinds).flatMap(([protocol, kinds]) =>
    Object.entries(kinds).map(([problem, k]) => [`${protocol}.${problem}`, entry(k as ErrorKind, text)]),
  ),
) as Readonly<Record<string, ErrorEntry<[string]>>>;

/**
 * The error a protocol answers a refused signature with. The message comes from the verifier (it
 * names the dates of an expired signature); a skewed clock is a wrong signature except in S3.
 */
export function signatureError(protocol: string, problem: SignatureProblem, message: string): AwsError {
  const p: SignatureProtocol = protocol in signatureKinds ? (protocol as SignatureProtocol) : 'json';
  const key = problem === 'expired' ? (p === 'rest-xml' ? 'skewed' : 'invalid') : problem === 'mismatch' ? 'invalid' : problem;
  return SignatureErrors[`${p}.${key}`]!(message);
}

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
