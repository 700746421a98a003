/**
 * Who is calling. Every AWS client signs its requests with SigV4; the router asks an authenticator
 * for the caller before any handler runs. Two exist: one that verifies signatures against known
 * keys (./verifier.ts, with `--credentials`), and this one, for a server on loopback, that reads
 * the access key and trusts it.
 */
import type { Readable } from 'node:stream';
import { parseCredential, parseQuery, type SignableRequest } from './sigv4.js';

export type { SignableRequest };
export { SignatureRefused } from './sigv4.js';

export interface Principal {
  accessKeyId: string | undefined;
  /** `X-Amz-Security-Token`: the caller uses temporary credentials (from STS). */
  sessionToken: string | undefined;
  /** The account of a key from the credentials file; otherwise the server's. */
  accountId?: string;
}

/** The caller, and for a request given with its body unread (`stream`), that body as it must now be read. */
export interface Authenticated extends Principal {
  /** The body through the check of the hash it was signed with: it fails with `XAmzContentSHA256Mismatch` at its end if they differ. */
  stream?: Readable;
}

export interface AuthOptions {
  /** The service the endpoint is (a function URL: `lambda`): a signature scoped to another is refused. */
  service?: string;
}

/** A signed POST policy (S3's browser uploads): the form's SigV4 fields, the signature over the policy's base64. */
export interface PolicySignature {
  /** `x-amz-credential`: `AKID/20261205/us-east-1/s3/aws4_request`. */
  credential: string;
  policy: string;
  signature: string;
  sessionToken: string | undefined;
}

export interface Authenticator {
  /** Whether signatures are verified (otherwise any credentials pass). */
  readonly verifies: boolean;
  /** The caller; throws SignatureRefused for a request whose signature does not hold. */
  authenticate(req: SignableRequest, opts?: AuthOptions): Promise<Authenticated>;
  /** The signer of a POST policy; throws SignatureRefused when the signature does not hold. */
  authenticatePolicy(signed: PolicySignature): Promise<Principal>;
}

/** The SigV4 credential scope: `Credential=AKID/20261205/us-east-1/sqs/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  /** The service the request was signed for, e.g. `sts`. */
  service: string;
}

const CREDENTIAL = /Credential=([^,\s]+)/;

/** The scope of the `Authorization` header, or of a presigned URL's `X-Amz-Credential`. */
export function credentialScope(headers: Record<string, string | string[] | undefined>, query = ''): CredentialScope | undefined {
  const auth = headers['authorization'];
  const inHeader = typeof auth === 'string' ? CREDENTIAL.exec(auth)?.[1] : undefined;
  const credential = inHeader ?? (query.includes('X-Amz-Credential=') ? parseQuery(query)?.['X-Amz-Credential'] : undefined);
  return typeof credential === 'string' ? parseCredential(credential) : undefined;
}

/** Any signature, or none: the key named is the caller. Only for a server that listens on loopback. */
export const acceptAnySignature: Authenticator = {
  verifies: false,
  authenticate(req) {
    const token = req.headers['x-amz-security-token'] ?? (req.query.includes('X-Amz-Security-Token=') ? parseQuery(req.query)?.['X-Amz-Security-Token'] : undefined);
    return Promise.resolve({ accessKeyId: credentialScope(req.headers, req.query)?.accessKeyId, sessionToken: typeof token === 'string' ? token : undefined });
  },
  authenticatePolicy(signed) {
    return Promise.resolve({ accessKeyId: parseCredential(signed.credential)?.accessKeyId, sessionToken: signed.sessionToken });
  },
};
