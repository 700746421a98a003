/** S3 multipart upload operations: parse, call the multipart service, render. */
import { z } from 'zod';
import type { MultipartService } from '../multipart-service.js';
import type { OperationHandler } from '../../../api/service.js';
import { tagsFromHeader } from '../tags.js';
import { checksumAlgorithm, checksumMembers, contentHeaders, ContentInputSchema, copySource, incomingBody, metadataOf, originOf, OWNER, readConditions } from './wire.js';

const ObjectInput = z.object({ Bucket: z.string(), Key: z.string() });
const UploadInput = ObjectInput.extend({ UploadId: z.string() });
const PartInput = UploadInput.extend({ PartNumber: z.number().int() });
const CompleteInput = UploadInput.extend({
  MultipartUpload: z.object({ Parts: z.array(z.object({ PartNumber: z.number().int(), ETag: z.string() }).passthrough()).optional() }).optional(),
});
const ListPartsInput = UploadInput.extend({ MaxParts: z.number().int().optional(), PartNumberMarker: z.string().optional() });

export function multipartHandlers(uploads: MultipartService): Record<string, OperationHandler> {
  return {
    async CreateMultipartUpload(input) {
      const wire = ObjectInput.merge(ContentInputSchema).extend({ Tagging: z.string().optional() }).parse(input);
      const algorithm = checksumAlgorithm(input);
      const tags = wire.Tagging !== undefined ? tagsFromHeader(wire.Tagging) : undefined;
      const upload = await uploads.create(wire.Bucket, wire.Key, contentHeaders(wire), metadataOf(wire.Metadata), algorithm, tags);
      return { Bucket: upload.bucket, Key: upload.key, UploadId: upload.uploadId, ...(algorithm ? { ChecksumAlgorithm: algorithm } : {}) };
    },
    async UploadPart(input) {
      const wire = PartInput.parse(input);
      const part = await uploads.uploadPart(wire.Bucket, wire.Key, wire.UploadId, wire.PartNumber, incomingBody(input));
      return { ETag: part.etag, ...checksumMembers(part) };
    },
    async UploadPartCopy(input) {
      const wire = PartInput.extend({ CopySource: z.string(), CopySourceRange: z.string().optional() }).parse(input);
      const part = await uploads.uploadPartCopy(wire.Bucket, wire.Key, wire.UploadId, wire.PartNumber, {
        ...copySource(wire.CopySource),
        conditions: readConditions(input, 'CopySource'),
        ...(wire.CopySourceRange !== undefined ? { range: wire.CopySourceRange } : {}),
      });
      return { CopyPartResult: { ETag: part.etag, LastModified: part.lastModified / 1000 } };
    },
    async CompleteMultipartUpload(input, ctx) {
      const wire = CompleteInput.parse(input);
      const parts = (wire.MultipartUpload?.Parts ?? []).map((p) => {
        const algorithm = checksumAlgorithm(p);
        const value = algorithm ? p[`Checksum${algorithm}`] : undefined;
        return { partNumber: p.PartNumber, etag: p.ETag, ...(algorithm && typeof value === 'string' ? { checksum: { algorithm, value } } : {}) };
      });
      const object = await uploads.complete(wire.Bucket, wire.Key, wire.UploadId, parts, originOf(ctx));
      return {
        Location: `/${wire.Bucket}/${wire.Key}`, Bucket: wire.Bucket, Key: wire.Key, ETag: object.etag, VersionId: object.versionId,
        ...checksumMembers(object), ...(object.checksum ? { ChecksumType: 'COMPOSITE' } : {}),
      };
    },
    async AbortMultipartUpload(input) {
      const wire = UploadInput.parse(input);
      await uploads.abort(wire.Bucket, wire.Key, wire.UploadId);
      return {};
    },
    async ListParts(input) {
      const wire = ListPartsInput.parse(input);
      const { upload, parts } = await uploads.listParts(wire.Bucket, wire.Key, wire.UploadId);
      const marker = Number(wire.PartNumberMarker ?? 0);
      const max = wire.MaxParts ?? 1000;
      const after = parts.filter((p) => p.partNumber > marker);
      const page = after.slice(0, max);
      const truncated = after.length > max;
      return {
        Bucket: upload.bucket,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumberMarker: String(marker),
        NextPartNumberMarker: truncated ? String(page[page.length - 1]!.partNumber) : undefined,
        MaxParts: max,
        IsTruncated: truncated,
        Parts: page.map((p) => ({ PartNumber: p.partNumber, LastModified: p.lastModified / 1000, ETag: p.etag, Size: p.size, ...checksumMembers(p) })),
        Initiator: OWNER,
        Owner: OWNER,
        StorageClass: 'STANDARD',
        ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm } : {}),
      };
    },
    async ListMultipartUploads(input) {
      const wire = z.object({ Bucket: z.string(), Prefix: z.string().optional() }).parse(input);
      const all = (await uploads.listUploads(wire.Bucket)).filter((u) => u.key.startsWith(wire.Prefix ?? ''));
      return {
        Bucket: wire.Bucket,
        Prefix: wire.Prefix,
        MaxUploads: 1000,
        IsTruncated: false,
        Uploads: all.map((u) => ({ UploadId: u.uploadId, Key: u.key, Initiated: u.initiated / 1000, StorageClass: 'STANDARD', Owner: OWNER, Initiator: OWNER })),
      };
    },
  };
}
