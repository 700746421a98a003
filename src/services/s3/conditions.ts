/** Conditional requests on an object: `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`, in S3's precedence. */
import { S3Errors } from '../../wire/errors.js';
import type { ObjectRecord } from './model.js';

export interface ReadConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  /** Epoch seconds. */
  ifModifiedSince?: number;
  ifUnmodifiedSince?: number;
}

const matches = (list: string, etag: string) => list.split(',').some((t) => t.trim() === '*' || t.trim() === etag || `"${t.trim()}"` === etag);
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Throws PreconditionFailed or NotModified. As HTTP says: a true If-Match overrides If-Unmodified-Since,
 * and If-None-Match overrides If-Modified-Since.
 */
export function checkRead(object: ObjectRecord, c: ReadConditions): void {
  if (c.ifMatch !== undefined && !matches(c.ifMatch, object.etag)) throw S3Errors.preconditionFailed('If-Match');
  if (c.ifMatch === undefined && c.ifUnmodifiedSince !== undefined && seconds(object.lastModified) > c.ifUnmodifiedSince) {
    throw S3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (c.ifNoneMatch !== undefined && matches(c.ifNoneMatch, object.etag)) throw S3Errors.notModified();
  if (c.ifNoneMatch === undefined && c.ifModifiedSince !== undefined && seconds(object.lastModified) <= c.ifModifiedSince) throw S3Errors.notModified();
}
