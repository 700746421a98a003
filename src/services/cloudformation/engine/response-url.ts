/**
 * Custom resources answer on a presigned S3 PUT URL, as in CloudFormation: here it names an
 * internal bucket of this server, signed with the server's own credentials.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../../security/sigv4.js';

export interface Signer {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function presignPut(serverUrl: string, bucket: string, key: string, region: string, credentials: Signer, expiresIn: number, now: Date): Promise<string> {
  const base = new URL(serverUrl);
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false });
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const signed = await signer.presign(
    { method: 'PUT', protocol: base.protocol, hostname: base.hostname, ...(base.port ? { port: Number(base.port) } : {}), path, query: {}, headers: { host: base.host } },
    { expiresIn: Math.min(expiresIn, 7 * 24 * 3600), signingDate: now },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${base.protocol}//${base.host}${path}?${query}`;
}
