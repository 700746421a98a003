import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute, parseRouteKey } from '../../src/services/apigatewayv2/route-key.js';

const table = (keys: string[]) => keys.map((k) => ({ route: k, key: parseRouteKey(k) }));

describe('HTTP API route keys', () => {
  it('parses methods, literal, parameter and greedy segments, and refuses malformed keys', () => {
    assert.equal(parseRouteKey('$default'), undefined);
    assert.deepEqual(parseRouteKey('GET /pets/{id}'), { method: 'GET', segments: [{ kind: 'literal', text: 'pets' }, { kind: 'param', name: 'id' }] });
    assert.deepEqual(parseRouteKey('ANY /{proxy+}'), { method: 'ANY', segments: [{ kind: 'greedy', name: 'proxy' }] });
    assert.deepEqual(parseRouteKey('GET /'), { method: 'GET', segments: [] });
    for (const bad of ['FETCH /x', 'GET pets', 'GET /{proxy+}/x', 'GET /a//b', 'get /x']) assert.throws(() => parseRouteKey(bad), { name: 'BadRequestException' }, bad);
  });

  it('ranks as API Gateway does: literal over {param} over {proxy+}, method over ANY, $default last', () => {
    const routes = table(['$default', 'ANY /{proxy+}', 'GET /pets/{id}', 'GET /pets/dog', 'ANY /pets/{id}', 'GET /pets/{id}/toys/{toy+}', 'GET /']);
    const pick = (method: string, path: string) => matchRoute(routes, method, path);
    assert.deepEqual(pick('GET', '/pets/dog'), { route: 'GET /pets/dog', pathParameters: {} });
    assert.deepEqual(pick('GET', '/pets/cat'), { route: 'GET /pets/{id}', pathParameters: { id: 'cat' } });
    assert.deepEqual(pick('PUT', '/pets/cat'), { route: 'ANY /pets/{id}', pathParameters: { id: 'cat' } });
    assert.deepEqual(pick('GET', '/pets/cat/toys/a/b'), { route: 'GET /pets/{id}/toys/{toy+}', pathParameters: { id: 'cat', toy: 'a/b' } });
    assert.deepEqual(pick('GET', '/pets/cat/toys'), { route: 'ANY /{proxy+}', pathParameters: { proxy: 'pets/cat/toys' } }, '{toy+} takes at least one segment');
    assert.deepEqual(pick('GET', '/'), { route: 'GET /', pathParameters: {} });
    assert.deepEqual(pick('POST', '/'), { route: '$default', pathParameters: {} }, '{proxy+} does not match the root');
    assert.deepEqual(pick('GET', '/a%2Fb/c'), { route: 'ANY /{proxy+}', pathParameters: { proxy: 'a/b/c' } });
    assert.equal(matchRoute(table(['GET /only']), 'GET', '/other'), undefined);
  });
});
