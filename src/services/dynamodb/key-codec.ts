/**
 * Key attributes as bytes whose order is DynamoDB's order, so that the store sorts and ranges over
 * keys with plain byte comparison (BLOB in SQLite, BYTEA in PostgreSQL). A key attribute's type is
 * fixed by the table, so an encoding need only order values of one type.
 */
import * as crypto from 'node:crypto';
import { adjustedExponent, sign, significand } from './decimal.js';
import { decimalOf, type Value } from './values.js';

const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
/** Ends a negative number's digits: above every complemented digit, so that -1.2 sorts after -1.23. */
const NEGATIVE_END = 0xff;

/** Strings by their UTF-8 bytes and binaries as they are (DynamoDB's order); numbers by value. */
export function encodeKey(v: Value): Buffer {
  if ('S' in v) return Buffer.from(v.S, 'utf8');
  if ('B' in v) return v.B;
  if ('N' in v) return encodeNumber(v.N);
  throw new Error(`a key attribute cannot be of type ${Object.keys(v)[0]}`);
}

/**
 * Sign byte, then the adjusted exponent (-130..125, biased into one byte), then the significant
 * digits: numbers of one sign compare by magnitude first, then digit by digit. Negative numbers
 * complement everything after the sign byte, so larger magnitudes sort first.
 */
function encodeNumber(text: string): Buffer {
  const d = decimalOf(text);
  const s = sign(d);
  if (s === 0) return Buffer.from([ZERO]);
  const exponent = adjustedExponent(d) + 130;
  const digits = Buffer.from(significand(d), 'ascii');
  if (s > 0) return Buffer.concat([Buffer.from([POSITIVE, exponent]), digits]);
  return Buffer.concat([Buffer.from([NEGATIVE, 255 - exponent]), Buffer.from(digits.map((b) => 255 - b)), Buffer.from([NEGATIVE_END])]);
}

/** Where a partition falls among Scan's segments: a stable 32-bit hash of its encoded key. */
export const partitionHash = (pk: Buffer): number => md5(pk).readUInt32BE(0);

// Every write hashes its key: the one-shot digest (Node.js 20.12 and later) skips a Hash object.
const md5: (data: Buffer) => Buffer =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('md5', data, 'buffer') : (data) => crypto.createHash('md5').update(data).digest();

export const HASH_SPACE = 2 ** 32;
