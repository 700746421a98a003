import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateResourceCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  PutIntegrationResponseCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { ManualClock } from '../../src/lib/clock.js';
import { apiGatewayClient, deploy, httpCall, lambdaUri } from '../helpers/execute-api.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('REST APIs: Lambda authorizers (TOKEN and REQUEST)', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let apiId: string;
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
  const call = (path: string, headers: Record<string, string> = {}) => httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod${path}`, { headers });

  before(async () => {
    t = await startTestPlatform({}, undefined, { apigatewayClock: clock });
    client = apiGatewayClient(t.platform.url);
    await createFunction(t.lambda, 'authz', 'apigw-authorizer');
    await createFunction(t.lambda, 'backend', 'apigw-proxy');
    const api = await client.send(new CreateRestApiCommand({ name: 'guarded' }));
    apiId = api.id!;
    const token = await client.send(
      new CreateAuthorizerCommand({ restApiId: apiId, name: 'token', type: 'TOKEN', authorizerUri: lambdaUri('authz'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300 }),
    );
    const request = await client.send(
      new CreateAuthorizerCommand({ restApiId: apiId, name: 'request', type: 'REQUEST', authorizerUri: lambdaUri('authz'), identitySource: 'method.request.querystring.auth', authorizerResultTtlInSeconds: 0 }),
    );
    for (const [part, authorizerId] of [['t', token.id!], ['r', request.id!]] as const) {
      const parent = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId, pathPart: part }));
      const proxy = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: parent.id, pathPart: '{proxy+}' }));
      await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'CUSTOM', authorizerId }));
      await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: proxy.id, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('backend') }));
    }
    await deploy(client, apiId, 'prod');
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('lists the authorizers as created', async () => {
    const { items } = await client.send(new GetAuthorizersCommand({ restApiId: apiId }));
    assert.deepEqual(items?.map((a) => [a.name, a.type, a.authorizerResultTtlInSeconds]).sort(), [['request', 'REQUEST', 0], ['token', 'TOKEN', 300]]);
  });

  it("TOKEN: an Allow reaches the integration with the authorizer's principalId and context", async () => {
    const res = await call('/t/pets', { Authorization: 'allow' });
    assert.equal(res.status, 201);
    const authorizer = (res.json() as Event)['requestContext'].authorizer;
    assert.equal(authorizer.principalId, 'user-42');
    assert.equal(authorizer.tier, 'gold');
    assert.equal(authorizer.admin, true);
    assert.equal(typeof authorizer.calls, 'number');
  });

  it("TOKEN: API Gateway's 401 and 403 answers, and 500 for a broken authorizer", async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{}, 401, '{"message":"Unauthorized"}'],
      [{ Authorization: 'unauthorized' }, 401, '{"message":"Unauthorized"}'],
      [{ Authorization: 'deny' }, 403, '{"Message":"User is not authorized to access this resource with an explicit deny"}'],
      [{ Authorization: 'other-method' }, 403, '{"Message":"User is not authorized to access this resource"}'],
      [{ Authorization: 'malformed' }, 500, '{"message":null}'],
      [{ Authorization: 'broken' }, 500, '{"message":null}'],
    ];
    for (const [headers, status, body] of cases) {
      const res = await call('/t/pets', headers);
      assert.equal(res.status, status, JSON.stringify(headers));
      assert.equal(res.text, body, JSON.stringify(headers));
      assert.ok(res.headers['x-amzn-requestid'] && res.headers['x-amz-apigw-id']);
    }
  });

  it('TOKEN: the policy is cached by token for the TTL and evaluated against each method ARN', async () => {
    const first = (await call('/t/a', { Authorization: 'allow-all' })).json() as Event;
    const second = (await call('/t/b/c', { Authorization: 'allow-all' })).json() as Event;
    assert.equal(second['requestContext'].authorizer.calls, first['requestContext'].authorizer.calls, 'the second request used the cached policy');
    // The policy 'allow' gave for /t/pets (cached by the test above) names only that method's ARN,
    // so it refuses another method while it is cached: as on AWS.
    assert.equal((await call('/t/pets', { Authorization: 'allow' })).status, 201);
    assert.equal((await call('/t/y', { Authorization: 'allow' })).status, 403);
    clock.advance(301_000);
    const third = (await call('/t/a', { Authorization: 'allow-all' })).json() as Event;
    assert.ok(third['requestContext'].authorizer.calls > first['requestContext'].authorizer.calls, 'past the TTL the authorizer runs again');
    assert.equal((await call('/t/y', { Authorization: 'allow' })).status, 201, 'a fresh policy for the other method');
  });

  it('REQUEST: the authorizer gets the request (headers, query, path) and a missing identity source is 401', async () => {
    const res = await call('/r/items?auth=echo-request&x=1', { 'X-Trace': 'abc' });
    assert.equal(res.status, 201);
    const seen = JSON.parse((res.json() as Event)['requestContext'].authorizer.seen);
    assert.equal(seen.type, 'REQUEST');
    assert.equal(seen.path, '/r/items');
    assert.equal(seen.headers['X-Trace'], 'abc');
    assert.deepEqual(seen.query, { auth: 'echo-request', x: '1' });
    const missing = await call('/r/items');
    assert.ok(missing.headers['x-amzn-requestid']);
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), { message: 'Unauthorized' });
    assert.equal((await call('/r/items?auth=deny')).status, 403);
  });

  it('with apiKeySource AUTHORIZER, the key is the usageIdentifierKey the authorizer returns', async () => {
    const keyed = await client.send(new CreateRestApiCommand({ name: 'keyed', apiKeySource: 'AUTHORIZER' }));
    const restApiId = keyed.id!;
    const authorizer = await client.send(
      new CreateAuthorizerCommand({ restApiId, name: 'req', type: 'REQUEST', authorizerUri: lambdaUri('authz'), identitySource: 'method.request.querystring.auth', authorizerResultTtlInSeconds: 0 }),
    );
    await client.send(new PutMethodCommand({ restApiId, resourceId: keyed.rootResourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id, apiKeyRequired: true }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: keyed.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId: keyed.rootResourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"in": true}' } }));
    await deploy(client, restApiId, 'prod');
    const key = await client.send(new CreateApiKeyCommand({ name: 'via-authorizer', enabled: true }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'authz-plan', apiStages: [{ apiId: restApiId, stage: 'prod' }] }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const url = `/_aws/execute-api/${restApiId}/prod/?auth=with-key`;
    const ok = await httpCall(t.platform.url, url, { headers: { 'x-key-for-authorizer': key.value! } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { in: true });
    const wrong = await httpCall(t.platform.url, url, { headers: { 'x-key-for-authorizer': 'not-a-key-0123456789', 'x-api-key': key.value! } });
    assert.equal(wrong.status, 403, 'the x-api-key header does not count when the authorizer is the source');
    assert.deepEqual(wrong.json(), { message: 'Forbidden' });
  });
});
