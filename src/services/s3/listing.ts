/**
 * Listing a bucket as S3 does: keys in byte order after a cursor, those with the delimiter after the
 * prefix rolled up into common prefixes (each counted once against max-keys), then a cursor to go on from.
 */
import type { S3Repo } from '../../storage/store.js';
import { pastPrefix } from '../../storage/rows/s3-rows.js';
import type { ObjectRecord } from './model.js';

export interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter: string | undefined;
  /** Keys and common prefixes up to this one are skipped (start-after, marker, continuation). */
  after: string;
  maxKeys: number;
}

export interface Listing {
  objects: ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix listed: where the next page starts. */
  last: string | undefined;
}

const BATCH = 1000;

export async function listObjects(repo: S3Repo, req: ListRequest): Promise<Listing> {
  const listing: Listing = { objects: [], commonPrefixes: [], truncated: false, last: undefined };
  let cursor = req.after;
  let count = 0;
  for (;;) {
    const batch = await repo.listObjects(req.bucket, req.prefix, cursor, BATCH);
    let refetch = false;
    for (const object of batch) {
      const at = req.delimiter ? object.key.indexOf(req.delimiter, req.prefix.length) : -1;
      const entry = at === -1 ? object.key : object.key.slice(0, at + req.delimiter!.length);
      if (at !== -1 && entry <= req.after) {
        // A common prefix already listed on an earlier page.
        cursor = pastPrefix(entry);
        refetch = true;
        break;
      }
      if (count === req.maxKeys) {
        listing.truncated = true;
        return listing;
      }
      count++;
      listing.last = entry;
      if (at === -1) {
        listing.objects.push(object);
        cursor = object.key;
      } else {
        listing.commonPrefixes.push(entry);
        cursor = pastPrefix(entry);
        refetch = true;
        break;
      }
    }
    if (!refetch && batch.length < BATCH) return listing;
  }
}
