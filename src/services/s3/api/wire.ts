/** What S3's handlers share: reading content headers, checksums and copy sources off the wire, writing objects' headers. */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { ReadConditions } from '../conditions.js';
import type { IncomingBody } from '../ingest.js';
import { ChecksumAlgorithmSchema, type ChecksumAlgorithm, type ContentHeaders, type ObjectRecord } from '../model.js';
import { S3Errors } from '../../../wire/errors.js';
import type { StreamedBody } from '../../../wire/protocols/rest-xml.js';
import type { RequestContext } from '../../../api/service.js';

const ALGORITHMS = ChecksumAlgorithmSchema.options;
const member = (a: ChecksumAlgorithm) => `Checksum${a}` as const;

export const ContentInputSchema = z.object({
  ContentType: z.string().optional(),
  ContentEncoding: z.string().optional(),
  ContentDisposition: z.string().optional(),
  ContentLanguage: z.string().optional(),
  CacheControl: z.string().optional(),
  Expires: z.union([z.number(), z.string()]).optional(),
  Metadata: z.record(z.string(), z.string()).optional(),
});

export function contentHeaders(input: z.infer<typeof ContentInputSchema>): ContentHeaders {
  const h: ContentHeaders = {};
  if (input.ContentType !== undefined) h.contentType = input.ContentType;
  if (input.ContentEncoding !== undefined) h.contentEncoding = input.ContentEncoding;
  if (input.ContentDisposition !== undefined) h.contentDisposition = input.ContentDisposition;
  if (input.ContentLanguage !== undefined) h.contentLanguage = input.ContentLanguage;
  if (input.CacheControl !== undefined) h.cacheControl = input.CacheControl;
  if (input.Expires !== undefined) h.expires = typeof input.Expires === 'number' ? new Date(input.Expires * 1000).toUTCString() : input.Expires;
  return h;
}

/** User metadata keys are case-insensitive on the wire: S3 keeps them lower-case. */
export const metadataOf = (m: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** The algorithm a client asked for: `x-amz-sdk-checksum-algorithm`, else the checksum header it sent. */
export function checksumAlgorithm(input: Record<string, unknown>): ChecksumAlgorithm | undefined {
  const named = input['ChecksumAlgorithm'];
  if (typeof named === 'string') {
    const parsed = ChecksumAlgorithmSchema.safeParse(named.toUpperCase());
    if (!parsed.success) throw S3Errors.invalidRequest(`Checksum algorithm ${named} is not supported.`);
    return parsed.data;
  }
  return ALGORITHMS.find((a) => typeof input[member(a)] === 'string');
}

/** A streamed body with the checks the client asked for. */
export function incomingBody(input: Record<string, unknown>): IncomingBody {
  const source = input['Body'] as StreamedBody;
  const body: IncomingBody = { source, transforms: [] };
  if (typeof input['ContentLength'] === 'number') body.declaredLength = input['ContentLength'];
  const md5 = input['ContentMD5'];
  if (typeof md5 === 'string') {
    const decoded = Buffer.from(md5, 'base64');
    if (decoded.length !== 16) throw S3Errors.invalidDigest();
    body.md5 = decoded;
  }
  const algorithm = checksumAlgorithm(input) ?? trailedAlgorithm(source);
  if (algorithm) {
    const header = input[member(algorithm)];
    body.checksum = {
      algorithm,
      expected: () => (typeof header === 'string' ? header : source.trailers?.[`x-amz-checksum-${algorithm.toLowerCase()}`]),
    };
  }
  return body;
}

/** The checksum a body's `x-amz-trailer` announced (`x-amz-checksum-crc32c`), for a client that named it nowhere else. */
function trailedAlgorithm(source: StreamedBody): ChecksumAlgorithm | undefined {
  const named = source.announcedTrailers?.find((n) => n.startsWith('x-amz-checksum-'));
  if (named === undefined) return undefined;
  const parsed = ChecksumAlgorithmSchema.safeParse(named.slice('x-amz-checksum-'.length).toUpperCase());
  if (!parsed.success) throw S3Errors.invalidRequest('The value specified in the x-amz-trailer header is not supported');
  return parsed.data;
}

export const checksumMembers = (o: { checksum?: { algorithm: ChecksumAlgorithm; value: string } | undefined }): Record<string, string> =>
  o.checksum ? { [member(o.checksum.algorithm)]: o.checksum.value } : {};

/** `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, perhaps with `?versionId=`. */
export function copySource(raw: string): { bucket: string; key: string; versionId?: string } {
  const [rawPath, query] = raw.split('?') as [string, string | undefined];
  const path = rawPath.replace(/^\//, '');
  const versionId = query !== undefined ? new URLSearchParams(query).get('versionId') ?? undefined : undefined;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw S3Errors.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  try {
    return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)), ...(versionId !== undefined ? { versionId } : {}) };
  } catch {
    throw S3Errors.invalidArgument('Invalid copy source encoding');
  }
}

export function readConditions(input: Record<string, unknown>, prefix = ''): ReadConditions {
  const c: ReadConditions = {};
  const at = (name: string) => input[`${prefix}${name}`];
  if (typeof at('IfMatch') === 'string') c.ifMatch = at('IfMatch') as string;
  if (typeof at('IfNoneMatch') === 'string') c.ifNoneMatch = at('IfNoneMatch') as string;
  if (typeof at('IfModifiedSince') === 'number') c.ifModifiedSince = at('IfModifiedSince') as number;
  if (typeof at('IfUnmodifiedSince') === 'number') c.ifUnmodifiedSince = at('IfUnmodifiedSince') as number;
  return c;
}

/** The headers GetObject and HeadObject answer with. */
export function objectHeaders(o: ObjectRecord): Record<string, unknown> {
  return {
    ETag: o.etag,
    LastModified: o.lastModified / 1000,
    ContentType: o.headers.contentType ?? 'binary/octet-stream',
    ContentEncoding: o.headers.contentEncoding,
    ContentDisposition: o.headers.contentDisposition,
    ContentLanguage: o.headers.contentLanguage,
    CacheControl: o.headers.cacheControl,
    Expires: o.headers.expires,
    Metadata: o.metadata,
    AcceptRanges: 'bytes',
    PartsCount: o.parts,
    TagCount: o.tags ? Object.keys(o.tags).length : undefined,
    VersionId: o.versionId,
  };
}

/** The caller as S3's event records name it. */
export const originOf = (ctx: RequestContext) => ({ requestId: ctx.requestId, principalId: `AWS:${ctx.principal.accessKeyId ?? 'anonymous'}` });

export const OWNER = { ID: '0000000000000000000000000000000000000000000000000000000000000000', DisplayName: 'selfless' };

export type BodyStream = Readable;
