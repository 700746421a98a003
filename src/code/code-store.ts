/**
 * Content-addressed function packages: each zip is kept once under its SHA-256 and unpacked once,
 * into a folder that every environment of every function version with that code shares read-only.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newHexId } from '../lib/ids.js';
import { linkTree } from './link-tree.js';
import { extractZip, inspectZip } from './zip.js';

export interface StoredCode {
  sha256: string;
  size: number;
}

export const sha256Base64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

export class CodeStore {
  private readonly unpacking = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  private blobPath(sha256: string): string {
    return join(this.root, 'blobs', `${sha256}.zip`);
  }

  private unpackedPath(sha256: string): string {
    return join(this.root, 'unpacked', sha256);
  }

  /** Checks the package, stores it and unpacks it; returns its content address. */
  async put(zip: Buffer): Promise<StoredCode> {
    await inspectZip(zip);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const path = this.blobPath(sha256);
    if (!existsSync(path)) {
      await mkdir(join(this.root, 'blobs'), { recursive: true });
      const tmp = `${path}.${newHexId()}.tmp`;
      await writeFile(tmp, zip);
      await rename(tmp, path);
    }
    await this.unpacked(sha256);
    return { sha256, size: zip.length };
  }

  /** The folder holding the unpacked code; unpacks on first use (e.g. after a restart). */
  unpacked(sha256: string): Promise<string> {
    let p = this.unpacking.get(sha256);
    if (!p) {
      p = this.unpack(sha256);
      this.unpacking.set(sha256, p);
      p.catch(() => this.unpacking.delete(sha256));
    }
    return p;
  }

  /**
   * One folder with the files of several packages, later ones winning (a function's layers as
   * /opt shows them), made once per combination with hard links.
   */
  merged(sha256s: readonly string[]): Promise<string> {
    const key = `merged:${createHash('sha256').update(sha256s.join(',')).digest('hex')}`;
    let p = this.unpacking.get(key);
    if (!p) {
      p = this.merge(sha256s, join(this.root, 'merged', key.slice('merged:'.length)));
      this.unpacking.set(key, p);
      p.catch(() => this.unpacking.delete(key));
    }
    return p;
  }

  private async merge(sha256s: readonly string[], dir: string): Promise<string> {
    if (existsSync(dir)) return dir;
    const tmp = `${dir}.${newHexId()}.tmp`;
    await mkdir(tmp, { recursive: true });
    for (const sha of sha256s) await linkTree(await this.unpacked(sha), tmp);
    await rename(tmp, dir).catch(async (err: unknown) => {
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw err;
    });
    return dir;
  }

  private async unpack(sha256: string): Promise<string> {
    const dir = this.unpackedPath(sha256);
    // Unpacked into a temporary folder and renamed: a folder under its final name is complete.
    if (existsSync(dir)) return dir;
    const tmp = `${dir}.${newHexId()}.tmp`;
    try {
      await extractZip(await readFile(this.blobPath(sha256)), tmp);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw err;
    }
    return dir;
  }
}
