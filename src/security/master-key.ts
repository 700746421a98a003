/**
 * The master key: 32 random bytes in a file the operator holds (mode 0600), which wraps every KMS
 * key's material, and so every secret value. The store keeps only a check value (an HMAC of a fixed
 * label), so that a missing or wrong key file stops the server at start instead of failing every
 * read later, or worse, starting over with a new key and orphaning the data.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { KeyringRepo } from '../storage/store.js';
import { KEY_BYTES, open, seal } from './aead.js';

export class MasterKeyError extends Error {}

const PREFIX = 'selfless-master-key-v1:';
const FileSchema = z.string().regex(/^selfless-master-key-v1:[A-Za-z0-9+/]{43}=\s*$/, 'not a Selfless master key file');

export class MasterKey {
  private constructor(private readonly key: Buffer) {}

  /** Wraps key material (a KMS key's) under the master key, bound to `context`. */
  wrap(material: Buffer, context: string): Buffer {
    return seal(this.key, material, `selfless-master:${context}`);
  }

  unwrap(wrapped: Buffer, context: string): Buffer {
    return open(this.key, wrapped, `selfless-master:${context}`);
  }

  /** A key for one purpose (signing links), derived so that it reveals nothing of the master key. */
  derive(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`selfless derived key v1:${purpose}`).digest();
  }

  /** What the store keeps to recognise this key: reveals nothing about it. */
  get check(): string {
    return createHmac('sha256', this.key).update('selfless master key check v1').digest('base64');
  }

  /**
   * Loads the key file, creating it (mode 0600) only when the store holds nothing encrypted yet. A
   * missing file for a store that has data, or a file that is not the store's key, is a MasterKeyError.
   */
  static async load(file: string, keyring: KeyringRepo): Promise<MasterKey> {
    const recorded = await keyring.masterKeyCheck();
    if (!existsSync(file)) {
      if (recorded !== undefined) {
        throw new MasterKeyError(
          `the master key file ${file} is missing, but the store holds secrets encrypted under a master key: ` +
            'restore the file (or pass --master-key-file / SELFLESS_MASTER_KEY_FILE); without it those secrets cannot be read',
        );
      }
      create(file);
    }
    const key = MasterKey.fromFile(file);
    const check = key.check;
    const stored = recorded ?? (await keyring.recordMasterKeyCheck(check));
    if (stored !== check) {
      throw new MasterKeyError(`the master key file ${file} is not the key this store's secrets are encrypted under`);
    }
    return key;
  }


  /** Reads a key file, refusing one that others can read. */
  static fromFile(file: string): MasterKey {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0) throw new MasterKeyError(`the master key file ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it`);
    const parsed = FileSchema.safeParse(readFileSync(file, 'utf8'));
    if (!parsed.success) throw new MasterKeyError(`${file} is not a Selfless master key file`);
    return new MasterKey(Buffer.from(parsed.data.trim().slice(PREFIX.length), 'base64'));
  }
}

function create(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // `wx`: never overwrite a key another node or process has just written.
  try {
    writeFileSync(file, `${PREFIX}${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(file, 0o600);
}
