import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { answers, MAX_RESPONSE_BYTES } from '../../src/runtime-api/rendering.js';
import type { RuntimeApiHandler } from '../../src/runtime-api/routes.js';
import { startRuntimeApi, type RuntimeApiEndpoint } from '../../src/runtime-api/server.js';
import { run } from '../helpers/run.js';

/** A Runtime API endpoint whose environment records what it was told. */
function recorder() {
  const calls: { kind: string; id?: string; body: Buffer; oversized: boolean; errorType?: string }[] = [];
  const streams = new Map<string, { contentType: string | undefined; chunks: Buffer[]; trailers: ReadonlyMap<string, string> | undefined; aborted: boolean }>();
  const handler: RuntimeApiHandler = {
    next: (deliver) => {
      deliver('Lambda-Runtime-Aws-Request-Id: r1\r\n', Buffer.from('{"n":1}'));
      return undefined;
    },
    response: (id, body, oversized) => {
      calls.push({ kind: 'response', id, body, oversized });
      return oversized ? answers.tooLarge() : answers.accepted();
    },
    error: (id, errorType, body, oversized) => {
      calls.push({ kind: 'error', id, body, oversized, ...(errorType ? { errorType } : {}) });
      return answers.accepted();
    },
    initError: (errorType, body, oversized) => {
      calls.push({ kind: 'init', body, oversized, ...(errorType ? { errorType } : {}) });
      return answers.accepted();
    },
    responseStream: (id, contentType) => {
      if (id === 'refused') return answers.invalidRequestId();
      const chunks: Buffer[] = [];
      streams.set(id, { contentType, chunks, trailers: undefined, aborted: false });
      return { chunk: (data) => chunks.push(Buffer.from(data)), abort: () => (streams.get(id)!.aborted = true) };
    },
    responseStreamEnd: (id, trailers) => {
      streams.get(id)!.trailers = trailers;
      return answers.accepted();
    },
  };
  return { calls, handler, streams };
}

/** Writes raw bytes and collects everything the server answers until it closes or `until` matches. */
function raw(address: string, bytes: string | Buffer, until: RegExp): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), host!, () => s.write(bytes));
    let data = '';
    s.on('data', (d) => {
      data += d.toString('latin1');
      if (until.test(data)) {
        s.destroy();
        resolve(data);
      }
    });
    s.on('close', () => resolve(data));
    s.on('error', reject);
  });
}

