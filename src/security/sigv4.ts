/**
 * SigV4 as clients send it: read from the `Authorization` header or from a presigned URL's query,
 * and checked by recomputing the signature over what was received. The canonical request and the
 * string to sign are @smithy/signature-v4's, the code the SDK signs with, so both sides agree on
 * every escaping rule; only the choice of headers and payload hash is made here.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, getSigningKey, SignatureV4Base, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import { S3Errors, signatureError, type SignatureProblem } from '../wire/errors.js';
import { TRAILER_SIGNATURE, type ChunkCheck, type ChunkCheckedStream } from '../wire/protocols/aws-chunked.js';

/** A request as received: raw path and query (still percent-encoded, as the client signed them), headers, the body read. */
export interface SignableRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body still unread (S3's object uploads): `body` is then empty, and the declared hash is checked as this is read. */
  stream?: Readable;
}

export interface SignedParts {
  accessKeyId: string;
  /** `X-Amz-Date`, e.g. 20261205T211500Z. */
  amzDate: string;
  scope: { date: string; region: string; service: string };
  /** Lower-case header names, as the client listed them. */
  signedHeaders: string[];
  signature: string;
  sessionToken: string | undefined;
  /** Presigned URLs: how many seconds after `amzDate` the URL stays valid. */
  expiresIn: number | undefined;
}

/** A signature refused, with the problem that picks each protocol's error and AWS's message. */
export class SignatureRefused extends Error {
  constructor(
    readonly problem: SignatureProblem,
    message: string,
  ) {
    super(message);
  }
}

export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** How far a signed request's time may be from the server's, either way. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/** A presigned URL lives at most a week. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;
const CREDENTIAL = /^([^/]{1,128})\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** The query string as name → value(s), percent-decoded; undefined when an escape is malformed. */
export function parseQuery(raw: string): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = {};
  if (raw === '') return out;
  try {
    for (const pair of raw.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
      const value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1));
      const seen = out[key];
      out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
  } catch {
    return undefined;
  }
  return out;
}

/** The signature a request carries, or why it carries none that can be read. */
export function parseSignature(req: SignableRequest): SignedParts {
  const auth = one(req.headers['authorization']);
  if (auth !== undefined) return fromHeader(auth, req);
  const query = parseQuery(req.query);
  if (query?.['X-Amz-Algorithm'] !== undefined) return fromQuery(query);
  throw new SignatureRefused('missing', 'Missing Authentication Token');
}

function fromHeader(auth: string, req: SignableRequest): SignedParts {
  const space = auth.indexOf(' ');
  const algorithm = space === -1 ? auth : auth.slice(0, space);
  if (algorithm !== ALGORITHM_IDENTIFIER) throw new SignatureRefused('incomplete', `Unsupported signing algorithm: ${algorithm}. Sign requests with ${ALGORITHM_IDENTIFIER}.`);
  const fields = new Map<string, string>();
  for (const part of auth.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.has(f));
  const amzDate = one(req.headers['x-amz-date']) ?? fromHttpDate(one(req.headers['date']));
  if (amzDate === undefined) missing.push('X-Amz-Date');
  if (missing.length > 0) throw new SignatureRefused('incomplete', missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' '));
  return parts(fields.get('Credential')!, amzDate!, fields.get('SignedHeaders')!, fields.get('Signature')!, one(req.headers['x-amz-security-token']), undefined);
}

