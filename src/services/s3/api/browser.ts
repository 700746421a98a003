/**
 * What browsers send S3 outside its model: CORS preflights (`OPTIONS` answered from the bucket's
 * rules), CORS headers on the answers to requests with an `Origin`, and POST form uploads (a
 * signed policy, the file streamed into a blob).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Clock } from '../../../lib/clock.js';
import type { Authenticator, Principal } from '../../../security/authenticator.js';
import { SignatureRefused } from '../../../security/authenticator.js';
import { S3Errors, signatureError } from '../../../wire/errors.js';
import type { ResponseParts } from '../../../wire/protocols/protocol.js';
import type { BrowserRoutes } from '../../../api/service.js';
import type { BucketService } from '../bucket-service.js';
import { corsHeaders, matchRule, requestedHeaders } from '../cors.js';
import { boundaryOf, readForm, type FormUpload } from '../form-data.js';
import type { ObjectService } from '../object-service.js';
import { checkPolicy, parsePolicy, sizeLimit, type PostPolicy } from '../post-policy.js';
import { contentHeaders } from './wire.js';

export interface BrowserDeps {
  buckets: BucketService;
  objects: ObjectService;
  authenticator: Authenticator;
  clock: Clock;
}

/** `/bucket/key` (percent-encoded) → its bucket and key. */
function addressOf(path: string): { bucket: string; key: string | undefined } {
  const [, bucket = '', ...rest] = path.split('/');
  const key = rest.length > 0 ? rest.join('/') : undefined;
  return { bucket: decodeURIComponent(bucket), key: key === undefined || key === '' ? undefined : decodeURIComponent(key) };
}

/** Element text: S3 writes an ETag's quotes as they are. */
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function browserRoutes(d: BrowserDeps): BrowserRoutes {
  const preflight = async (path: string, headers: IncomingHttpHeaders): Promise<ResponseParts> => {
    const origin = one(headers.origin);
    const method = one(headers['access-control-request-method']);
    if (origin === undefined) throw S3Errors.invalidRequest('Insufficient information. Origin request header needed.');
    if (method === undefined) throw S3Errors.invalidRequest('Invalid Access-Control-Request-Method: null');
    const { bucket, key } = addressOf(path);
    const record = await d.buckets.require(bucket);
    const resource = key === undefined ? 'BUCKET' : 'OBJECT';
    if (!record.cors) throw S3Errors.corsDisabled(method, resource);
    const request = { origin, method, headers: requestedHeaders(one(headers['access-control-request-headers'])) };
    const rule = matchRule(record.cors, request);
    if (!rule) throw S3Errors.corsForbidden(method, resource);
    return { status: 200, headers: { ...corsHeaders(rule, request, true), 'Content-Length': '0' }, body: '' };
  };

  /** The policy's signer (and the policy, checked against the form), or an anonymous caller where signatures are not verified. */
  const authorise = async (fields: ReadonlyMap<string, string>): Promise<{ principal: Principal | undefined; policy: PostPolicy | undefined }> => {
    const text = fields.get('policy');
    if (text === undefined) {
      if (d.authenticator.verifies) throw S3Errors.accessDenied('Anonymous access is forbidden for this operation');
      return { principal: undefined, policy: undefined };
    }
    const policy = parsePolicy(text);
    const credential = fields.get('x-amz-credential');
    const signature = fields.get('x-amz-signature');
    let principal: Principal | undefined;
    if (credential === undefined || signature === undefined) {
      if (d.authenticator.verifies) throw S3Errors.invalidArgument('Bucket POST must contain a field named \'X-Amz-Signature\'.  If it is specified, please check the order of the fields.');
    } else {
      try {
        principal = await d.authenticator.authenticatePolicy({ credential, policy: text, signature, sessionToken: fields.get('x-amz-security-token') });
      } catch (err) {
        throw err instanceof SignatureRefused ? signatureError('rest-xml', err.problem, err.message) : err;
      }
    }
    checkPolicy(policy, fields, d.clock.now());
    return { principal, policy };
  };

  const upload = async (req: IncomingMessage, path: string, requestId: string): Promise<ResponseParts> => {
    const boundary = boundaryOf(req.headers['content-type']);
    if (boundary === undefined) throw S3Errors.malformedPostRequest();
    const { bucket } = addressOf(path);
    await d.buckets.require(bucket);
    const form: FormUpload = await readForm(req, boundary);
    const file = form.file.body;
    try {
      const fields = new Map(form.fields).set('bucket', bucket);
      const submittedKey = fields.get('key');
      if (submittedKey === undefined) throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
      const { principal, policy } = await authorise(fields);
      const key = submittedKey.replaceAll('${filename}', form.file.filename);
      const limit = sizeLimit(policy);
      const stored = await d.objects.put({
        bucket,
        key,
        body: { source: file, transforms: limit ? [limit] : [] },
        headers: contentHeaders({
          ContentType: fields.get('content-type') ?? form.file.contentType,
          CacheControl: fields.get('cache-control'),
          ContentDisposition: fields.get('content-disposition'),
          ContentEncoding: fields.get('content-encoding'),
          Expires: fields.get('expires'),
        }),
        metadata: Object.fromEntries([...fields].filter(([f]) => f.startsWith('x-amz-meta-')).map(([f, v]) => [f.slice('x-amz-meta-'.length), v])),
        origin: { requestId, principalId: `AWS:${principal?.accessKeyId ?? 'anonymous'}` },
        event: 'ObjectCreated:Post',
      });
      return answer(req, fields, stored.etag, bucket, key, stored.versionId);
    } catch (err) {
      file.destroy();
      throw err;
    }
  };

  return {
    claims(method, path, headers) {
      if (method === 'OPTIONS') return /^\/[^/]+/.test(path);
      return method === 'POST' && /^\/[^/]+\/?$/.test(path) && boundaryOf(one(headers['content-type'])) !== undefined;
    },
    async serve(req, target, requestId) {
      return target.method === 'OPTIONS' ? preflight(target.path, req.headers) : upload(req, target.path, requestId);
    },
    async crossOrigin(method, path, headers) {
      const origin = one(headers.origin);
      if (origin === undefined) return {};
      const record = await d.buckets.require(addressOf(path).bucket);
      const request = { origin, method, headers: [] };
      const rule = record.cors ? matchRule(record.cors, request) : undefined;
      return rule ? corsHeaders(rule, request, false) : {};
    },
  };
}

/** S3's answer to a POST upload: a redirect, an empty 200 or 204, or the 201 document. */
function answer(req: IncomingMessage, fields: ReadonlyMap<string, string>, etag: string, bucket: string, key: string, versionId: string | undefined): ResponseParts {
  const location = `http://${req.headers.host ?? 'localhost'}/${encodeURIComponent(bucket)}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  const headers: Record<string, string> = { ETag: etag, Location: location, ...(versionId ? { 'x-amz-version-id': versionId } : {}) };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && /^https?:\/\//i.test(redirect)) {
    const url = new URL(redirect);
    url.searchParams.set('bucket', bucket);
    url.searchParams.set('key', key);
    url.searchParams.set('etag', etag);
    return { status: 303, headers: { ...headers, Location: url.toString(), 'Content-Length': '0' }, body: '' };
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xml(location)}</Location><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><ETag>${xml(etag)}</ETag></PostResponse>`;
    return { status: 201, headers: { ...headers, 'Content-Type': 'application/xml' }, body };
  }
  return { status: status === '200' ? 200 : 204, headers, body: '' };
}
