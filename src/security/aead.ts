/**
 * AES-256-GCM, the one cipher every value at rest goes through. A sealed value is
 * `version(1) | iv(12) | tag(16) | ciphertext`: self-describing, so keys can be rotated later.
 * The associated data binds a sealed value to what it belongs to (a key id, a secret's ARN), so a
 * value copied to another row fails to open instead of decrypting under the wrong name.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class SealError extends Error {}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  if (key.length !== KEY_BYTES) throw new SealError(`an AES-256 key has ${KEY_BYTES} bytes, not ${key.length}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The plaintext, or a SealError when the key, the associated data or the bytes are not the ones sealed. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SealError('not a sealed value');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError('the value does not open under this key');
  }
}
