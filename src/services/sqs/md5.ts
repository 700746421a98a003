/**
 * The digests SQS returns and SDKs verify: MD5 of the body, and MD5 of message (or system)
 * attributes in AWS's binary encoding: for each attribute in name order, length-prefixed name,
 * length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed value.
 */
import { createHash, type Hash } from 'node:crypto';
import type { MessageAttributes } from './model.js';

export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** A 4-byte big-endian length, then the bytes: written straight into the hash, no joined buffer. */
function updateLengthPrefixed(hash: Hash, value: string | Buffer): void {
  const length = Buffer.allocUnsafe(4);
  // Exact for UTF-8 (a lone surrogate counts as the 3 bytes of the U+FFFD it is hashed as).
  length.writeUInt32BE(typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length);
  hash.update(length);
  if (typeof value === 'string') hash.update(value, 'utf8');
  else hash.update(value);
}

const STRING_TRANSPORT = Buffer.from([1]);
const BINARY_TRANSPORT = Buffer.from([2]);

/** undefined when there are no attributes: SQS then omits the digest. */
export function md5OfAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  names.sort();
  const hash = createHash('md5');
  for (const name of names) {
    const a = attributes[name]!;
    updateLengthPrefixed(hash, name);
    updateLengthPrefixed(hash, a.dataType);
    if (a.binaryValue !== undefined) {
      hash.update(BINARY_TRANSPORT);
      // Decoded first: the length of base64 text is exact only for well-formed text.
      updateLengthPrefixed(hash, Buffer.from(a.binaryValue, 'base64'));
    } else {
      hash.update(STRING_TRANSPORT);
      updateLengthPrefixed(hash, a.stringValue ?? '');
    }
  }
  return hash.digest('hex');
}
