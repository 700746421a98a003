import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { matchMethod } from '../../src/services/apigateway/gateway/match.js';
import { selectResponse } from '../../src/services/apigateway/gateway/mock.js';
import { evaluatePolicy, methodArn } from '../../src/services/apigateway/gateway/policy.js';
import { proxyAnswer } from '../../src/services/apigateway/gateway/proxy-response.js';
import { isBinaryType } from '../../src/services/apigateway/gateway/request.js';
import { GatewayResponse } from '../../src/services/apigateway/gateway/responses.js';
import { UsageMeter } from '../../src/services/apigateway/gateway/usage.js';
import type { MethodRecord, ResourceRecord, RestApiRecord } from '../../src/services/apigateway/model.js';

const method = (httpMethod: string): MethodRecord => ({ httpMethod, authorizationType: 'NONE', apiKeyRequired: false, methodResponses: {} });
const resource = (id: string, parentId: string | undefined, pathPart: string | undefined, path: string, methods: string[]): ResourceRecord => ({
  id,
  ...(parentId ? { parentId } : {}),
  ...(pathPart ? { pathPart } : {}),
  path,
  methods: Object.fromEntries(methods.map((m) => [m, method(m)])),
});

const api: RestApiRecord = {
  id: 'a',
  name: 'a',
  createdDate: 0,
  binaryMediaTypes: [],
  apiKeySource: 'HEADER',
  endpointTypes: ['EDGE'],
  disableExecuteApiEndpoint: false,
  tags: {},
  rootResourceId: 'root',
  authorizers: {},
  resources: Object.fromEntries(
    [
      resource('root', undefined, undefined, '/', ['GET']),
      resource('users', 'root', 'users', '/users', ['GET']),
      resource('user', 'users', '{id}', '/users/{id}', ['GET', 'DELETE']),
      resource('me', 'users', 'me', '/users/me', ['GET']),
      resource('proxy', 'root', '{proxy+}', '/{proxy+}', ['ANY']),
    ].map((r) => [r.id, r]),
  ),
};

describe('execute-api: matching a request to a resource and method', () => {
  it('prefers literals, then {param}, then {proxy+}; the own method before ANY', () => {
    assert.equal(matchMethod(api, '/users/me', 'GET')?.resource.id, 'me');
    assert.deepEqual(matchMethod(api, '/users/42', 'GET')?.pathParameters, { id: '42' });
    assert.deepEqual(matchMethod(api, '/users/a%20b', 'DELETE')?.pathParameters, { id: 'a b' });
    // DELETE /users/me: the literal has no DELETE, the {id} sibling has.
    assert.equal(matchMethod(api, '/users/me', 'DELETE')?.resource.id, 'user');
    // POST /users: no POST on /users, so the greedy root proxy takes it.
    assert.deepEqual(matchMethod(api, '/users', 'POST')?.pathParameters, { proxy: 'users' });
    assert.deepEqual(matchMethod(api, '/a/b/c', 'PUT')?.pathParameters, { proxy: 'a/b/c' });
    assert.equal(matchMethod(api, '/', 'GET')?.resource.id, 'root');
    assert.equal(matchMethod(api, '/', 'POST'), undefined, '{proxy+} needs at least one part');
  });
});

