/**
 * ListObjectVersions as S3 does it: versions and delete markers by key, newest first, after a key
 * marker (and, within that key, a version-id marker); keys with the delimiter after the prefix rolled
 * up into common prefixes, each counted once against max-keys.
 */
import type { S3Repo } from '../../storage/store.js';
import { pastPrefix } from '../../storage/rows/s3-rows.js';
import { S3Errors } from '../../wire/errors.js';
import type { VersionEntry } from './model.js';

export interface VersionListRequest {
  bucket: string;
  prefix: string;
  delimiter: string | undefined;
  keyMarker: string;
  versionIdMarker: string | undefined;
  maxKeys: number;
}

export interface VersionListing {
  versions: VersionEntry[];
  commonPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts: the last key (and its version) or common prefix listed. */
  next: { key: string; versionId?: string } | undefined;
}

const BATCH = 1000;

export async function listVersions(repo: S3Repo, req: VersionListRequest): Promise<VersionListing> {
  const listing: VersionListing = { versions: [], commonPrefixes: [], truncated: false, next: undefined };
  let cursor: { key: string; seq?: number } = { key: req.keyMarker };
  if (req.versionIdMarker !== undefined) {
    if (req.keyMarker === '') throw S3Errors.invalidArgument('A version-id marker cannot be specified without a key marker.');
    // `null` (or an unknown id) starts after the key's versions, as if only the key marker were given.
    const marked = await repo.getVersion(req.bucket, req.keyMarker, req.versionIdMarker);
    if (marked) cursor = { key: req.keyMarker, seq: marked.seq };
  }
  let count = 0;
  for (;;) {
    const batch = await repo.listVersions(req.bucket, req.prefix, cursor, BATCH);
    let refetch = false;
    for (const entry of batch) {
      const key = entry.object.key;
      const at = req.delimiter ? key.indexOf(req.delimiter, req.prefix.length) : -1;
      const rolled = at === -1 ? undefined : key.slice(0, at + req.delimiter!.length);
      if (rolled !== undefined && rolled <= req.keyMarker) {
        // A common prefix already listed on an earlier page.
        cursor = { key: pastPrefix(rolled) };
        refetch = true;
        break;
      }
      if (count === req.maxKeys) {
        listing.truncated = true;
        return listing;
      }
      count++;
      if (rolled === undefined) {
        listing.versions.push(entry);
        listing.next = { key, versionId: entry.object.versionId ?? 'null' };
        cursor = { key, seq: entry.seq };
      } else {
        listing.commonPrefixes.push(rolled);
        listing.next = { key: rolled };
        cursor = { key: pastPrefix(rolled) };
        refetch = true;
        break;
      }
    }
    if (!refetch && batch.length < BATCH) return listing;
  }
}
