#!/usr/bin/env node
// Installs what functions' runtimes need, apart from the server's own dependencies: the AWS SDK
// that Node.js runtimes provide (runtimes/nodejs-sdk) and the Node.js majors that are not the
// server's own (runtimes/node18, node20, node22, node24). Each folder is installed from its lockfile once,
// and again only when that lockfile changes.
// Usage: node scripts/install-runtimes.mjs [sdk] [node18] [node20] [node22] [node24] [all]   (default: sdk)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'runtimes');
const FOLDERS = { sdk: 'nodejs-sdk', node18: 'node18', node20: 'node20', node22: 'node22', node24: 'node24' };
const MARKER = '.selfless-installed';

const wanted = process.argv.slice(2);
// 'all' leaves out the Node.js major this script runs on: the server's own Node.js serves that runtime.
const own = `node${process.versions.node.split('.')[0]}`;
const names = wanted.length === 0 ? ['sdk'] : wanted.includes('all') ? Object.keys(FOLDERS).filter((n) => n !== own) : wanted;
for (const name of names) {
  if (!FOLDERS[name]) {
    console.error(`unknown runtime part '${name}': one of ${Object.keys(FOLDERS).join(', ')}, all`);
    process.exit(2);
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

for (const name of names) {
  const dir = join(root, FOLDERS[name]);
  const lock = readFileSync(join(dir, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  const marker = join(dir, 'node_modules', MARKER);
  const installed = () => existsSync(marker) && readFileSync(marker, 'utf8') === hash;
  if (installed()) continue;
  // One installer at a time (test files run in parallel processes); a lock older than 10 minutes is stale.
  const lockDir = join(dir, '.installing');
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (installed()) break;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 10 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      sleep(500);
    }
  }
  try {
    if (installed()) continue;
    process.stderr.write(`installing ${name} for function runtimes (${FOLDERS[name]})...\n`);
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      console.error(`npm ci in ${dir} failed (${r.status ?? r.signal})`);
      process.exit(1);
    }
    writeFileSync(marker, hash);
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
