// The Node.js runtime's bootstrap as one file, after `tsc`: an environment then starts without
// resolving, stat-ing, reading and wrapping each of the runtime's modules, about 1.5-2 ms of CPU of
// each start on this project's 2-core machines (the same work a `node -e 0` spawn does costs 15 ms).
// Modules stay lazy as they were (esbuild's CommonJS wrappers run on first require), and the files
// loaded by path (the managed-instances worker, the ES module resolve hooks) stay beside it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/src/runtimes/nodejs/', import.meta.url));

await build({
  entryPoints: [`${dir}bootstrap.js`],
  outfile: `${dir}bootstrap.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The oldest runtime it serves: nodejs18.x.
  target: 'node18',
  logLevel: 'warning',
});
