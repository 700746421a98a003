import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeBinaries, ROOT } from '../helpers/node-binaries.js';

// `*.localhost` names resolved by the Node.js runtime, on every Node.js major the runtimes use, in a
// child process of that major: every form of lookup, and node:dns left unloaded until asked for.
const SCRIPT = `
const { resolveLocalhostNames } = require(${JSON.stringify(join(ROOT, 'dist/src/runtimes/nodejs/localhost-names.js'))});
resolveLocalhostNames();
const dnsLoadedEarly = process.moduleLoadList.includes('NativeModule dns');
const dns = require('node:dns');
const http = require('node:http');
const one = (name, options) => new Promise((resolve) => dns.lookup(name, options ?? {}, (err, address, family) => resolve(err ? err.code : options?.all ? address : { address, family })));
(async () => {
  const server = http.createServer((req, res) => res.end(req.headers.host));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = 'abc123.execute-api.localhost:' + server.address().port;
  const viaHttp = await new Promise((resolve, reject) => http.get('http://' + host + '/', (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(body)); }).on('error', reject));
  server.close();
  console.log(JSON.stringify({
    dnsLoadedEarly,
    lookup: await one('abc123.execute-api.localhost'),
    all: await one('x.lambda-url.us-east-1.localhost.', { all: true }),
    promises: await dns.promises.lookup('x.localhost'),
    viaHttp: viaHttp === host,
    other: await one('localhost', { family: 4 }),
  }));
})();
`;

describe("the Node.js runtime's *.localhost names", () => {
  for (const { major, node } of nodeBinaries()) {
    it(`on Node.js ${major}: every lookup answers the server's address, without loading node:dns first`, () => {
      const child = spawnSync(node, ['-e', SCRIPT], { encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/bin:/bin', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } });
      assert.equal(child.status, 0, child.stderr);
      assert.equal(child.stderr, '');
      assert.deepEqual(JSON.parse(child.stdout), {
        dnsLoadedEarly: false,
        lookup: { address: '127.0.0.1', family: 4 },
        all: [{ address: '127.0.0.1', family: 4 }],
        promises: { address: '127.0.0.1', family: 4 },
        viaHttp: true,
        other: { address: '127.0.0.1', family: 4 },
      });
    });
  }
});
