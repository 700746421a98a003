/**
 * Blobs as files in the data dir. A write goes to a temporary file, is fsynced, then renamed into
 * place: a crash or a cut connection leaves at most a temporary file, which the next start sweeps.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blobs.js';

export class DiskBlobStore implements BlobStore {
  private readonly blobs: string;
  private readonly incoming: string;

  constructor(dir: string) {
    this.blobs = join(dir, 'blobs');
    this.incoming = join(dir, 'incoming');
    mkdirSync(this.blobs, { recursive: true });
    // Writes a previous server did not finish: no metadata points at them.
    rmSync(this.incoming, { recursive: true, force: true });
    mkdirSync(this.incoming, { recursive: true });
  }

  async write(source: Readable, transforms: readonly Transform[]): Promise<{ id: string; size: number }> {
    const id = randomUUID();
    const temp = join(this.incoming, id);
    const out = createWriteStream(temp, { flags: 'wx' });
    try {
      await pipeline([source, ...transforms, out]);
      const handle = await open(temp, 'r');
      let size: number;
      try {
        await handle.sync(); // acknowledged only once on disk
        size = (await handle.stat()).size;
      } finally {
        await handle.close();
      }
      await rename(temp, this.pathOf(id));
      return { id, size };
    } catch (err) {
      out.destroy();
      await rm(temp, { force: true });
      throw err;
    }
  }

  read(id: string, start?: number, end?: number): Readable {
    return createReadStream(this.pathOf(id), { start, end });
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a blob id: ${id}`);
    return join(this.blobs, id);
  }

  /** For tests: the blobs on disk. */
  list(): string[] {
    return readdirSync(this.blobs);
  }
}
