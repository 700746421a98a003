/**
 * KMS ciphertext blobs: `magic(2) | keyIdLength(1) | keyId | sealed`. The blob names its key, so
 * Decrypt needs no KeyId, as with KMS; the encryption context is bound as associated data, so a
 * blob opens only with the context it was made with.
 */

const MAGIC = Buffer.from('SK');

export interface ParsedBlob {
  keyId: string;
  sealed: Buffer;
}

export function formatBlob(keyId: string, sealed: Buffer): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, sealed]);
}

/** The key id and sealed bytes, or undefined when the bytes are not a blob Selfless made. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 4 || !blob.subarray(0, 2).equals(MAGIC)) return undefined;
  const length = blob[2]!;
  if (blob.length < 3 + length + 1) return undefined;
  return { keyId: blob.subarray(3, 3 + length).toString('ascii'), sealed: blob.subarray(3 + length) };
}

/** The associated data of a blob: its key and its encryption context, in a canonical order. */
export function blobAad(keyId: string, context: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `kms:${keyId}:${JSON.stringify(entries)}`;
}

