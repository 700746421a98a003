#!/usr/bin/env node
// Runs the storage suite (dist/test/storage/) once per store: SQLite always, PostgreSQL when
// SELFLESS_TEST_POSTGRES_URL names a database the tests may create schemas in. A PostgreSQL run
// that cannot happen is announced, never passed over in silence.
import { spawnSync } from 'node:child_process';

const run = (store) => {
  process.stdout.write(`\n== storage suite on ${store} ==\n`);
  const result = spawnSync(process.execPath, ['--test', 'dist/test/storage/'], {
    stdio: 'inherit',
    env: { ...process.env, SELFLESS_TEST_STORE: store },
  });
  return result.status === 0;
};

let ok = run('sqlite');
if (process.env.SELFLESS_TEST_POSTGRES_URL) {
  ok = run('postgres') && ok;
} else {
  process.stderr.write(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!! The storage suite did NOT run on PostgreSQL: SELFLESS_TEST_POSTGRES_URL is not set.',
      '!! Only SQLite was tested. To test PostgreSQL too (see .ci/run for a local setup):',
      '!!   SELFLESS_TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1:5432/db npm test',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}
process.exit(ok ? 0 : 1);
