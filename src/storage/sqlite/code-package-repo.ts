import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newHexId } from '../../lib/ids.js';
import type { CodePackageRepo } from '../store.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Zips as files named by their SHA-256 beside the database, where the embedded store has always kept
 * them: zips of tens of megabytes do not belong in SQLite's WAL, and older data dirs read unchanged.
 */
export class FileCodePackageRepo implements CodePackageRepo {
  constructor(private readonly dir: string) {}

  private path(sha256: string): string {
    // The hash becomes a file name: refuse anything else.
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, `${sha256}.zip`);
  }

  async put(sha256: string, zip: Buffer): Promise<void> {
    const path = this.path(sha256);
    if (existsSync(path)) return;
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed: a file under its final name is complete.
    const tmp = `${path}.${newHexId()}.tmp`;
    await writeFile(tmp, zip);
    await rename(tmp, path);
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return existsSync(this.path(sha256));
  }
}
