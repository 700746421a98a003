#!/usr/bin/env node
import('../dist/src/cli/index.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/')) {
    console.error('selfless is not built yet: run `npm run build` first.');
  } else {
    console.error(err);
  }
  process.exit(1);
});