describe('execute-api: authorizer policies', () => {
  const arn = methodArn('us-east-1', '000000000000', 'api1', 'prod', 'GET', '/pets/1');
  const doc = (...statements: [string, string | string[], string?][]) => ({
    Version: '2012-10-17',
    Statement: statements.map(([Effect, Resource, Action]) => ({ Effect, Resource, Action: Action ?? 'execute-api:Invoke' })),
  });

  it('builds the method ARN without the leading slash', () => {
    assert.equal(arn, 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/GET/pets/1');
  });

  it('allows on a matching wildcard, denies explicitly over any allow, and denies implicitly otherwise', () => {
    assert.equal(evaluatePolicy(doc(['Allow', 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/*']), arn), 'allow');
    assert.equal(evaluatePolicy(doc(['Allow', 'arn:aws:execute-api:*:*:api1/*/GET/pets/?']), arn), 'allow');
    assert.equal(evaluatePolicy(doc(['Allow', '*'], ['Deny', [arn]]), arn), 'explicit-deny');
    assert.equal(evaluatePolicy(doc(['Allow', 'arn:aws:execute-api:us-east-1:000000000000:api1/prod/POST/*']), arn), 'implicit-deny');
    assert.equal(evaluatePolicy(doc(['Allow', '*', 's3:GetObject']), arn), 'implicit-deny', 'another action');
    assert.equal(evaluatePolicy(doc(['Allow', '*', 'execute-api:*']), arn), 'allow');
  });
});

describe('execute-api: Lambda proxy answers', () => {
  const answer = (result: unknown, accept?: string, types: string[] = []) => proxyAnswer(Buffer.from(JSON.stringify(result)), accept, types);
  const isBadGateway = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof GatewayResponse && e.status === 502);

  it('maps status, headers (multi-value first) and body; the server sets lengths', () => {
    const a = answer({ statusCode: 204, headers: { 'X-One': 1, 'Content-Length': '99' }, multiValueHeaders: { 'x-one': ['0'], 'Set-Cookie': ['a', 'b'] }, body: '' });
    assert.equal(a.status, 204);
    assert.deepEqual(a.headers, { 'x-one': ['0', '1'], 'Set-Cookie': ['a', 'b'], 'Content-Type': 'application/json' });
  });

  it('decodes a base64 body only for a binary type the client accepts or the answer declares', () => {
    const png = Buffer.from([1, 2, 3]);
    assert.deepEqual(answer({ statusCode: 200, body: png.toString('base64'), isBase64Encoded: true }, 'image/png', ['image/*']).body, png);
    assert.equal(answer({ statusCode: 200, body: png.toString('base64'), isBase64Encoded: true }, 'image/png', []).body.toString(), png.toString('base64'));
  });

  it('refuses anything API Gateway cannot map with its 502', () => {
    isBadGateway(() => answer({ body: 'no status' }));
    isBadGateway(() => answer({ statusCode: 200, body: { an: 'object' } }));
    isBadGateway(() => answer({ statusCode: 200, extra: 1 }));
    isBadGateway(() => answer('a string'));
    isBadGateway(() => proxyAnswer(Buffer.from('not json'), undefined, []));
  });

  it('matches binary media types with wildcards and parameters', () => {
    assert.equal(isBinaryType('image/png; q=1', ['image/*']), true);
    assert.equal(isBinaryType('application/json', ['*/*']), true);
    assert.equal(isBinaryType('text/plain', ['image/png']), false);
    assert.equal(isBinaryType(undefined, ['*/*']), false);
  });
});

describe('execute-api: integration responses and usage limits', () => {
  it('selects by whole-status pattern, else the default', () => {
    const responses = [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}' }, { statusCode: '500', selectionPattern: '5.*' }];
    assert.equal(selectResponse(responses, '404')?.statusCode, '400');
    assert.equal(selectResponse(responses, '503')?.statusCode, '500');
    assert.equal(selectResponse(responses, '201')?.statusCode, '200');
    assert.equal(selectResponse(responses, '4044')?.statusCode, '200', 'the pattern must match the whole status');
    assert.equal(selectResponse([{ statusCode: '400', selectionPattern: '4\\d{2}' }], '200'), undefined);
  });

  it('refills a token bucket at the rate up to the burst, and counts quotas per UTC period', () => {
    const clock = new ManualClock();
    const meter = new UsageMeter(clock);
    const throttle = { rateLimit: 2, burstLimit: 3 };
    assert.deepEqual([1, 2, 3, 4].map(() => meter.take('k', throttle)), [true, true, true, false]);
    clock.advance(500);
    assert.deepEqual([meter.take('k', throttle), meter.take('k', throttle)], [true, false]);
    clock.advance(60_000);
    assert.deepEqual([1, 2, 3, 4].map(() => meter.take('k', throttle)), [true, true, true, false], 'never more than the burst');
    const quotaClock = new ManualClock(Date.UTC(2026, 0, 31, 12));
    const quotas = new UsageMeter(quotaClock);
    const quota = { limit: 2, offset: 0, period: 'MONTH' as const };
    assert.deepEqual([1, 2, 3].map(() => quotas.count('q', quota)), [true, true, false]);
    quotaClock.advance(12 * 3_600_000); // February
    assert.equal(quotas.count('q', quota), true);
    assert.equal(quotas.used('q', quota), 1);
  });
});
