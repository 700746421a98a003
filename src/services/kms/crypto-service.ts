/**
 * KMS's symmetric operations: Encrypt, Decrypt, GenerateDataKey and ReEncrypt, under keys that
 * key-service.ts unwraps only for the call. Ciphertext blobs carry their key (ciphertext-blob.ts).
 */
import { randomBytes } from 'node:crypto';
import { open, seal, SealError } from '../../security/aead.js';
import { KmsErrors } from '../../wire/errors.js';
import { blobAad, formatBlob, parseBlob } from './ciphertext-blob.js';
import type { KeyService } from './key-service.js';

export type EncryptionContext = Readonly<Record<string, string>>;

export interface Encrypted {
  blob: Buffer;
  keyArn: string;
}

export interface Decrypted {
  plaintext: Buffer;
  keyArn: string;
}

export class CryptoService {
  constructor(private readonly keys: KeyService) {}

  async encrypt(keyRef: string, plaintext: Buffer, context?: EncryptionContext): Promise<Encrypted> {
    const { record, material } = await this.keys.usable(keyRef);
    const blob = formatBlob(record.keyId, seal(material, plaintext, blobAad(record.keyId, context)));
    return { blob, keyArn: record.arn };
  }

  /** `expectedKeyRef`, when given, must name the key the blob was made under (IncorrectKeyException otherwise). */
  async decrypt(blob: Buffer, context?: EncryptionContext, expectedKeyRef?: string): Promise<Decrypted> {
    const parsed = parseBlob(blob);
    if (!parsed) throw KmsErrors.invalidCiphertext();
    if (expectedKeyRef !== undefined && (await this.keys.describe(expectedKeyRef)).keyId !== parsed.keyId) throw KmsErrors.incorrectKey();
    const { record, material } = await this.keys.usable(parsed.keyId);
    try {
      return { plaintext: open(material, parsed.sealed, blobAad(record.keyId, context)), keyArn: record.arn };
    } catch (err) {
      // A wrong encryption context and tampered bytes look the same, as with KMS.
      if (err instanceof SealError) throw KmsErrors.invalidCiphertext();
      throw err;
    }
  }

  /** A fresh data key: its plaintext (for the caller to use and forget) and its blob under `keyRef`. */
  async generateDataKey(keyRef: string, bytes: number, context?: EncryptionContext): Promise<Encrypted & { plaintext: Buffer }> {
    const plaintext = randomBytes(bytes);
    return { plaintext, ...(await this.encrypt(keyRef, plaintext, context)) };
  }

  async reEncrypt(
    blob: Buffer,
    source: { context?: EncryptionContext; keyRef?: string },
    destination: { keyRef: string; context?: EncryptionContext },
  ): Promise<Encrypted & { sourceKeyArn: string }> {
    const decrypted = await this.decrypt(blob, source.context, source.keyRef);
    const encrypted = await this.encrypt(destination.keyRef, decrypted.plaintext, destination.context);
    decrypted.plaintext.fill(0);
    return { ...encrypted, sourceKeyArn: decrypted.keyArn };
  }
}
