/**
 * Content-addressed function packages: each zip is kept once in the store under its SHA-256, so
 * every node sharing the store can fetch it, and unpacked once per node, into a folder on its disk
 * that every environment of every function version with that code shares read-only.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { newHexId } from '../lib/ids.js';
import type { CodePackageRepo } from '../storage/store.js';
import { linkTree } from './link-tree.js';
import { extractZip, inspectZip, unzippedSize } from './zip.js';

export interface StoredCode {
  sha256: string;
  size: number;
}

export const sha256Base64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

export class CodeStore {
  private readonly unpacking = new Map<string, Promise<string>>();
  private readonly sizes = new Map<string, number>();

  /** `root` is this node's cache of unpacked packages; `packages` holds the zips themselves. */
  constructor(
    private readonly root: string,
    private readonly packages: CodePackageRepo,
  ) {}

  private unpackedPath(sha256: string): string {
    return join(this.root, 'unpacked', sha256);
  }

  /** Checks the package, stores it and unpacks it; returns its content address. */
  async put(zip: Buffer): Promise<StoredCode> {
    await inspectZip(zip);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    await this.packages.put(sha256, zip);
    await this.unpackOnce(sha256, async () => zip);
    return { sha256, size: zip.length };
  }

  /** The folder holding the unpacked code; fetches and unpacks it on first use (after a restart, or on another node). */
  unpacked(sha256: string): Promise<string> {
    return this.unpackOnce(sha256, () => this.fetch(sha256));
  }

  /** A stored package's unzipped size (kept once read: packages never change). */
  async unzippedSize(sha256: string): Promise<number> {
    let size = this.sizes.get(sha256);
    if (size === undefined) {
      size = await unzippedSize(await this.fetch(sha256));
      this.sizes.set(sha256, size);
    }
    return size;
  }

  private unpackOnce(sha256: string, zip: () => Promise<Buffer>): Promise<string> {
    let p = this.unpacking.get(sha256);
    if (!p) {
      p = this.unpack(sha256, zip);
      this.unpacking.set(sha256, p);
      p.catch(() => this.unpacking.delete(sha256));
    }
    return p;
  }

  private async fetch(sha256: string): Promise<Buffer> {
    const zip = await this.packages.get(sha256);
    if (!zip) throw new Error(`code package ${sha256} is not in the store`);
    return zip;
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

  private async unpack(sha256: string, zip: () => Promise<Buffer>): Promise<string> {
    const dir = this.unpackedPath(sha256);
    // Unpacked into a temporary folder and renamed: a folder under its final name is complete.
    if (existsSync(dir)) return dir;
    const tmp = `${dir}.${newHexId()}.tmp`;
    try {
      await extractZip(await zip(), tmp);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw err;
    }
    return dir;
  }
}
