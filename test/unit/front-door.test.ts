import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrontDoors, frontDoorTarget } from '../../src/api/front-door.js';
import { publicUrls } from '../../src/api/public-url.js';
import { resolveMapping } from '../../src/services/apigateway/domains/resolve.js';

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

describe('public addresses', () => {
  it('names front doors under the public host name, path-based under an IP address', () => {
    const byName = publicUrls(undefined, 'http://127.0.0.1:9000', 'us-east-1');
    assert.equal(byName.base, 'http://127.0.0.1:9000');
    assert.equal(byName.functionUrl('abc'), 'http://abc.lambda-url.us-east-1.localhost:9000/');
    assert.equal(byName.apiEndpoint('a1'), 'http://a1.execute-api.localhost:9000');
    assert.equal(byName.apiEndpoint('a1', 'ws'), 'ws://a1.execute-api.localhost:9000');
    const custom = publicUrls('https://selfless.example', 'http://127.0.0.1:9000', 'eu-west-1');
    assert.equal(custom.base, 'https://selfless.example');
    assert.equal(custom.functionUrl('abc'), 'https://abc.lambda-url.eu-west-1.selfless.example/');
    const ip = publicUrls('http://10.0.0.5:8080', 'http://127.0.0.1:9000', 'us-east-1');
    assert.equal(ip.functionUrl('abc'), 'http://10.0.0.5:8080/lambda-url/abc/');
    assert.equal(ip.apiEndpoint('a1'), 'http://10.0.0.5:8080/_aws/execute-api/a1');
  });

  it('tells front doors under a custom public host, and only under the hosts it was given', () => {
    const doors = new FrontDoors(['selfless.example']);
    assert.deepEqual(doors.target('abc.lambda-url.us-east-1.selfless.example:8080', '/x'), { kind: 'lambda-url', id: 'abc', path: '/x', query: '', hostBased: true });
    assert.deepEqual(doors.target('a1.execute-api.selfless.example', '/prod/x'), { kind: 'execute-api', id: 'a1', path: '/prod/x', query: '', hostBased: true });
    assert.deepEqual(doors.target('abc.lambda-url.us-east-1.localhost', '/'), { kind: 'lambda-url', id: 'abc', path: '/', query: '', hostBased: true });
    assert.equal(doors.target('abc.lambda-url.us-east-1.elsewhere.example', '/x'), undefined);
    assert.equal(new FrontDoors().target('abc.lambda-url.us-east-1.selfless.example', '/x'), undefined);
  });
  it('asks the store about custom domains only for hosts that may be one, and the path form', () => {
    const doors = new FrontDoors(['selfless.example.com']);
    assert.equal(doors.mayBeDomain('api.example.com', '/x'), false, 'no domain router: never');
    doors.domains = { route: async () => undefined };
    assert.equal(doors.mayBeDomain('api.example.com:9000', '/x'), true);
    assert.equal(doors.mayBeDomain(undefined, '/_aws/domain/api.example.com/x'), true);
    for (const host of ['127.0.0.1:9000', 'localhost:9000', '[::1]:9000', 'selfless.example.com', 'SELFLESS.example.com:443', undefined]) {
      assert.equal(doors.mayBeDomain(host, '/2015-03-31/functions'), false, String(host));
    }
  });

  it('picks the longest mapping key that leads the path, whole segments only', () => {
    const m = (id: string, key: string) => ({ id, key, apiId: id, stage: 's' });
    const mappings = [m('root', ''), m('v1', 'v1'), m('orders', 'v1/orders')];
    const pick = (path: string) => {
      const r = resolveMapping(mappings, path);
      return r && [r.mapping.id, r.rest];
    };
    assert.deepEqual(pick('/v1/orders/7'), ['orders', '/7']);
    assert.deepEqual(pick('/v1/orders'), ['orders', '/']);
    assert.deepEqual(pick('/v1/ordersx'), ['v1', '/ordersx']);
    assert.deepEqual(pick('/v1'), ['v1', '/']);
    assert.deepEqual(pick('/v10'), ['root', '/v10']);
    assert.deepEqual(pick('/'), ['root', '/']);
    assert.equal(resolveMapping([m('v1', 'v1')], '/v2/x'), undefined);
  });
});
