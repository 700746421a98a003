import { linkSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Entries linked between two turns of the event loop: small trees link at once, large ones never stall it. */
const ENTRIES_PER_TURN = 200;

/**
 * Hard-links every file under `from` into `to` (same filesystem as the code store), replacing
 * files already there: a folder that shows unpacked code without copying it. Synchronous calls in
 * small slices: a cold start links a handful of files, and four thread-pool round trips per file
 * cost milliseconds.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  const folders: [string, string][] = [[from, to]];
  let done = 0;
  while (folders.length > 0) {
    const [src, dest] = folders.pop()!;
    for (const entry of readdirSync(src, { withFileTypes: true })) {
      const s = join(src, entry.name);
      const d = join(dest, entry.name);
      if (entry.isDirectory()) {
        mkdirSync(d, { recursive: true });
        folders.push([s, d]);
      } else if (entry.isFile()) {
        linkReplacing(s, d);
      }
      if (++done % ENTRIES_PER_TURN === 0) await yieldToLoop();
    }
  }
}

function linkReplacing(src: string, dest: string): void {
  try {
    linkSync(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    unlinkSync(dest);
    linkSync(src, dest);
  }
}
