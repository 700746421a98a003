/**
 * Installs a fixture function's own npm dependencies on demand, for heavy test-only packages (such as
 * aws-lambda-ric with its native client) that must stay out of the project's `npm ci` (FACTS.md).
 * The install runs once: later calls find the fixture's `node_modules` complete and return at once.
 */
import { spawn } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES } from './platform.js';

/** test/fixtures/, for fixtures that are not functions. */
export const ALL_FIXTURES = join(FIXTURES, '..');

export interface FixtureInstallOptions {
  /** The folder holding the fixture: the function fixtures unless given (a deploy tool's app lives beside them). */
  under?: string;
  /** Files (relative to the fixture) an install must produce, such as a native module; if one is missing the install is redone. */
  requiredFiles?: string[];
  /** Paths (relative to the fixture) to delete after installing, such as build trees a package leaves behind. */
  prune?: string[];
  /** Bound on the install; the whole npm process group is killed past it. */
  timeoutMs?: number;
}

export interface FixtureInstallResult {
  dir: string;
  /** False when the fixture was already installed. */
  installed: boolean;
  /** How long the install took (0 when already installed). */
  ms: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const inFlight = new Map<string, Promise<FixtureInstallResult>>();

export function ensureFixtureInstalled(fixtureName: string, opts: FixtureInstallOptions = {}): Promise<FixtureInstallResult> {
  let pending = inFlight.get(fixtureName);
  if (pending === undefined) {
    pending = install(fixtureName, opts);
    inFlight.set(fixtureName, pending);
    pending.catch(() => inFlight.delete(fixtureName));
  }
  return pending;
}

async function install(fixtureName: string, opts: FixtureInstallOptions): Promise<FixtureInstallResult> {
  const dir = join(opts.under ?? FIXTURES, fixtureName);
  const required = ['node_modules', ...(opts.requiredFiles ?? [])];
  if (await allExist(dir, required)) {
    await prune(dir, opts.prune);
    return { dir, installed: false, ms: 0 };
  }
  // A half-done install (an interrupted run) would look up to date to npm: start from nothing.
  await rm(join(dir, 'node_modules'), { recursive: true, force: true });
  const started = Date.now();
  const { code, output } = await runNpm(dir, ['install', '--no-audit', '--no-fund', '--omit=dev'], opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const ms = Date.now() - started;
  if (code !== 0) throw new Error(`npm install in fixture ${fixtureName} failed (${code}) after ${ms} ms:\n${output.slice(-4000)}`);
  const missing = await missingOf(dir, required);
  if (missing.length > 0) {
    throw new Error(`npm install in fixture ${fixtureName} did not produce ${missing.join(', ')} (were its install scripts allowed?):\n${output.slice(-4000)}`);
  }
  await prune(dir, opts.prune);
  return { dir, installed: true, ms };
}

/** The caller's environment without npm's own variables (a test run under `npm test` inherits the project's), plus a fixed build policy. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'NODE_TEST_CONTEXT' && k !== 'INIT_CWD') env[k] = v;
  }
  env['npm_config_build_from_source'] = 'true';
  env['npm_config_update_notifier'] = 'false';
  env['npm_config_progress'] = 'false';
  return env;
}

/** An async npm run (a synchronous one would stall the test's event loop for the whole native build). */
function runNpm(cwd: string, args: string[], timeoutMs: number): Promise<{ code: number | string | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout can stop the compilers npm started too.
    const child = spawn('npm', args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (d: Buffer): void => {
      output += d.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? `timed out after ${timeoutMs} ms` : (code ?? signal), output });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function prune(dir: string, paths: string[] | undefined): Promise<void> {
  for (const p of paths ?? []) await rm(join(dir, p), { recursive: true, force: true });
}

const allExist = async (dir: string, paths: string[]): Promise<boolean> => (await missingOf(dir, paths)).length === 0;

async function missingOf(dir: string, paths: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of paths) {
    try {
      await access(join(dir, p));
    } catch {
      missing.push(p);
    }
  }
  return missing;
}
