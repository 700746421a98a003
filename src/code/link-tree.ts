import { link, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Hard-links every file under `from` into `to` (same filesystem as the code store), replacing
 * files already there: a folder that shows unpacked code without copying it.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dest, { recursive: true });
      await linkTree(src, dest);
    } else if (entry.isFile()) {
      await rm(dest, { force: true });
      await link(src, dest);
    }
  }
}
