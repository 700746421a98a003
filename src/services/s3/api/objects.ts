/** S3 object operations: parse, call the object service, render. */
import { z } from 'zod';
import type { ObjectService } from '../object-service.js';
import type { ObjectRecord, WriteCondition } from '../model.js';
import { AwsError, S3Errors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';
import { OBJECT_TAG_LIMIT, checkTags, tagsFromHeader } from '../tags.js';
import { tagSet, TagSetSchema } from './bucket-config.js';
import { checksumMembers, contentHeaders, ContentInputSchema, copySource, incomingBody, metadataOf, objectHeaders, originOf, OWNER, readConditions } from './wire.js';

const ObjectInput = z.object({ Bucket: z.string(), Key: z.string() });
const VersionedInput = ObjectInput.extend({ VersionId: z.string().optional() });
const PutInput = ObjectInput.merge(ContentInputSchema).extend({ IfMatch: z.string().optional(), IfNoneMatch: z.string().optional(), Tagging: z.string().optional() });
const ListInput = z.object({
  Bucket: z.string(),
  Prefix: z.string().optional(),
  Delimiter: z.string().optional(),
  MaxKeys: z.number().int().optional(),
  EncodingType: z.literal('url').optional(),
});
const ListV2Input = ListInput.extend({ StartAfter: z.string().optional(), ContinuationToken: z.string().optional(), FetchOwner: z.boolean().optional() });
const ListV1Input = ListInput.extend({ Marker: z.string().optional() });
const ListVersionsInput = ListInput.extend({ KeyMarker: z.string().optional(), VersionIdMarker: z.string().optional() });
const DeleteObjectsInput = z.object({
  Bucket: z.string(),
  Delete: z.object({ Objects: z.array(z.object({ Key: z.string(), VersionId: z.string().optional() })).max(1000), Quiet: z.boolean().optional() }),
});
const CopyInput = ObjectInput.merge(ContentInputSchema).extend({
  CopySource: z.string(),
  MetadataDirective: z.enum(['COPY', 'REPLACE']).optional(),
  TaggingDirective: z.enum(['COPY', 'REPLACE']).optional(),
  Tagging: z.string().optional(),
});
const TaggingInput = VersionedInput.extend({ Tagging: z.object({ TagSet: TagSetSchema }) });

const DEFAULT_MAX_KEYS = 1000;

/** A conditional write: `If-None-Match: *` (the key must be free) or `If-Match: <etag>`. */
function writeCondition(input: { IfMatch?: string | undefined; IfNoneMatch?: string | undefined }): WriteCondition {
  if (input.IfNoneMatch !== undefined) {
    if (input.IfNoneMatch.trim() !== '*') throw S3Errors.invalidArgument('If-None-Match only accepts * on a write');
    return { kind: 'absent' };
  }
  if (input.IfMatch !== undefined) return { kind: 'etag', etag: input.IfMatch.startsWith('"') ? input.IfMatch : `"${input.IfMatch}"` };
  return undefined;
}

/** The version a tagging answer names: the object's own, or `null` when the request named that one. */
const taggedVersion = (o: ObjectRecord, asked: string | undefined): string | undefined => o.versionId ?? (asked !== undefined ? 'null' : undefined);

const encode = (type: string | undefined) => (s: string) => (type === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

const contentsOf = (objects: ObjectRecord[], enc: (s: string) => string, owner: boolean) =>
  objects.map((o) => ({
    Key: enc(o.key),
    LastModified: o.lastModified / 1000,
    ETag: o.etag,
    Size: o.size,
    StorageClass: 'STANDARD',
    ...(o.checksum ? { ChecksumAlgorithm: [o.checksum.algorithm] } : {}),
    ...(owner ? { Owner: OWNER } : {}),
  }));

export function objectHandlers(objects: ObjectService): Record<string, OperationHandler> {
  return {
    async PutObject(input, ctx) {
      const wire = PutInput.parse(input);
      const stored = await objects.put({
        bucket: wire.Bucket,
        key: wire.Key,
        body: incomingBody(input),
        headers: contentHeaders(wire),
        metadata: metadataOf(wire.Metadata),
        condition: writeCondition(wire),
        ...(wire.Tagging !== undefined ? { tags: tagsFromHeader(wire.Tagging) } : {}),
        origin: originOf(ctx),
      });
      return { ETag: stored.etag, VersionId: stored.versionId, ...checksumMembers(stored) };
    },
    async GetObject(input) {
      const { Bucket, Key, VersionId } = VersionedInput.parse(input);
      const read = await objects.get(Bucket, Key, readConditions(input), input['Range'] as string | undefined, VersionId);
      const { object, range } = read;
      const overrides = Object.fromEntries(
        (['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'ContentType', 'Expires'] as const)
          .filter((h) => typeof input[`Response${h}`] === 'string')
          .map((h) => [h, input[`Response${h}`]]),
      );
      return {
        ...objectHeaders(object),
        ...overrides,
        Body: read.body,
        ContentLength: range ? range.end - range.start + 1 : object.size,
        ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${object.size}` } : {}),
        // A whole-object checksum says nothing about a range of it.
        ...(!range && input['ChecksumMode'] === 'ENABLED' ? checksumMembers(object) : {}),
      };
    },
    async HeadObject(input) {
      const { Bucket, Key, VersionId } = VersionedInput.parse(input);
      const { object, range } = await objects.head(Bucket, Key, readConditions(input), input['Range'] as string | undefined, VersionId);
      return {
        ...objectHeaders(object),
        ContentLength: range ? range.end - range.start + 1 : object.size,
        ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${object.size}` } : {}),
        ...(!range && input['ChecksumMode'] === 'ENABLED' ? checksumMembers(object) : {}),
      };
    },
    async DeleteObject(input, ctx) {
      const { Bucket, Key, VersionId } = VersionedInput.parse(input);
      const done = await objects.delete(Bucket, Key, originOf(ctx), VersionId);
      return { VersionId: done.versionId, ...(done.deleteMarker ? { DeleteMarker: true } : {}) };
    },
    async DeleteObjects(input, ctx) {
      const { Bucket, Delete } = DeleteObjectsInput.parse(input);
      const deleted: Record<string, unknown>[] = [];
      const errors: { Key: string; VersionId?: string; Code: string; Message: string }[] = [];
      for (const { Key, VersionId } of Delete.Objects) {
        try {
          const done = await objects.delete(Bucket, Key, originOf(ctx), VersionId);
          // A marker written is named by DeleteMarkerVersionId; a version removed by VersionId.
          if (VersionId !== undefined) deleted.push({ Key, VersionId, ...(done.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: VersionId } : {}) });
          else deleted.push({ Key, ...(done.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: done.versionId } : {}) });
        } catch (err) {
          if (!(err instanceof AwsError) || err.kind.name === 'NoSuchBucket') throw err;
          errors.push({ Key, ...(VersionId !== undefined ? { VersionId } : {}), Code: err.kind.name, Message: err.message });
        }
      }
      return { ...(Delete.Quiet ? {} : { Deleted: deleted }), ...(errors.length ? { Errors: errors } : {}) };
    },
    async CopyObject(input, ctx) {
      const wire = CopyInput.parse(input);
      const source = copySource(wire.CopySource);
      const { source: from, copied } = await objects.copy({
        source: { ...source, conditions: readConditions(input, 'CopySource') },
        bucket: wire.Bucket,
        key: wire.Key,
        origin: originOf(ctx),
        ...(wire.TaggingDirective === 'REPLACE' ? { tags: tagsFromHeader(wire.Tagging ?? '') } : {}),
        ...(wire.MetadataDirective === 'REPLACE' ? { replace: { headers: contentHeaders(wire), metadata: metadataOf(wire.Metadata) } } : {}),
      });
      return {
        CopyObjectResult: { ETag: copied.etag, LastModified: copied.lastModified / 1000 },
        VersionId: copied.versionId,
        CopySourceVersionId: from.versionId ?? (source.versionId !== undefined ? 'null' : undefined),
      };
    },
    async PutObjectTagging(input, ctx) {
      const { Bucket, Key, VersionId, Tagging } = TaggingInput.parse(input);
      const tagged = await objects.setTags(Bucket, Key, checkTags(Tagging.TagSet.map((t) => ({ key: t.Key, value: t.Value })), OBJECT_TAG_LIMIT), originOf(ctx), VersionId);
      return { VersionId: taggedVersion(tagged, VersionId) };
    },
    async GetObjectTagging(input) {
      const { Bucket, Key, VersionId } = VersionedInput.parse(input);
      const object = await objects.version(Bucket, Key, VersionId, 'GET');
      return { VersionId: taggedVersion(object, VersionId), TagSet: tagSet(object.tags ?? {}) };
    },
    async DeleteObjectTagging(input, ctx) {
      const { Bucket, Key, VersionId } = VersionedInput.parse(input);
      const untagged = await objects.setTags(Bucket, Key, undefined, originOf(ctx), VersionId);
      return { VersionId: taggedVersion(untagged, VersionId) };
    },
    async ListObjectsV2(input) {
      const wire = ListV2Input.parse(input);
      const enc = encode(wire.EncodingType);
      const maxKeys = wire.MaxKeys ?? DEFAULT_MAX_KEYS;
      let after = wire.StartAfter ?? '';
      if (wire.ContinuationToken !== undefined) {
        after = Buffer.from(wire.ContinuationToken, 'base64url').toString('utf8');
        if (Buffer.from(after, 'utf8').toString('base64url') !== wire.ContinuationToken) throw S3Errors.invalidArgument('The continuation token provided is incorrect');
      }
      const listing = await objects.list({ bucket: wire.Bucket, prefix: wire.Prefix ?? '', delimiter: wire.Delimiter || undefined, after, maxKeys });
      return {
        Name: wire.Bucket,
        Prefix: enc(wire.Prefix ?? ''),
        Delimiter: wire.Delimiter !== undefined ? enc(wire.Delimiter) : undefined,
        MaxKeys: maxKeys,
        EncodingType: wire.EncodingType,
        KeyCount: listing.objects.length + listing.commonPrefixes.length,
        IsTruncated: listing.truncated,
        Contents: contentsOf(listing.objects, enc, wire.FetchOwner === true),
        CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
        ContinuationToken: wire.ContinuationToken,
        StartAfter: wire.StartAfter !== undefined ? enc(wire.StartAfter) : undefined,
        NextContinuationToken: listing.truncated && listing.last !== undefined ? Buffer.from(listing.last, 'utf8').toString('base64url') : undefined,
      };
    },
    async ListObjectVersions(input) {
      const wire = ListVersionsInput.parse(input);
      const enc = encode(wire.EncodingType);
      const maxKeys = wire.MaxKeys ?? DEFAULT_MAX_KEYS;
      const listing = await objects.listVersions({
        bucket: wire.Bucket,
        prefix: wire.Prefix ?? '',
        delimiter: wire.Delimiter || undefined,
        keyMarker: wire.KeyMarker ?? '',
        versionIdMarker: wire.VersionIdMarker || undefined,
        maxKeys,
      });
      const entries = listing.versions.map(({ object: o, latest }) => ({
        Key: enc(o.key),
        VersionId: o.versionId ?? 'null',
        IsLatest: latest,
        LastModified: o.lastModified / 1000,
        Owner: OWNER,
        ...(o.deleteMarker ? {} : { ETag: o.etag, Size: o.size, StorageClass: 'STANDARD', ...(o.checksum ? { ChecksumAlgorithm: [o.checksum.algorithm] } : {}) }),
        deleteMarker: o.deleteMarker === true,
      }));
      const strip = ({ deleteMarker: _m, ...e }: (typeof entries)[number]) => e;
      return {
        Name: wire.Bucket,
        Prefix: enc(wire.Prefix ?? ''),
        KeyMarker: enc(wire.KeyMarker ?? ''),
        VersionIdMarker: wire.VersionIdMarker ?? '',
        Delimiter: wire.Delimiter !== undefined ? enc(wire.Delimiter) : undefined,
        MaxKeys: maxKeys,
        EncodingType: wire.EncodingType,
        IsTruncated: listing.truncated,
        Versions: entries.filter((e) => !e.deleteMarker).map(strip),
        DeleteMarkers: entries.filter((e) => e.deleteMarker).map(strip),
        CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
        ...(listing.truncated && listing.next ? { NextKeyMarker: enc(listing.next.key), NextVersionIdMarker: listing.next.versionId } : {}),
      };
    },
    async ListObjects(input) {
      const wire = ListV1Input.parse(input);
      const enc = encode(wire.EncodingType);
      const maxKeys = wire.MaxKeys ?? DEFAULT_MAX_KEYS;
      const listing = await objects.list({ bucket: wire.Bucket, prefix: wire.Prefix ?? '', delimiter: wire.Delimiter || undefined, after: wire.Marker ?? '', maxKeys });
      return {
        Name: wire.Bucket,
        Prefix: enc(wire.Prefix ?? ''),
        Marker: enc(wire.Marker ?? ''),
        Delimiter: wire.Delimiter !== undefined ? enc(wire.Delimiter) : undefined,
        MaxKeys: maxKeys,
        EncodingType: wire.EncodingType,
        IsTruncated: listing.truncated,
        Contents: contentsOf(listing.objects, enc, true),
        CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
        // S3 gives NextMarker only with a delimiter; without one, clients continue from the last key.
        NextMarker: listing.truncated && wire.Delimiter && listing.last !== undefined ? enc(listing.last) : undefined,
      };
    },
  };
}