function fromQuery(q: Record<string, string | string[]>): SignedParts {
  const get = (name: string) => (typeof q[name] === 'string' ? q[name] : undefined);
  const names = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
  const missing = names.filter((n) => get(n) === undefined);
  if (get('X-Amz-Algorithm') !== ALGORITHM_IDENTIFIER) missing.unshift('X-Amz-Algorithm');
  if (missing.length > 0) throw new SignatureRefused('incomplete', missing.map((n) => `AWS query-string parameters must include '${n}'.`).join(' '));
  const expires = get('X-Amz-Expires');
  const expiresIn = expires === undefined ? undefined : /^\d{1,6}$/.test(expires) ? Number(expires) : NaN;
  if (Number.isNaN(expiresIn)) throw new SignatureRefused('incomplete', 'X-Amz-Expires must be a whole number of seconds.');
  if (expiresIn !== undefined && expiresIn > MAX_PRESIGNED_SECONDS) throw new SignatureRefused('incomplete', `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}.`);
  return parts(get('X-Amz-Credential')!, get('X-Amz-Date')!, get('X-Amz-SignedHeaders')!, get('X-Amz-Signature')!, get('X-Amz-Security-Token'), expiresIn);
}

/** `AKID/20261205/us-east-1/sqs/aws4_request`: the key and the scope it signed for. */
export function parseCredential(credential: string): { accessKeyId: string; date: string; region: string; service: string } | undefined {
  const m = CREDENTIAL.exec(credential);
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

function parts(credential: string, amzDate: string, signedHeaders: string, signature: string, sessionToken: string | undefined, expiresIn: number | undefined): SignedParts {
  const scope = parseCredential(credential);
  if (!scope) throw new SignatureRefused('incomplete', `Credential should be scoped to a valid region, like AKID/20261205/us-east-1/service/aws4_request, not '${credential}'.`);
  if (!AMZ_DATE.test(amzDate)) throw new SignatureRefused('incomplete', `X-Amz-Date must be in the ISO8601 basic format, like 20261205T211500Z, not '${amzDate}'.`);
  return {
    accessKeyId: scope.accessKeyId,
    amzDate,
    scope: { date: scope.date, region: scope.region, service: scope.service },
    signedHeaders: signedHeaders.toLowerCase().split(';'),
    signature,
    sessionToken,
    expiresIn,
  };
}

/** SigV4 also allows the `Date` header instead of `X-Amz-Date`. */
function fromHttpDate(date: string | undefined): string | undefined {
  const ms = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(ms) ? undefined : basic(ms);
}

const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function signedAt(amzDate: string): number {
  const [, y, mo, d, h, mi, s] = AMZ_DATE.exec(amzDate)!.map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** Refuses a request signed too long ago or too far ahead (AWS allows 15 minutes), or a presigned URL past its expiry. */
export function checkTime(p: SignedParts, now: number): void {
  const at = signedAt(p.amzDate);
  if (p.expiresIn !== undefined) {
    if (now > at + p.expiresIn * 1000) throw new SignatureRefused('expired', `Signature expired: ${p.amzDate} is now earlier than ${basic(now - p.expiresIn * 1000)} (${basic(now)} - ${p.expiresIn} sec.)`);
  } else if (at < now - MAX_SKEW_MS) {
    throw new SignatureRefused('expired', `Signature expired: ${p.amzDate} is now earlier than ${basic(now - MAX_SKEW_MS)} (${basic(now)} - 15 min.)`);
  }
  if (at > now + MAX_SKEW_MS) throw new SignatureRefused('expired', `Signature not yet current: ${p.amzDate} is still later than ${basic(now + MAX_SKEW_MS)} (${basic(now)} + 15 min.)`);
  if (p.scope.date !== p.amzDate.slice(0, 8)) {
    throw new SignatureRefused('mismatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${p.scope.date}' != '${p.amzDate.slice(0, 8)}', from '${p.amzDate}'.`);
  }
}

/** Node's hashes in the shape @smithy/signature-v4 asks for (an HMAC when given a secret). */
export class Sha256 {
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}

const toBuffer = (d: string | ArrayBuffer | ArrayBufferView): Buffer =>
  typeof d === 'string' ? Buffer.from(d, 'utf8') : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

/** Smithy's canonical request and string to sign, reached through its public base class. */
class Canonicaliser extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    // Credentials and region are unused: the scope and key come from each request.
    super({ service: 'unused', region: 'unused', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Sha256, uriEscapePath });
  }

  async stringToSign(req: SignableRequest, p: SignedParts, query: Record<string, string | string[]>, payloadHash: string): Promise<string> {
    const headers: Record<string, string> = {};
    for (const name of p.signedHeaders) {
      const value = one(req.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    // Every header the client listed is signed, even those smithy would never sign itself (user-agent...).
    const canonicalHeaders = getCanonicalHeaders({ method: req.method, protocol: 'http:', hostname: '', path: req.path, headers }, undefined, new Set(p.signedHeaders));
    const request = { method: req.method, protocol: 'http:', hostname: '', path: req.path, query, headers };
    const canonical = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.createStringToSign(p.amzDate, createScope(p.scope.date, p.scope.region, p.scope.service), canonical, ALGORITHM_IDENTIFIER);
  }
}

// S3 signs the path as sent; every other service escapes it once more.
const escaping = new Canonicaliser(true);
const s3Style = new Canonicaliser(false);

/**
 * The hash the client signed the payload as: its `x-amz-content-sha256` (which must then be the
 * body's, so that a changed body is refused), or the body's own. `UNSIGNED-PAYLOAD` and the
 * streaming forms are taken as sent. A body still unread is checked against the declared hash, or
 * its chunks' signatures, as it streams (`checkedStream`).
 */
function payloadHashOf(req: SignableRequest, p: SignedParts): string {
  const declared = one(req.headers['x-amz-content-sha256']);
  const actual = () => createHash('sha256').update(req.body).digest('hex');
  if (declared === undefined) {
    if (p.expiresIn !== undefined && p.scope.service === 's3') return UNSIGNED_PAYLOAD;
    // An unread body has no hash yet: S3 requires the header on every request signed in the Authorization header.
    if (req.stream) throw new SignatureRefused('mismatch', MISMATCH);
    return actual();
  }
  if (declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-')) return declared;
  const s3 = p.scope.service === 's3';
  if (!HEX_SHA256.test(declared)) {
    if (s3) throw S3Errors.invalidArgument('x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.');
    throw new SignatureRefused('mismatch', MISMATCH);
  }
  if (!req.stream) {
    const computed = actual();
    // S3 tells a body that is not the one hashed from a wrong signature; other services just refuse it.
    if (declared !== computed) throw s3 ? S3Errors.contentSha256Mismatch(declared, computed) : new SignatureRefused('mismatch', MISMATCH);
  }
  return declared;
}

/** Fails at the body's end, before the last bytes are passed on, when their SHA-256 is not `declared`. */
class PayloadHashCheck extends Transform {
  private readonly hash = createHash('sha256');
  constructor(private readonly declared: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const computed = this.hash.digest('hex');
    callback(computed === this.declared ? null : S3Errors.contentSha256Mismatch(this.declared, computed));
  }
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/**
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: each chunk's signature chains from the one before it, the
 * first from the request's own, over the chunk's SHA-256. A chunk without one, or with a wrong one,
 * fails the body (S3's `SignatureDoesNotMatch`), so nothing of it is stored. The `-TRAILER` form
 * then signs its trailers too (`x-amz-trailer-signature`), chained from the last, empty chunk's.
 */
class ChunkSignatures implements ChunkCheck {
  private hash = createHash('sha256');
  private given: string | undefined;
  constructor(
    private readonly key: Uint8Array,
    private readonly p: SignedParts,
    private previous: string,
    private readonly signedTrailers: boolean,
  ) {}
  private get scope(): string {
    return createScope(this.p.scope.date, this.p.scope.region, this.p.scope.service);
  }
  begin(signature: string | undefined): void {
    if (signature === undefined) throw signatureError('rest-xml', 'mismatch', MISMATCH);
    this.given = signature;
    this.hash = createHash('sha256');
  }
  update(data: Buffer): void {
    this.hash.update(data);
  }
  end(): void {
    this.verify(['AWS4-HMAC-SHA256-PAYLOAD', this.p.amzDate, this.scope, this.previous, EMPTY_SHA256, this.hash.digest('hex')], this.given);
    this.previous = this.given!;
  }
  /** Trailers are signed as `name:value\n` lines, sorted by name, the signature's own left out. */
  trailers(fields: Readonly<Record<string, string>>): void {
    if (!this.signedTrailers) return;
    const canonical = Object.keys(fields)
      .filter((name) => name !== TRAILER_SIGNATURE)
      .sort()
      .map((name) => `${name}:${fields[name]}\n`)
      .join('');
    this.verify(['AWS4-HMAC-SHA256-TRAILER', this.p.amzDate, this.scope, this.previous, createHash('sha256').update(canonical).digest('hex')], fields[TRAILER_SIGNATURE]);
  }
  private verify(lines: string[], signature: string | undefined): void {
    const expected = createHmac('sha256', this.key).update(lines.join('\n')).digest();
    const given = HEX_SHA256.test(signature ?? '') ? Buffer.from(signature!, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw signatureError('rest-xml', 'mismatch', MISMATCH);
  }
}

/**
 * A verified request's unread body as it must be read: through the check of the hash the client
 * signed (`x-amz-content-sha256`), so a body changed in flight is refused, never stored; for signed
 * aws-chunked payloads, with each chunk's signature checked as it is decoded. Unsigned payloads
 * pass as they are.
 */
export async function checkedStream(req: SignableRequest, stream: Readable, p: SignedParts, secretAccessKey: string): Promise<Readable> {
  const declared = one(req.headers['x-amz-content-sha256']);
  if (declared?.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) {
    const key = await getSigningKey(Sha256, { accessKeyId: p.accessKeyId, secretAccessKey }, p.scope.date, p.scope.region, p.scope.service);
    const signedTrailers = declared === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
    return Object.assign(stream, { chunkCheck: new ChunkSignatures(key, p, p.signature, signedTrailers) }) satisfies ChunkCheckedStream;
  }
  if (declared === undefined || !HEX_SHA256.test(declared)) return stream;
  const check = new PayloadHashCheck(declared);
  stream.on('error', (err) => check.destroy(err));
  // A small body can fail its check before the handler starts reading it (a store round trip first):
  // the error stays on the stream, where the handler's pipeline finds it, instead of going uncaught.
  check.on('error', () => undefined);
  return stream.pipe(check);
}

/** Whether `p` is the signature of `req` under `secretAccessKey`; refuses it if not. */
export async function verifySignature(req: SignableRequest, p: SignedParts, secretAccessKey: string): Promise<void> {
  const query = parseQuery(req.query);
  if (query === undefined) throw new SignatureRefused('mismatch', MISMATCH);
  const canonicaliser = p.scope.service === 's3' ? s3Style : escaping;
  const toSign = await canonicaliser.stringToSign(req, p, query, payloadHashOf(req, p));
  const key = await getSigningKey(Sha256, { accessKeyId: p.accessKeyId, secretAccessKey }, p.scope.date, p.scope.region, p.scope.service);
  const expected = createHmac('sha256', key).update(toSign).digest();
  const given = /^[0-9a-f]{64}$/.test(p.signature) ? Buffer.from(p.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SignatureRefused('mismatch', MISMATCH);
}

/** A POST policy's signature: the HMAC of its base64 text with the scope's signing key (no canonical request). */
export async function verifyPolicySignature(policy: string, p: SignedParts, secretAccessKey: string): Promise<void> {
  const key = await getSigningKey(Sha256, { accessKeyId: p.accessKeyId, secretAccessKey }, p.scope.date, p.scope.region, p.scope.service);
  const expected = createHmac('sha256', key).update(policy).digest();
  const given = /^[0-9a-f]{64}$/.test(p.signature) ? Buffer.from(p.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SignatureRefused('mismatch', MISMATCH);
}