describe('the Runtime API HTTP/1.1 codec', () => {
  let api: RuntimeApiEndpoint;
  const rec = recorder();
  before(async () => {
    api = await startRuntimeApi('127.0.0.1', rec.handler);
  });
  after(() => api.close());

  it('serves /next with the event and headers, in one response with Content-Length', async () => {
    const res = await run('curl', ['-s', '-i', `http://${api.address}/2018-06-01/runtime/invocation/next`]);
    assert.match(res.stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(res.stdout, /\r\nLambda-Runtime-Aws-Request-Id: r1\r\n/);
    assert.match(res.stdout, /\r\nContent-Length: 7\r\n\r\n\{"n":1\}$/);
  });

  it('reads chunked bodies as curl and libcurl send them', async () => {
    const res = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Transfer-Encoding: chunked', '-H', 'Lambda-Runtime-Function-Error-Type: Custom.Err',
      '--data-binary', '{"errorType":"Custom.Err","errorMessage":"chunked"}', `http://${api.address}/2018-06-01/runtime/invocation/abc-1/error`]);
    assert.equal(res.stdout, '202');
    const call = rec.calls.find((c) => c.kind === 'error')!;
    assert.equal(call.id, 'abc-1');
    assert.equal(call.errorType, 'Custom.Err');
    assert.equal(call.body.toString(), '{"errorType":"Custom.Err","errorMessage":"chunked"}');
  });

  it('answers keep-alive requests in order on one connection, including pipelined ones', async () => {
    const req = (id: string) => `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`;
    const out = await raw(api.address, req('p1') + req('p2') + req('p3'), /(HTTP\/1\.1 202[\s\S]*){3}/);
    assert.equal(out.match(/HTTP\/1\.1 202 Accepted/g)?.length, 3);
    assert.deepEqual(rec.calls.filter((c) => c.kind === 'response').map((c) => c.id), ['p1', 'p2', 'p3']);
  });

  it('sends the 202 of a response with the answer to the /next pipelined behind it, in one write, and at once when nothing is', async () => {
    let release: (() => void) | undefined;
    const held = await startRuntimeApi('127.0.0.1', {
      ...rec.handler,
      next: (deliver) => {
        release = () => deliver('Lambda-Runtime-Aws-Request-Id: r2\r\n', Buffer.from('{"n":2}'));
        return undefined;
      },
    });
    try {
      const [host, port] = held.address.split(':');
      const socket = connect(Number(port), host!);
      const chunks: string[] = [];
      const arrived = (n: number) => new Promise<void>((resolve) => {
        const check = () => (chunks.length >= n ? resolve() : setTimeout(check, 5));
        check();
      });
      socket.on('data', (d) => chunks.push(d.toString('latin1')));
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      // Not pipelined: the 202 comes back alone, before anything else is asked.
      socket.write('POST /2018-06-01/runtime/invocation/q1/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
      await arrived(1);
      assert.match(chunks[0]!, /^HTTP\/1\.1 202 Accepted\r\n[\s\S]*\{"status":"OK"\}$/);
      // Pipelined: the response and the ask for the next event in one write.
      socket.write(
        'POST /2018-06-01/runtime/invocation/q2/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}' +
          'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n',
      );
      await new Promise<void>((resolve) => {
        const check = () => (release !== undefined ? resolve() : setTimeout(check, 5));
        check();
      });
      assert.ok(rec.calls.some((c) => c.kind === 'response' && c.id === 'q2'), 'the response reached the environment before the next event was asked for');
      assert.equal(chunks.length, 1, 'nothing more is written while the poll waits');
      release!();
      await arrived(2);
      socket.destroy();
      assert.match(chunks[1]!, /^HTTP\/1\.1 202 Accepted\r\n[\s\S]*\{"status":"OK"\}HTTP\/1\.1 200 OK\r\n[\s\S]*\{"n":2\}$/);
    } finally {
      held.close();
    }
  });

  it('refuses a body over the limit with 413 and closes, without reading it', async () => {
    const head = `POST /2018-06-01/runtime/invocation/big/response HTTP/1.1\r\nHost: x\r\nContent-Length: ${MAX_RESPONSE_BYTES + 1}\r\n\r\n`;
    const out = await raw(api.address, head, /\r\n\r\n\{.*\}$/);
    assert.match(out, /^HTTP\/1\.1 413 /);
    assert.match(out, /Connection: close/);
    assert.ok(rec.calls.some((c) => c.id === 'big' && c.oversized));
  });

  it('answers 400 to malformed requests, 431 to oversized heads, 500 when the environment is going away', async () => {
    assert.match(await raw(api.address, 'NONSENSE\r\n\r\n', /\}$/), /^HTTP\/1\.1 400 /);
    assert.match(await raw(api.address, 'POST /2018-06-01/runtime/init/error HTTP/1.1\r\nContent-Length: abc\r\n\r\n', /\}$/), /^HTTP\/1\.1 400 /);
    assert.match(
      await raw(api.address, 'POST /2018-06-01/runtime/init/error HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /\}$/),
      /^HTTP\/1\.1 400 /,
    );
    assert.match(await raw(api.address, `GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`, /\}$/), /^HTTP\/1\.1 431 /);
    const gone = await startRuntimeApi('127.0.0.1', { ...rec.handler, next: () => answers.containerError() });
    try {
      const res = await run('curl', ['-s', '-w', ' %{http_code}', `http://${gone.address}/2018-06-01/runtime/invocation/next`]);
      assert.match(res.stdout, /"errorType":"Runtime.ExitError".* 500$/);
    } finally {
      gone.close();
    }
    const badId = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-d', '{}', `http://${api.address}/2018-06-01/runtime/invocation/bad%20id/response`]);
    assert.equal(badId.stdout, '400');
  });

  it('hands a streamed response to the environment chunk by chunk, with its trailers, and refuses one for an unknown request', async () => {
    const head = (id: string) =>
      `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n` +
      'Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\n\r\n';
    const body = '5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nLambda-Runtime-Function-Error-Type: Oops\r\nLambda-Runtime-Function-Error-Body: e30=\r\n\r\n';
    const res = await raw(api.address, head('s1') + body, /\r\n\r\n[\s\S]*\}/);
    assert.match(res, /^HTTP\/1\.1 202 /);
    const s1 = rec.streams.get('s1')!;
    assert.equal(s1.contentType, 'text/plain');
    assert.deepEqual(s1.chunks.map((c) => c.toString()), ['hello', ' ', 'world']);
    assert.deepEqual([...(s1.trailers ?? [])], [['lambda-runtime-function-error-type', 'Oops'], ['lambda-runtime-function-error-body', 'e30=']]);
    const refused = await raw(api.address, head('refused') + '3\r\nabc\r\n0\r\n\r\n', /\r\n\r\n[\s\S]*\}/);
    assert.match(refused, /^HTTP\/1\.1 400 /);
  });
});

