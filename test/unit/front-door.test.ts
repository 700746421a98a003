import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frontDoorTarget } from '../../src/api/front-door.js';

describe('front door addressing', () => {
  it('tells function URLs by host and by path', () => {
    assert.deepEqual(frontDoorTarget('abc123.lambda-url.us-east-1.localhost:9000', '/hello?x=1'), { kind: 'lambda-url', id: 'abc123', path: '/hello', query: 'x=1', hostBased: true });
    assert.deepEqual(frontDoorTarget('127.0.0.1:9000', '/lambda-url/abc123/a/b'), { kind: 'lambda-url', id: 'abc123', path: '/a/b', query: '', hostBased: false });
    assert.deepEqual(frontDoorTarget(undefined, '/lambda-url/abc123'), { kind: 'lambda-url', id: 'abc123', path: '/', query: '', hostBased: false });
  });

  it('tells execute-api by host, by /_aws/execute-api and by the legacy _user_request_ path', () => {
    assert.deepEqual(frontDoorTarget('a1b2c3.execute-api.localhost:4566', '/prod/items/7'), { kind: 'execute-api', id: 'a1b2c3', path: '/prod/items/7', query: '', hostBased: true });
    assert.deepEqual(frontDoorTarget('a1b2c3.execute-api.eu-west-1.localhost', '/'), { kind: 'execute-api', id: 'a1b2c3', path: '/', query: '', hostBased: true });
    assert.deepEqual(frontDoorTarget('127.0.0.1', '/_aws/execute-api/A1B2C3/prod/items?q=1'), { kind: 'execute-api', id: 'a1b2c3', path: '/prod/items', query: 'q=1', hostBased: false });
    assert.deepEqual(frontDoorTarget('127.0.0.1', '/restapis/a1b2c3/dev/_user_request_/pets'), { kind: 'execute-api', id: 'a1b2c3', path: '/dev/pets', query: '', hostBased: false });
  });

  it('leaves AWS API calls alone, the REST API control plane included', () => {
    assert.equal(frontDoorTarget('127.0.0.1:9000', '/2015-03-31/functions/f/invocations'), undefined);
    assert.equal(frontDoorTarget('127.0.0.1:9000', '/restapis/a1b2c3/resources'), undefined);
    assert.equal(frontDoorTarget('bucket.s3.localhost', '/key'), undefined);
  });
});
