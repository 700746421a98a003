/**
 * HTTP API authorizers over real HTTP: JWT (tokens signed with jose, checked against a JWKS that a
 * small node:http server in the test publishes through OpenID discovery) and Lambda REQUEST
 * authorizers (simple responses with payload 2.0, IAM policies with payload 1.0, cached by identity).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { zipEntries } from '../../src/code/zip-dir.js';
import { CREDENTIALS, createFunction, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';
import { signedCall } from '../helpers/sign.js';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
type Echo = { event: Record<string, any> };

const SIMPLE_AUTHORIZER = `let calls = 0;
exports.handler = async (event) => {
  calls++;
  const token = event.headers.authorization;
  return token === 'allow' || token === 'cached' ? { isAuthorized: true, context: { user: 'alice', calls } } : { isAuthorized: false };
};`;
const POLICY_AUTHORIZER = `exports.handler = async (event) => {
  if (event.authorizationToken === 'anonymous') throw new Error('Unauthorized');
  if (event.authorizationToken === 'broken') throw new Error('bug');
  return {
  principalId: 'bob',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn.replace(/\\/[^/]+\\/[^/]+$/, '/*/*') }] },
  context: { tier: 'gold', version: event.version },
};
};`;

describe('HTTP APIs: authorizers', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  let jwks: Server;
  let keyFetches = 0;
  let issuer = '';
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      if (req.url === '/keys') keyFetches += 1;
      const body = req.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/keys` } : req.url === '/keys' ? { keys: [jwk] } : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    t = await startTestPlatform();
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await createFunction(t.lambda, 'echo-api', 'apigw-echo');
    for (const [name, code] of [['simple-auth', SIMPLE_AUTHORIZER], ['policy-auth', POLICY_AUTHORIZER]] as const) {
      await t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': code }) } }));
      await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
    }
  });
  after(async () => {
    apigw.destroy();
    await t.stop();
    jwks.close();
  });

  async function api(payload: string, authorizer: Record<string, unknown>, route: Record<string, unknown>) {
    const { ApiId, ApiEndpoint } = await apigw.send(new CreateApiCommand({ Name: 'auth', ProtocolType: 'HTTP' }));
    const { AuthorizerId } = await apigw.send(new CreateAuthorizerCommand({ ApiId, Name: 'a', ...(authorizer as object) } as never));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ARN('echo-api'), PayloadFormatVersion: payload }));
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /secret', Target: `integrations/${IntegrationId}`, AuthorizerId, ...route }));
    await apigw.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    return `${ApiEndpoint}/secret`;
  }

  const token = (claims: Record<string, unknown>, key = privateKey, audience = 'orders') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setSubject('user-1').setIssuedAt().setExpirationTime('10m').sign(key);

  it('JWT: verifies signature, issuer and audience against the JWKS, checks scopes, and passes the claims', async () => {
    const url = await api('2.0', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['orders'] } }, { AuthorizationType: 'JWT', AuthorizationScopes: ['orders.read'] });
    const none = await doorFetch(url);
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { message: 'Unauthorized' });
    const forged = await doorFetch(url, { headers: { authorization: `Bearer ${await token({ scope: 'orders.read' }, otherKey)}` } });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate')!, /invalid_token/);
    assert.equal((await doorFetch(url, { headers: { authorization: `Bearer ${await token({ scope: 'orders.read' }, privateKey, 'billing')}` } })).status, 401);
    const noScope = await doorFetch(url, { headers: { authorization: `Bearer ${await token({ scope: 'orders.write' })}` } });
    assert.equal(noScope.status, 403);
    assert.deepEqual(await noScope.json(), { message: 'Forbidden' });
    const ok = await doorFetch(url, { headers: { authorization: `Bearer ${await token({ scope: 'orders.read profile', groups: ['a', 'b'] })}` } });
    assert.equal(ok.status, 200);
    const { event } = (await ok.json()) as Echo;
    assert.equal(event.requestContext.authorizer.jwt.claims.sub, 'user-1');
    assert.equal(event.requestContext.authorizer.jwt.claims.iss, issuer);
    assert.equal(event.requestContext.authorizer.jwt.claims.groups, '[a b]');
    assert.equal(typeof event.requestContext.authorizer.jwt.claims.exp, 'string');
    assert.deepEqual(event.requestContext.authorizer.jwt.scopes, ['orders.read', 'profile']);
    // The key set is fetched once and cached: more valid tokens fetch nothing.
    assert.ok(keyFetches >= 1);
    const fetchedBefore = keyFetches;
    for (let i = 0; i < 3; i++) {
      const again = await doorFetch(url, { headers: { authorization: `Bearer ${await token({ scope: 'orders.read', n: i })}` } });
      assert.equal(again.status, 200);
    }
    assert.equal(keyFetches, fetchedBefore);
  });

  it('Lambda authorizer, payload 2.0 with simple responses: allows with its context, forbids, and caches by identity', async () => {
    const url = await api(
      '2.0',
      { AuthorizerType: 'REQUEST', AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${ARN('simple-auth')}/invocations`, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization'], AuthorizerResultTtlInSeconds: 300 },
      { AuthorizationType: 'CUSTOM' },
    );
    assert.equal((await doorFetch(url)).status, 401, 'no identity: refused without invoking the authorizer');
    const denied = await doorFetch(url, { headers: { authorization: 'nope' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(await denied.json(), { message: 'Forbidden' });
    const first = ((await (await doorFetch(url, { headers: { authorization: 'cached' } })).json()) as Echo).event;
    assert.equal(first.requestContext.authorizer.lambda.user, 'alice');
    const second = ((await (await doorFetch(url, { headers: { authorization: 'cached' } })).json()) as Echo).event;
    assert.equal(second.requestContext.authorizer.lambda.calls, first.requestContext.authorizer.lambda.calls, 'the second answer came from the cache');
    const other = ((await (await doorFetch(url, { headers: { authorization: 'allow' } })).json()) as Echo).event;
    assert.equal(other.requestContext.authorizer.lambda.calls, first.requestContext.authorizer.lambda.calls + 1, 'another identity asks the authorizer again');
  });

  it('Lambda authorizer, payload 1.0 with an IAM policy: Allow passes its context to a 1.0 integration, Deny forbids', async () => {
    const url = await api('1.0', { AuthorizerType: 'REQUEST', AuthorizerUri: ARN('policy-auth'), AuthorizerPayloadFormatVersion: '1.0', IdentitySource: ['$request.header.Authorization'] }, { AuthorizationType: 'CUSTOM' });
    const allowed = await doorFetch(url, { headers: { authorization: 'allow' } });
    assert.equal(allowed.status, 200);
    const { event } = (await allowed.json()) as Echo;
    assert.equal(event.version, '1.0');
    assert.deepEqual(event.requestContext.authorizer.lambda, { tier: 'gold', version: '1.0', principalId: 'bob' });
    const denied = await doorFetch(url, { headers: { authorization: 'deny' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(await denied.json(), { message: 'Forbidden' });
    const anonymous = await doorFetch(url, { headers: { authorization: 'anonymous' } });
    assert.equal(anonymous.status, 401, 'an authorizer failing with Unauthorized refuses the caller');
    assert.deepEqual(await anonymous.json(), { message: 'Unauthorized' });
    const broken = await doorFetch(url, { headers: { authorization: 'broken' } });
    assert.equal(broken.status, 500);
    assert.deepEqual(await broken.json(), { message: 'Internal Server Error' });
  });

  it('AWS_IAM: an unsigned request is forbidden, a SigV4-signed one (service execute-api) passes with its caller', async () => {
    const { ApiId, ApiEndpoint } = await apigw.send(new CreateApiCommand({ Name: 'iam', ProtocolType: 'HTTP' }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ARN('echo-api'), PayloadFormatVersion: '2.0' }));
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /iam', Target: `integrations/${IntegrationId}`, AuthorizationType: 'AWS_IAM' }));
    await apigw.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    const unsigned = await doorFetch(`${ApiEndpoint}/iam`);
    assert.equal(unsigned.status, 403);
    assert.deepEqual(await unsigned.json(), { message: 'Forbidden' });
    const signed = await signedCall(ApiEndpoint!, { method: 'GET', path: '/iam', service: 'execute-api', credentials: CREDENTIALS });
    assert.equal(signed.status, 200, signed.body);
    assert.equal((JSON.parse(signed.body) as Echo).event.requestContext.authorizer.iam.accessKey, 'test');
  });
});
