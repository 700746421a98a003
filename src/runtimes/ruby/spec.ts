/**
 * ruby3.3 and ruby3.4 on a Ruby of that version found on this machine (`ruby3.X` or `ruby` on PATH,
 * or under rbenv), or the interpreter the operator names for the runtime; the bootstrap in this
 * folder speaks the Runtime API with the standard library only.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interpreterOverride } from '../interpreter-overrides.js';
import type { RuntimeSpec } from '../spec.js';

// tsc does not copy .rb files: from dist/src/runtimes/ruby/ the bootstrap is back in src/.
const bootstrap = [
  fileURLToPath(new URL('./bootstrap.rb', import.meta.url)),
  fileURLToPath(new URL('../../../../src/runtimes/ruby/bootstrap.rb', import.meta.url)),
].find((file) => existsSync(file))!;

function versionOf(candidate: string): string | undefined {
  try {
    accessSync(candidate, constants.X_OK);
    return execFileSync(candidate, ['-e', 'print RUBY_VERSION'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function* candidates(version: string): Generator<string> {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) yield join(dir, `ruby${version}`);
  for (const dir of dirs) yield join(dir, 'ruby');
  const rbenv = join(process.env['RBENV_ROOT'] ?? join(homedir(), '.rbenv'), 'versions');
  let installed: string[] = [];
  try {
    installed = readdirSync(rbenv).filter((name) => name.startsWith(`${version}.`)).sort().reverse();
  } catch {
    // no rbenv
  }
  for (const name of installed) yield join(rbenv, name, 'bin', 'ruby');
}

const found = new Map<string, string | undefined>();

/** Found once, on first use: the operator's choice, else the first Ruby whose version is `version`. */
function interpreter(id: string, version: string): string | undefined {
  const chosen = interpreterOverride(id);
  if (chosen !== undefined) return versionOf(chosen) === undefined ? undefined : chosen;
  if (!found.has(version)) {
    let match: string | undefined;
    for (const candidate of new Set(candidates(version))) {
      if (versionOf(candidate)?.startsWith(`${version}.`)) {
        match = candidate;
        break;
      }
    }
    found.set(version, match);
  }
  return found.get(version);
}

export function rubyRuntime(version: string): RuntimeSpec {
  const id = `ruby${version}`;
  return {
    id,
    family: 'ruby',
    unavailable: () => {
      const chosen = interpreterOverride(id);
      if (chosen !== undefined) return interpreter(id, version) ? undefined : `the interpreter named for ${id} (${chosen}) does not run`;
      return interpreter(id, version)
        ? undefined
        : `${id} needs Ruby ${version}, and none is installed on this machine (no ruby${version} or ruby ${version} on PATH or under rbenv). Install Ruby ${version} (for example \`rbenv install ${version}\`, or a ruby${version} package) and restart selfless, or name an interpreter with --runtime-interpreter ${id}=PATH`;
    },
    launch: ({ taskRoot, expose, opt }) => {
      const ruby = interpreter(id, version);
      if (!ruby) throw new Error(`${id} is not installed on this machine`);
      // A Ruby outside /usr (rbenv) brings its installation into the sandbox.
      if (!ruby.startsWith('/usr/')) expose(dirname(dirname(ruby)), dirname(dirname(ruby)));
      const runtimeDir = expose(dirname(bootstrap), '/var/runtime');
      const abi = `${version}.0`;
      return {
        file: ruby,
        args: [`${runtimeDir}/bootstrap.rb`],
        env: {
          // Lambda's Ruby paths: the code's vendored gems, then layers'.
          GEM_PATH: [`${taskRoot}/vendor/bundle/ruby/${abi}`, `${opt}/ruby/gems/${abi}`].join(':'),
          RUBYLIB: [taskRoot, `${opt}/ruby/lib`].join(':'),
        },
        runtimeDir,
      };
    },
  };
}

export const RUBY_RUNTIMES = ['3.3', '3.4'].map(rubyRuntime);
