/**
 * Taking in a body: streamed into a new blob through the digests, then checked against what the
 * client declared (length, Content-MD5, a checksum header or trailer). A body that fails a check is
 * removed before the error is thrown, so nothing partial is ever visible.
 */
import type { Readable, Transform } from 'node:stream';
import { AwsError, S3Errors } from '../../wire/errors.js';
import type { BlobStore } from './blobs.js';
import { Digester } from './checksums.js';
import type { BlobRef, Checksum, ChecksumAlgorithm } from './model.js';

export interface IncomingBody {
  source: Readable;
  /** Decoders between the wire and the bytes (aws-chunked). */
  transforms: Transform[];
  /** The length the client announced for the decoded bytes. */
  declaredLength?: number;
  /** Content-MD5, decoded. */
  md5?: Buffer;
  /** The checksum to compute, and the value the client sent (a header, or a trailer known only at the end). */
  checksum?: { algorithm: ChecksumAlgorithm; expected: () => string | undefined };
}

export interface Ingested {
  blob: BlobRef;
  md5: Buffer;
  checksum: Checksum | undefined;
}

export async function ingest(blobs: BlobStore, body: IncomingBody): Promise<Ingested> {
  const digester = new Digester(body.checksum?.algorithm);
  let blob: BlobRef;
  try {
    blob = await blobs.write(body.source, [...body.transforms, digester]);
  } catch (err) {
    // A transform's own refusal (a POST policy's size range) stands; anything else is a body cut short.
    throw err instanceof AwsError ? err : S3Errors.incompleteBody();
  }
  try {
    if (body.declaredLength !== undefined && blob.size !== body.declaredLength) throw S3Errors.incompleteBody();
    const { md5, checksum } = digester.result();
    if (body.md5 && !body.md5.equals(md5)) throw S3Errors.badDigest('Content-MD5');
    const algorithm = body.checksum?.algorithm;
    const expected = body.checksum?.expected();
    if (algorithm && expected !== undefined && expected !== checksum) throw S3Errors.badDigest(algorithm);
    return { blob, md5, checksum: algorithm && checksum ? { algorithm, value: checksum } : undefined };
  } catch (err) {
    await blobs.remove(blob.id);
    throw err;
  }
}

/** S3's ETag of bytes with this MD5. */
export const etagOf = (md5: Buffer): string => `"${md5.toString('hex')}"`;
