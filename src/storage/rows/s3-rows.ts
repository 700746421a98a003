/** S3 rows, read back through the records' schemas (both adapters store records as JSON text). */
import { BucketRecordSchema, ObjectRecordSchema, PartRecordSchema, UploadRecordSchema, type ObjectRecord, type Tags } from '../../services/s3/model.js';

export const bucketOf = (record: string) => BucketRecordSchema.parse(JSON.parse(record));
export const objectOf = (record: string) => ObjectRecordSchema.parse(JSON.parse(record));
export const uploadOf = (record: string) => UploadRecordSchema.parse(JSON.parse(record));
export const partOf = (record: string) => PartRecordSchema.parse(JSON.parse(record));

/** A string after every key that starts with `prefix`, in UTF-8 byte order. */
export const pastPrefix = (prefix: string) => `${prefix}\u{10FFFF}`;

/** A version with its tags replaced; no tags (or an empty set) leaves none. */
export function withTags(object: ObjectRecord, tags: Tags | undefined): ObjectRecord {
  const { tags: _old, ...rest } = object;
  return tags && Object.keys(tags).length > 0 ? { ...rest, tags } : rest;
}
