/** Hand-signed requests, as an AWS client would send them, for what SDK clients will not do (tamper, presign). */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

type Data = string | ArrayBuffer | ArrayBufferView;
const buf = (d: Data) => (typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d));

/** Node's SHA-256 in the shape smithy's signer asks for. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: Data) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', buf(secret));
  }
  update(d: Data) {
    this.h.update(buf(d));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset() {}
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedCall {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  service: string;
  credentials: Credentials;
  /** Sent instead of the signed body. */
  tamperedBody?: string;
  /** Sign a URL (query string) instead of the Authorization header. */
  presign?: boolean;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function signedCall(baseUrl: string, c: SignedCall): Promise<Answer> {
  const { hostname, port, host } = new URL(baseUrl);
  const signer = new SignatureV4({ service: c.service, region: 'us-east-1', credentials: c.credentials, sha256: NodeSha256 });
  const unsigned = { method: c.method, protocol: 'http:', hostname, port: Number(port), path: c.path, query: c.query ?? {}, headers: { host, ...c.headers }, body: c.body };
  const signed = c.presign ? await signer.presign(unsigned, { expiresIn: 300 }) : await signer.sign(unsigned);
  const qs = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
  return send(baseUrl, c.method, `${c.path}${qs ? `?${qs}` : ''}`, signed.headers, c.tamperedBody ?? c.body);
}

export function send(baseUrl: string, method: string, target: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname: named, port } = new URL(baseUrl);
  // Node cannot resolve `*.localhost` (a function URL's name): connect to loopback, the Host header says the name.
  const hostname = named.endsWith('.localhost') ? '127.0.0.1' : named;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A presigned GET URL's query string (SigV4 in the query), e.g. for a WebSocket handshake. */
export async function presignedQuery(baseUrl: string, path: string, service: string, credentials: Credentials): Promise<string> {
  const { hostname, port, host } = new URL(baseUrl);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: NodeSha256 });
  const signed = await signer.presign({ method: 'GET', protocol: 'http:', hostname, port: Number(port), path, query: {}, headers: { host } }, { expiresIn: 300 });
  return new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
}
