/**
 * `selfless runtimes`: which runtimes this machine can run, and `runtimes install` for the parts
 * that are not installed with the server (other Node.js majors, the SDK functions import).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { findRuntime, supportedRuntimes } from '../../runtimes/catalog.js';

const installer = fileURLToPath(new URL('../../../../scripts/install-runtimes.mjs', import.meta.url));

/** What to install for a runtime id: its Node.js major, and the SDK every Node.js runtime provides. */
function partsFor(id: string): string[] {
  const major = /^nodejs(\d+)\.x$/.exec(id)?.[1];
  if (major) return ['sdk', `node${major}`];
  throw new Error(`nothing to install for ${id}: ${findRuntime(id) ? 'it uses what this machine has (see selfless runtimes)' : 'not a runtime Selfless knows'}`);
}

export function registerRuntimes(program: Command): void {
  const runtimes = program.command('runtimes').description('list the runtimes this machine can run');
  runtimes.action(() => {
    for (const id of supportedRuntimes()) {
      const missing = findRuntime(id)!.unavailable();
      process.stdout.write(`${id.padEnd(16)} ${missing === undefined ? 'ready' : missing}\n`);
    }
  });
  runtimes
    .command('install')
    .argument('[runtimes...]', 'runtime ids such as nodejs22.x (default: every Node.js runtime and the SDK)')
    .description('install what Node.js runtimes need: their Node.js binaries and the AWS SDK functions import')
    .action((ids: string[]) => {
      const parts = ids.length === 0 ? ['all'] : [...new Set(ids.flatMap(partsFor))];
      const r = spawnSync(process.execPath, [installer, ...parts], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`installing ${parts.join(', ')} failed`);
    });
}
