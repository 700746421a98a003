/**
 * Who is calling. Requests are SigV4-signed by every AWS client; until signature checking lands,
 * any signature is accepted and only the access key is read, so that the pipeline already has
 * its place for verification.
 */
export interface Principal {
  accessKeyId: string | undefined;
}

export interface Authenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Principal;
}

const CREDENTIAL = /Credential=([A-Z0-9]{1,128})\//;

export const acceptAnySignature: Authenticator = {
  authenticate(headers) {
    const auth = headers['authorization'];
    const m = typeof auth === 'string' ? CREDENTIAL.exec(auth) : null;
    return { accessKeyId: m?.[1] };
  },
};
