import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapResultV1, mapResultV2 } from '../../src/services/apigatewayv2/http/responses.js';

const p = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('HTTP API result mapping', () => {
  it('2.0: a result without statusCode is a 200 application/json whose body is the result', () => {
    assert.deepEqual(mapResultV2(p({ a: 1 })), { status: 200, headers: { 'content-type': 'application/json' }, body: p({ a: 1 }) });
    assert.equal(mapResultV2(p('hello')).body, 'hello');
    assert.equal(mapResultV2(p([1, 2])).status, 200);
    assert.equal(mapResultV2(Buffer.from('not json')).status, 500);
  });

  it('2.0: a full response keeps its status, headers, cookies and base64 body', () => {
    const r = mapResultV2(p({ statusCode: 201, headers: { 'X-A': 'b', n: 1 }, cookies: ['c=1'], body: Buffer.from([1, 2]).toString('base64'), isBase64Encoded: true }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.headers, { 'x-a': 'b', n: '1', 'set-cookie': ['c=1'], 'content-type': 'application/json' });
    assert.deepEqual(r.body, Buffer.from([1, 2]));
    assert.equal(mapResultV2(p({ statusCode: 99 })).status, 500);
  });

  it('2.0: the common shape and what only the schema accepts give the same answers; what neither accepts is a 500', () => {
    const plain = mapResultV2(p({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hi' }));
    assert.deepEqual(plain, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' });
    // A string status and a number header value are converted by the schema.
    assert.deepEqual(mapResultV2(p({ statusCode: '200', headers: { 'Content-Type': 'text/plain', n: 2 }, body: 'hi' })), { ...plain, headers: { 'content-type': 'text/plain', n: '2' } });
    assert.deepEqual(mapResultV2(p({ statusCode: 204, headers: null, cookies: null, body: null, extra: true })), { status: 204, headers: { 'content-type': 'application/json' }, body: '' });
    for (const bad of [{ statusCode: 200.5 }, { statusCode: 'abc' }, { statusCode: 200, body: 1 }, { statusCode: 200, headers: { a: {} } }, { statusCode: 200, cookies: 'c=1' }, { statusCode: 200, isBase64Encoded: 'yes' }, { statusCode: 700 }]) {
      assert.equal(mapResultV2(p(bad)).status, 500, JSON.stringify(bad));
    }
  });

  it('1.0: statusCode is required; multiValueHeaders join the headers', () => {
    assert.equal(mapResultV1(p({ a: 1 })).status, 500);
    const r = mapResultV1(p({ statusCode: '404', headers: { a: '1' }, multiValueHeaders: { b: ['x', 'y'], 'Set-Cookie': ['s=1', 't=2'] }, body: 'nope' }));
    assert.equal(r.status, 404);
    assert.deepEqual(r.headers, { a: '1', b: 'x,y', 'set-cookie': ['s=1', 't=2'], 'content-type': 'application/json' });
    assert.equal(r.body, 'nope');
  });
});
