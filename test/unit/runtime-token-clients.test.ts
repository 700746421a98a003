import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RuntimeClient } from '../../src/runtimes/nodejs/runtime-client.js';

// The bundled runtimes' Runtime API clients introduce each new connection with the endpoint's token
// (src/runtime-api/runtime-token.ts): on its first request, once.

/** A Runtime API stand-in: answers every request with an event, records each connection's request heads. */
function standIn(): { server: Server; heads: string[][] } {
  const heads: string[][] = [];
  const server = createServer((socket) => {
    const mine: string[] = [];
    heads.push(mine);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        buffered = buffered.slice(end + 4 + length);
        mine.push(head);
        socket.write('HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
  });
  return { server, heads };
}

describe("the bundled runtimes' Runtime API token", () => {
  const { server, heads } = standIn();
  let address = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  it('Node.js: on the first request of each connection, after its request line', async () => {
    heads.length = 0;
    const client = new RuntimeClient(address, 'tok_en-1');
    await client.next();
    const { posted, next } = client.reportThenNext('r', '{}');
    await Promise.all([posted, next]);
    client.close();
    const again = new RuntimeClient(address, 'tok_en-1');
    await again.next();
    again.close();
    assert.equal(heads.length, 2, 'two connections');
    assert.deepEqual(heads.map((h) => h.map((head) => head.split('\r\n')[1])), [
      ['Selfless-Runtime-Token: tok_en-1', 'Host: ' + address, 'Host: ' + address],
      ['Selfless-Runtime-Token: tok_en-1'],
    ]);
    assert.match(heads[0]![0]!, /^GET \/2018-06-01\/runtime\/invocation\/next HTTP\/1\.1\r\n/);
  });

  it('Node.js: without a token, or with one that could break the head, nothing is added', async () => {
    heads.length = 0;
    for (const token of [undefined, 'bad\r\nX-Injected: 1']) {
      const client = new RuntimeClient(address, token);
      await client.next();
      client.close();
    }
    assert.deepEqual(heads.map((h) => h.map((head) => /selfless-runtime-token|x-injected/i.test(head))), [[false], [false]]);
  });

  it('Python: on the first request of each connection', async () => {
    heads.length = 0;
    const bootstrap = new URL('../../../src/runtimes/python/bootstrap.py', import.meta.url).pathname;
    const script = [
      'import importlib.util, sys',
      'spec = importlib.util.spec_from_file_location("bootstrap", sys.argv[1])',
      'b = importlib.util.module_from_spec(spec); spec.loader.exec_module(b)',
      'c = b.RuntimeClient(sys.argv[2], "py_tok-2"); c.next(); c.next(); c._close(); c.next()',
      'b.RuntimeClient(sys.argv[2], "bad\\r\\nX-Injected: 1").next()',
    ].join('\n');
    await new Promise<void>((resolve, reject) =>
      execFile('python3', ['-c', script, bootstrap, address], { env: { PATH: '/usr/bin:/bin:/usr/local/bin', PYTHONDONTWRITEBYTECODE: '1' } }, (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve())),
    );
    assert.deepEqual(heads.map((h) => h.map((head) => head.split('\r\n')[1])), [
      ['Selfless-Runtime-Token: py_tok-2', `Host: ${address}`],
      ['Selfless-Runtime-Token: py_tok-2'],
      [`Host: ${address}`],
    ]);
  });
});
