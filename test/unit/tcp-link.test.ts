import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeBinaries, ROOT } from '../helpers/node-binaries.js';

// The Runtime API client's connection on every Node.js major the runtimes use: each scenario runs
// in a child process of that major, against a server of its own, and prints what it saw.
const linkModule = join(ROOT, 'dist/src/runtimes/nodejs/tcp-link.js');

const SCENARIOS = `
const net = require('node:net');
const { connectLink } = require(${JSON.stringify(linkModule)});
const loadedNetBefore = process.moduleLoadList.includes('NativeModule net');
const result = { loadedNetBefore };
const exchange = (host, port, message, { until } = {}) => new Promise((resolve) => {
  let received = '';
  const link = connectLink(host, port, {
    data: (chunk) => {
      received += chunk.toString();
      if (until !== undefined && received.includes(until)) link.destroy();
    },
    close: (error) => resolve({ kind: link.kind, received, error: error ? { code: error.code, message: error.message } : null }),
  });
  link.write(message);
});
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  let seen = '';
  socket.on('data', (chunk) => {
    seen += chunk.toString('latin1');
    if (seen.startsWith('BIG')) { socket.end('413 early\\n'); return; }
    const lines = seen.split('\\n');
    seen = lines.pop();
    for (const line of lines) line === 'bye' ? socket.end('bye\\n') : socket.write('echo ' + line + '\\n');
  });
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  // Two writes queued before the connection is up, then the end of the conversation.
  const onHandle = await exchange('127.0.0.1', port, 'one\\ntwo\\nbye\\n');
  result.handle = onHandle;
  result.loadedNetByHandle = process.moduleLoadList.includes('NativeModule net') !== loadedNetBefore;
  // A 6.4 MB write the server answers and closes in the middle of.
  result.big = await exchange('127.0.0.1', port, 'BIG' + 'x'.repeat(6_400_000));
  result.afterBig = await exchange('127.0.0.1', port, 'three\\nbye\\n');
  result.byName = await exchange('localhost', port, 'four\\nbye\\n');
  const closed = net.createServer();
  closed.listen(0, '127.0.0.1', async () => {
    const refusedPort = closed.address().port;
    closed.close(async () => {
      result.refused = await exchange('127.0.0.1', refusedPort, 'x\\n');
      result.destroyed = await exchange('127.0.0.1', port, 'five\\n', { until: 'echo five' });
      server.close();
      console.log(JSON.stringify(result));
    });
  });
});
`;

function run(node: string, args: string[] = []) {
  const child = spawnSync(node, [...args, '-e', SCENARIOS], { encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin' } });
  assert.equal(child.status, 0, `exit ${child.status} ${child.signal ?? ''}: ${child.stderr}`);
  return { result: JSON.parse(child.stdout.trim()), stderr: child.stderr };
}

describe('the Node.js runtime\'s Runtime API connection', () => {
  for (const { major, node } of nodeBinaries()) {
    it(`on Node.js ${major}: Node.js's TCP handle for an IP address, without loading node:net; a socket for a name`, () => {
      const { result, stderr } = run(node);
      assert.equal(stderr, '');
      assert.deepEqual(result.handle, { kind: 'handle', received: 'echo one\necho two\nbye\n', error: null });
      assert.equal(result.loadedNetByHandle, false, 'node:net stays unloaded');
      assert.equal(result.big.kind, 'handle');
      assert.match(result.big.received, /^413 early\n$|^$/);
      assert.deepEqual(result.afterBig, { kind: 'handle', received: 'echo three\nbye\n', error: null });
      assert.deepEqual(result.byName, { kind: 'socket', received: 'echo four\nbye\n', error: null });
      assert.equal(result.refused.kind, 'handle');
      assert.equal(result.refused.error?.code, 'ECONNREFUSED');
      assert.deepEqual(result.destroyed, { kind: 'handle', received: 'echo five\n', error: null });
    });
  }

  it('falls back to a socket, silently, where process.binding would warn (--pending-deprecation)', () => {
    const { result, stderr } = run(process.execPath, ['--pending-deprecation']);
    assert.equal(stderr, '');
    assert.equal(result.handle.kind, 'socket');
    assert.equal(result.handle.received, 'echo one\necho two\nbye\n');
    assert.equal(result.refused.error?.code, 'ECONNREFUSED');
  });
});
