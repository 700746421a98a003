// The API port's lean HTTP/1.1 lane (src/api/http1-lane.ts), from a raw socket: keep-alive, pipelined
// and piecemeal requests, and the hand-over to node:http mid-connection for what the lane leaves to it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { RawConnection } from '../helpers/raw-http.js';

const invoke = (name: string, body: string, extra = '') =>
  `POST /2015-03-31/functions/${name}/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const listFunctions = 'GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('the API port: the lean HTTP/1.1 lane and node:http on one connection', () => {
  let t: TestPlatform;
  let port: number;

  before(async () => {
    t = await startTestPlatform();
    port = Number(new URL(t.platform.url).port);
    await createFunction(t.lambda, 'echo', 'echo');
  });
  after(() => t.stop(true));

  it('answers keep-alive requests in turn, then hands the connection to node:http at a chunked body, which answers the rest', async () => {
    const c = await RawConnection.open(port);
    try {
      c.socket.write(listFunctions);
      const listed = await c.answer();
      assert.equal(listed.status, 200);
      assert.deepEqual(JSON.parse(listed.body).Functions.map((f: { FunctionName: string }) => f.FunctionName), ['echo']);
      assert.equal(listed.headers.connection, 'keep-alive');
      assert.equal(listed.headers['keep-alive'], 'timeout=72');
      assert.match(listed.headers.date!, /GMT$/);
      c.socket.write(invoke('echo', '{"n":1}'));
      const first = await c.answer();
      assert.equal(first.status, 200);
      assert.deepEqual(JSON.parse(first.body).event, { n: 1 });
      // A chunked body is node:http's to read: the same connection goes on there.
      c.socket.write('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"n"\r\n3\r\n:2}\r\n0\r\n\r\n');
      const chunked = await c.answer();
      assert.equal(chunked.status, 200);
      assert.deepEqual(JSON.parse(chunked.body).event, { n: 2 });
      c.socket.write(invoke('echo', '{"n":3}'));
      const after = await c.answer();
      assert.equal(after.status, 200);
      assert.deepEqual(JSON.parse(after.body).event, { n: 3 });
      assert.equal(c.closed, false);
    } finally {
      c.close();
    }
  });

  it('answers pipelined requests in the order they came, across a hand-over', async () => {
    const c = await RawConnection.open(port);
    try {
      // Three in one write; the third repeats a header, which node:http joins: it takes over there.
      c.socket.write(invoke('echo', '{"n":1}') + invoke('echo', '{"n":2}') + invoke('echo', '{"n":3}', 'X-Custom: a\r\nX-Custom: b\r\n') + invoke('echo', '{"n":4}'));
      for (const n of [1, 2, 3, 4]) {
        const answer = await c.answer();
        assert.equal(answer.status, 200, `answer ${n}`);
        assert.deepEqual(JSON.parse(answer.body).event, { n });
      }
    } finally {
      c.close();
    }
  });

  it('reads a head and body that arrive a few bytes at a time', async () => {
    const c = await RawConnection.open(port);
    try {
      c.socket.setNoDelay(true);
      const bytes = Buffer.from(invoke('echo', JSON.stringify({ text: 'héllo wörld'.repeat(20) })));
      for (let i = 0; i < bytes.length; i += 37) {
        c.socket.write(bytes.subarray(i, i + 37));
        await sleep(1);
      }
      const answer = await c.answer();
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body).event, { text: 'héllo wörld'.repeat(20) });
    } finally {
      c.close();
    }
  });

  it('reads a body of megabytes arriving in many pieces', async () => {
    const c = await RawConnection.open(port);
    try {
      const text = 'abcdefghij'.repeat(300_000); // 3 MB
      const bytes = Buffer.from(invoke('echo', JSON.stringify({ text })));
      for (let i = 0; i < bytes.length; i += 64 * 1024) c.socket.write(bytes.subarray(i, i + 64 * 1024));
      const answer = await c.answer();
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body).event.text, text);
      c.socket.write(invoke('echo', '{"after":true}'));
      assert.deepEqual(JSON.parse((await c.answer()).body).event, { after: true });
    } finally {
      c.close();
    }
  });

  it("leaves what it does not serve to node:http: a head over node's limit, HTTP/1.0, Selfless's own routes", async () => {
    const big = await RawConnection.open(port);
    try {
      big.socket.write(`GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      assert.equal((await big.answer()).status, 431);
    } finally {
      big.close();
    }
    const old = await RawConnection.open(port);
    try {
      old.socket.write('GET /2015-03-31/functions HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
      const answer = await old.answer();
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body).Functions.length, 1);
    } finally {
      old.close();
    }
    const mixed = await RawConnection.open(port);
    try {
      mixed.socket.write(invoke('echo', '{"n":1}'));
      assert.deepEqual(JSON.parse((await mixed.answer()).body).event, { n: 1 });
      mixed.socket.write('GET /_selfless/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const health = await mixed.answer();
      assert.equal(health.status, 200);
    } finally {
      mixed.close();
    }
  });

  it('refuses a malformed Content-Length as node:http does, and serves the next connection', async () => {
    const c = await RawConnection.open(port);
    try {
      c.socket.write('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1x\r\n\r\n{}');
      assert.equal((await c.answer()).status, 400);
    } finally {
      c.close();
    }
    const next = await RawConnection.open(port);
    try {
      next.socket.write(invoke('echo', '{"ok":true}'));
      assert.deepEqual(JSON.parse((await next.answer()).body).event, { ok: true });
    } finally {
      next.close();
    }
  });

  it('leaves a space before a colon to node:http, which refuses it, as it refuses a request line with a space in its target', async () => {
    for (const bad of [
      'POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length : 2\r\n\r\n{}',
      'GET /2015-03-31/functions x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    ]) {
      const c = await RawConnection.open(port);
      try {
        c.socket.write(bad);
        assert.equal((await c.answer()).status, 400, JSON.stringify(bad));
      } finally {
        c.close();
      }
    }
  });

  it('goes on serving after a client leaves halfway through a body', async () => {
    const gone = await RawConnection.open(port);
    gone.socket.write('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"n":');
    await sleep(20);
    gone.close();
    const c = await RawConnection.open(port);
    try {
      c.socket.write(invoke('echo', '{"n":5}'));
      assert.deepEqual(JSON.parse((await c.answer()).body).event, { n: 5 });
    } finally {
      c.close();
    }
  });
});
