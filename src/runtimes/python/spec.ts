/**
 * python3.11 to python3.14 on this machine's interpreters, with the bootstrap in this
 * folder and the machine's boto3 offered unbundled, as Lambda offers it.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeSpec } from '../spec.js';

// tsc does not copy .py files: from dist/src/runtimes/python/ the bootstrap is back in src/.
const bootstrap = [
  fileURLToPath(new URL('./bootstrap.py', import.meta.url)),
  fileURLToPath(new URL('../../../../src/runtimes/python/bootstrap.py', import.meta.url)),
].find((file) => existsSync(file))!;

const PROBE = 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2]); print(sys.base_prefix)';
/** What Lambda's Python runtimes provide unbundled: boto3 and its dependencies, nothing more. */
const SDK_MODULES = ['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3', 'six'];
// find_spec locates the modules without importing them (importing boto3 takes a tenth of a second):
// a package's folder, or a module's file.
const SDK_PROBE = `import importlib.util as u, os\nfor name in ${JSON.stringify(SDK_MODULES)}:\n  s = u.find_spec(name)\n  print(os.path.dirname(s.origin) if s.submodule_search_locations else s.origin)`;

function run(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

interface Interpreter {
  executable: string;
  /** Its installation (executable, shared library, standard library): what a sandbox must show. */
  prefix: string;
}

/** What `candidate` is, if it runs and is `version`. */
function probe(candidate: string, version: string): Interpreter | undefined {
  try {
    accessSync(candidate, constants.X_OK);
  } catch {
    return undefined;
  }
  const [executable, actual, prefix] = (run(candidate, ['-c', PROBE]) ?? '').trim().split('\n');
  return actual === version && executable && prefix ? { executable, prefix } : undefined;
}

const pathDirs = (): string[] => (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');

function* pyenvRoots(): Generator<string> {
  const seen = new Set<string>();
  const roots = [() => process.env['PYENV_ROOT'], () => join(homedir(), '.pyenv'), () => '/root/.pyenv', () => run('pyenv', ['root'])?.trim()];
  for (const root of roots) {
    const dir = root();
    if (dir && !seen.has(dir)) {
      seen.add(dir);
      yield dir;
    }
  }
}

/** versions/3.X.* of each pyenv root, newest patch first. */
function* underPyenv(version: string): Generator<string> {
  const pattern = new RegExp(`^${version.replace('.', '\\.')}\\.(\\d+)$`);
  for (const root of pyenvRoots()) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, 'versions'));
    } catch {
      continue;
    }
    yield* entries
      .map((name) => ({ name, patch: Number(pattern.exec(name)?.[1] ?? NaN) }))
      .filter((v) => !Number.isNaN(v.patch))
      .sort((a, b) => b.patch - a.patch)
      .map((v) => join(root, 'versions', v.name, 'bin', `python${version}`));
  }
}

/** PATH order, except that pyenv's shims (a shell script per start, failing for versions not
 * selected) give way to the versions they dispatch to. */
function* candidates(version: string): Generator<string> {
  for (const dir of pathDirs()) {
    if (basename(dir) === 'shims') yield* underPyenv(version);
    else yield join(dir, `python${version}`);
  }
  yield* underPyenv(version);
  for (const dir of pathDirs()) yield join(dir, 'python3');
}

const interpreters = new Map<string, Interpreter | undefined>();

/** Found once, on first use: `python3.X` on PATH, then under pyenv, then `python3` if it is 3.X. */
function interpreter(version: string): Interpreter | undefined {
  if (!interpreters.has(version)) {
    let found: Interpreter | undefined;
    const tried = new Set<string>();
    for (const candidate of candidates(version)) {
      if (tried.has(candidate)) continue;
      tried.add(candidate);
      found = probe(candidate, version);
      if (found) break;
    }
    interpreters.set(version, found);
  }
  return interpreters.get(version);
}

let sdkPaths: string[] | undefined;

/** Where the machine's boto3 and its dependencies live (Python 3.11's; pure Python), if anywhere. */
function sdkModulePaths(): string[] {
  if (sdkPaths === undefined) {
    const out = [interpreter('3.11')?.executable, 'python3'].reduce<string | undefined>((found, python) => found ?? (python && run(python, ['-c', SDK_PROBE])), undefined);
    sdkPaths = [...new Set((out ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== ''))];
  }
  return sdkPaths;
}

const isSystem = (path: string): boolean => path === '/usr' || path.startsWith('/usr/');

export function pythonRuntime(version: string): RuntimeSpec {
  const id = `python${version}`;
  return {
    id,
    family: 'python',
    unavailable: () =>
      interpreter(version)
        ? undefined
        : `${id} is not installed on this machine: no ${id} found on PATH or under pyenv, and python3 is not ${version}. Install Python ${version} (for example \`pyenv install ${version}\`, or a ${id} package) and restart selfless`,
    launch: ({ taskRoot, expose, opt }) => {
      const python = interpreter(version);
      if (!python) throw new Error(`${id} is not installed on this machine`);
      const { executable, prefix } = python;
      let file = executable;
      let lang: string | undefined;
      if (!isSystem(prefix) && executable.startsWith(`${prefix}/`)) {
        // Lambda's layout: the interpreter's installation at /var/lang. A pyenv build finds its
        // libpython through an absolute RUNPATH, so the installation is also shown where it is.
        lang = expose(prefix, '/var/lang');
        expose(prefix, prefix);
        file = lang + executable.slice(prefix.length);
      } else if (!isSystem(executable)) {
        expose(dirname(dirname(executable)), dirname(dirname(executable)));
      }
      // Only the SDK's own modules are shown (in a sandbox, one by one under /var/sdk/python), so
      // that an import that would fail on Lambda fails here too.
      const sdk = [...new Set(sdkModulePaths().map((path) => dirname(expose(path, `/var/sdk/python/${basename(path)}`))))];
      const runtimeDir = expose(dirname(bootstrap), '/var/runtime');
      return {
        file,
        // -u: print() reaches the log at once; -P: the bootstrap's folder stays off sys.path;
        // -S: the interpreter's own site-packages stay out (the SDK comes through PYTHONPATH).
        args: ['-u', '-P', '-S', `${runtimeDir}/bootstrap.py`],
        env: {
          // Lambda's order: the code, then layers, then the runtime's SDK.
          PYTHONPATH: [taskRoot, `${opt}/python/lib/${id}/site-packages`, `${opt}/python`, ...sdk].join(':'),
          // The code folder is read-only, as /var/task is.
          PYTHONDONTWRITEBYTECODE: '1',
        },
        runtimeDir,
        sendsRuntimeToken: true,
      };
    },
  };
}

export const PYTHON_RUNTIMES = ['3.11', '3.12', '3.13', '3.14'].map(pythonRuntime);
