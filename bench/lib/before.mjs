// The server as it was at an earlier commit, built beside this checkout, so that a benchmark can
// measure "before" and "now" in the same run on the same machine (this machine's speed varies from
// one session to the next, so figures from different runs do not compare).
// The commit is checked out with `git worktree add --detach` into bench/.before/<sha>/, given this
// checkout's node_modules (a symlink), and built as its own `npm run build` did (generated inputs, then this
// checkout's TypeScript); it is kept there
// for later runs. Runtimes the old server installs for itself are its own business.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes.mjs';

/**
 * The commit every `npm run bench` compares warm invokes against: the last one before the runtime
 * issue's work (Node.js runtimes on their own majors, the provided SDK, ESM resolution) began.
 */
export const DEFAULT_BEFORE = 'b7d9f2f2e0d0b4d5dce9d47ae41c34dbbff82ed3';

/** The root of a built checkout of `ref` (its bin/selfless.js serves as that commit did). */
export function builtBefore(ref) {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  const dir = join(root, 'bench', '.before', sha);
  if (!existsSync(join(dir, 'dist', 'src'))) {
    mkdirSync(join(root, 'bench', '.before'), { recursive: true });
    if (!existsSync(join(dir, 'package.json'))) {
      spawnSync('git', ['worktree', 'prune'], { cwd: root });
      execFileSync('git', ['worktree', 'add', '--detach', '--force', dir, sha], { cwd: root, stdio: 'ignore' });
    }
    if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    process.stdout.write(`building the server at ${sha.slice(0, 10)} for the before/now comparison...\n`);
    // Commits whose build generates the models' input types first (npm run build) need that step too.
    const gen = join(dir, 'scripts', 'gen-wire-inputs.mjs');
    if (existsSync(gen)) execFileSync(process.execPath, [gen], { cwd: dir, stdio: 'inherit' });
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, stdio: 'inherit' });
  }
  return { sha, dir };
}
