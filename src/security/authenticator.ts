/**
 * Who is calling. Requests are SigV4-signed by every AWS client; until signature checking lands,
 * any signature is accepted and only the credential scope and session token are read, so that the
 * pipeline already has its place for verification.
 */
export interface Principal {
  accessKeyId: string | undefined;
  /** `X-Amz-Security-Token`: the caller uses temporary credentials (from STS). */
  sessionToken: string | undefined;
}

export interface Authenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Principal;
}

/** The SigV4 credential scope: `Credential=AKID/20261205/us-east-1/sqs/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  /** The service the request was signed for, e.g. `sts`. */
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]{1,128})\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialScope(headers: Record<string, string | string[] | undefined>): CredentialScope | undefined {
  const auth = headers['authorization'];
  const m = typeof auth === 'string' ? CREDENTIAL.exec(auth) : null;
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

export const acceptAnySignature: Authenticator = {
  authenticate(headers) {
    const token = headers['x-amz-security-token'];
    return { accessKeyId: credentialScope(headers)?.accessKeyId, sessionToken: typeof token === 'string' ? token : undefined };
  },
};