describe('Runtime API admission', () => {
  const rec = recorder();
  const checked: number[] = [];
  let api: RuntimeApiEndpoint;
  // The process-tree check says no to everyone here: only the token gets a connection in.
  before(async () => {
    api = await startRuntimeApi('127.0.0.1', rec.handler, async (clientPort) => {
      checked.push(clientPort);
      return false;
    });
  });
  after(() => api.close());
  const next = (headers = '') => `GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: 0\r\n\r\n`;

  it('admits a connection whose first request carries the endpoint token, without checking its process tree, and serves every request on it', async () => {
    const before = checked.length;
    const out = await raw(api.address, next(`selfless-runtime-token: ${api.token}\r\n`) + next(), /(HTTP\/1\.1 200[\s\S]*?\{"n":1\}){2}/);
    assert.equal(out.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
    assert.equal(checked.length, before, 'no process-tree check');
  });

  it('admits the token split across writes, as a slow sender sends it', async () => {
    const [host, port] = api.address.split(':');
    const out = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(port), host!, () => {
        const head = next(`Selfless-Runtime-Token: ${api.token}\r\n`);
        s.write(head.slice(0, 30));
        setTimeout(() => s.write(head.slice(30)), 50);
      });
      let data = '';
      s.on('data', (d) => {
        data += d.toString('latin1');
        if (data.includes('{"n":1}')) {
          s.destroy();
          resolve(data);
        }
      });
      s.on('close', () => resolve(data));
      s.on('error', reject);
    });
    assert.match(out, /^HTTP\/1\.1 200 OK\r\n/);
  });

  it('checks the process tree of a connection without the token, or with another, and closes it when it is not the environment\'s', async () => {
    for (const headers of ['', 'Selfless-Runtime-Token: not-the-token\r\n', `Selfless-Runtime-Token: ${api.token.slice(0, -1)}X\r\n`]) {
      const before = checked.length;
      const out = await raw(api.address, next(headers), /HTTP\/1\.1/);
      assert.equal(out, '', `closed unanswered (${headers || 'no token'})`);
      assert.equal(checked.length, before + 1, 'the process tree was checked');
    }
  });

  it('gives each endpoint a token of its own', async () => {
    const other = await startRuntimeApi('127.0.0.1', rec.handler, async () => false);
    try {
      assert.notEqual(other.token, api.token);
      assert.match(api.token, /^[A-Za-z0-9_-]{32}$/);
      const out = await raw(other.address, next(`Selfless-Runtime-Token: ${api.token}\r\n`), /HTTP\/1\.1/);
      assert.equal(out, '', "another endpoint's token does not open this one");
    } finally {
      other.close();
    }
  });
});
