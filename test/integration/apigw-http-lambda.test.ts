/**
 * HTTP APIs over real HTTP, host-based (`<api-id>.execute-api.localhost`) and path-based
 * (`/_aws/execute-api/<api-id>/…`): stages, route ranking, Lambda proxy payloads 2.0 and 1.0 and
 * their answers, CORS, throttling, timeouts, the error answers, access logs, and HTTP_PROXY integrations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';
import { newGate } from '../helpers/gate.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:echo-api';
type Echo = { event: Record<string, any>; invocations: number };

describe('HTTP APIs: Lambda proxy integrations over HTTP', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  let quick: { id: string; endpoint: string };
  before(async () => {
    t = await startTestPlatform();
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await createFunction(t.lambda, 'echo-api', 'apigw-echo');
    const api = await apigw.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: FN }));
    quick = { id: api.ApiId!, endpoint: api.ApiEndpoint! };
  });
  after(async () => {
    apigw.destroy();
    await t.stop();
  });

  /** A route-per-key API on one payload-2.0 integration, deployed to `$default` with auto-deploy. */
  async function apiWithRoutes(keys: string[], payload = '2.0', extra: Record<string, unknown> = {}) {
    const { ApiId, ApiEndpoint } = await apigw.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP', ...extra }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: payload }));
    for (const RouteKey of keys) await apigw.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}` }));
    return { ApiId: ApiId!, endpoint: ApiEndpoint!, IntegrationId: IntegrationId! };
  }

  it('builds payload format 2.0 as API Gateway does, host-based and path-based alike', async () => {
    const viaHost = await doorFetch(`${quick.endpoint}/items/7?x=1&x=2&y=z`, { method: 'POST', headers: { cookie: 'a=1; b=2', 'content-type': 'application/json', 'x-two': 'v' }, body: '{"n":1}' });
    assert.equal(viaHost.status, 200);
    assert.match(viaHost.headers.get('apigw-requestid')!, /^[A-Za-z0-9]{15}=$/);
    assert.equal(viaHost.headers.get('set-cookie'), 'session=1; Path=/');
    const { event } = (await viaHost.json()) as Echo;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/items/7');
    assert.equal(event.rawQueryString, 'x=1&x=2&y=z');
    assert.deepEqual(event.queryStringParameters, { x: '1,2', y: 'z' });
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-two'], 'v');
    assert.equal(event.body, '{"n":1}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.apiId, quick.id);
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.http.path, '/items/7');
    assert.equal(event.requestContext.domainName, `${quick.id}.execute-api.localhost`);
    assert.match(event.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(event.requestContext.requestId, viaHost.headers.get('apigw-requestid'));
    assert.equal(event.pathParameters, undefined);

    const viaPath = await fetch(`${t.platform.url}/_aws/execute-api/${quick.id}/items/8`, { method: 'PUT', body: Buffer.from([0, 159, 146, 150]), headers: { 'content-type': 'application/octet-stream' } });
    const e2 = ((await viaPath.json()) as Echo).event;
    assert.equal(e2.rawPath, '/items/8');
    assert.equal(e2.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(e2.body, 'base64'), Buffer.from([0, 159, 146, 150]));
  });

  it('ranks routes as API Gateway does: exact, then {param}, then {proxy+}, exact method over ANY, $default last', async () => {
    const api = await apiWithRoutes(['GET /items/{id}', 'GET /items/special', 'ANY /items/{proxy+}', 'POST /items/{id}', '$default']);
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const routeOf = async (method: string, path: string) => {
      const res = await doorFetch(`${api.endpoint}${path}`, { method });
      const { event } = (await res.json()) as Echo;
      return [event.routeKey, event.pathParameters];
    };
    assert.deepEqual(await routeOf('GET', '/items/special'), ['GET /items/special', undefined]);
    assert.deepEqual(await routeOf('GET', '/items/7'), ['GET /items/{id}', { id: '7' }]);
    assert.deepEqual(await routeOf('POST', '/items/7'), ['POST /items/{id}', { id: '7' }]);
    assert.deepEqual(await routeOf('DELETE', '/items/7'), ['ANY /items/{proxy+}', { proxy: '7' }]);
    assert.deepEqual(await routeOf('GET', '/items/a/b%20c'), ['ANY /items/{proxy+}', { proxy: 'a/b c' }]);
    assert.deepEqual(await routeOf('GET', '/elsewhere'), ['$default', undefined]);

    const noDefault = await apiWithRoutes(['GET /only']);
    await apigw.send(new CreateStageCommand({ ApiId: noDefault.ApiId, StageName: '$default', AutoDeploy: true }));
    const missing = await doorFetch(`${noDefault.endpoint}/other`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: 'Not Found' });
    assert.ok(missing.headers.get('apigw-requestid'));
    const noApi = await fetch(`${t.platform.url}/_aws/execute-api/nosuchapi1/x`);
    assert.equal(noApi.status, 404);
    assert.deepEqual(await noApi.json(), { message: 'Not Found' });
  });

  it('serves a named stage under its prefix, what its deployment deployed, with its stage variables', async () => {
    const api = await apiWithRoutes(['GET /items/{id}']);
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', StageVariables: { table: 'items-prod' } }));
    assert.equal((await doorFetch(`${api.endpoint}/prod/items/1`)).status, 404, 'not deployed yet');
    await apigw.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    const res = await doorFetch(`${api.endpoint}/prod/items/1`);
    const { event } = (await res.json()) as Echo;
    assert.equal(event.rawPath, '/prod/items/1');
    assert.equal(event.requestContext.stage, 'prod');
    assert.deepEqual(event.stageVariables, { table: 'items-prod' });
    assert.deepEqual(event.pathParameters, { id: '1' });
    // A route added later is served only once deployed.
    await apigw.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /later', Target: `integrations/${api.IntegrationId}` }));
    assert.equal((await doorFetch(`${api.endpoint}/prod/later`)).status, 404);
    await apigw.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    assert.equal((await doorFetch(`${api.endpoint}/prod/later`)).status, 200);
    assert.equal((await fetch(`${t.platform.url}/_aws/execute-api/${api.ApiId}/prod/later`)).status, 200);
  });

  it('builds payload format 1.0 and maps its multiValueHeaders', async () => {
    const api = await apiWithRoutes(['GET /v1/{id}'], '1.0');
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const res = await doorFetch(`${api.endpoint}/v1/42?tag=a&tag=b`, { headers: { 'x-h': 'one' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-multi'), 'a,b');
    const { event } = (await res.json()) as Echo;
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/v1/{id}');
    assert.equal(event.path, '/v1/42');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.queryStringParameters, { tag: 'b' });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['a', 'b'] });
    assert.deepEqual(event.multiValueHeaders['x-h'], ['one']);
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.equal(event.requestContext.resourcePath, '/v1/{id}');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.body, null);
  });

  it("maps 2.0 results as API Gateway infers them, and answers errors in API Gateway's words", async () => {
    const str = await doorFetch(`${quick.endpoint}/string`);
    assert.equal(str.headers.get('content-type'), 'application/json');
    assert.equal(await str.text(), 'hello');
    assert.deepEqual(await (await doorFetch(`${quick.endpoint}/object`)).json(), { a: 1 });
    const bin = await doorFetch(`${quick.endpoint}/binary`);
    assert.deepEqual(Buffer.from(await bin.arrayBuffer()), Buffer.from([0, 1, 2, 255]));
    const failed = await doorFetch(`${quick.endpoint}/fail`);
    assert.equal(failed.status, 500);
    assert.deepEqual(await failed.json(), { message: 'Internal Server Error' });
    const big = await doorFetch(`${quick.endpoint}/big`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(big.status, 413);
    assert.deepEqual(await big.json(), { message: 'Request Entity Too Large' });
  });

  it('keeps a redirect inside the app, host-based', async () => {
    const res = await doorFetch(`${quick.endpoint}/redirect`);
    assert.equal(res.status, 302);
    const next = new URL(res.headers.get('location')!, `${quick.endpoint}/redirect`).href;
    assert.equal(next, `${quick.endpoint}/hello`);
    assert.equal(((await (await doorFetch(next)).json()) as Echo).event.rawPath, '/hello');
  });

  it('answers CORS preflights without invoking, and adds the allow headers to answers', async () => {
    const api = await apiWithRoutes(['GET /count'], '2.0', { CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['authorization'], MaxAge: 600 } });
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const pre = await doorFetch(`${api.endpoint}/count`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(pre.headers.get('access-control-max-age'), '600');
    const before = ((await (await doorFetch(`${api.endpoint}/count`)).json()) as Echo).invocations;
    await doorFetch(`${api.endpoint}/count`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    const get = await doorFetch(`${api.endpoint}/count`, { headers: { origin: 'https://app.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(((await get.json()) as Echo).invocations, before + 1, 'the preflight did not invoke the function');
  });

  it('throttles by the stage route settings (429), and answers 503 when the integration times out', async () => {
    const api = await apiWithRoutes(['GET /limited', 'GET /wait']);
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true, RouteSettings: { 'GET /limited': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0 } } }));
    assert.equal((await doorFetch(`${api.endpoint}/limited`)).status, 200);
    const throttled = await doorFetch(`${api.endpoint}/limited`);
    assert.equal(throttled.status, 429);
    assert.deepEqual(await throttled.json(), { message: 'Too Many Requests' });

    const gate = await newGate();
    try {
      await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo-api', Environment: { Variables: { GATE: gate.url } } }));
      await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'echo-api' });
      const slow = await apigw.send(new CreateApiCommand({ Name: 'slow', ProtocolType: 'HTTP' }));
      const i = await apigw.send(new CreateIntegrationCommand({ ApiId: slow.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0', TimeoutInMillis: 50 }));
      await apigw.send(new CreateRouteCommand({ ApiId: slow.ApiId, RouteKey: 'GET /wait', Target: `integrations/${i.IntegrationId}` }));
      await apigw.send(new CreateStageCommand({ ApiId: slow.ApiId, StageName: '$default', AutoDeploy: true }));
      const pending = doorFetch(`${slow.ApiEndpoint}/wait`);
      // The function is held at the gate past the 50 ms integration timeout.
      const res = await pending;
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { message: 'Service Unavailable' });
      await gate.entered(1);
    } finally {
      gate.open();
      gate.close();
    }
  });

  it('writes an access log line per request into the log group of the stage', async () => {
    const api = await apiWithRoutes(['GET /logged']);
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    await apigw.send(new UpdateStageCommand({ ApiId: api.ApiId, StageName: '$default', AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/http-access', Format: '$context.requestId $context.httpMethod $context.routeKey $context.status' } }));
    const res = await doorFetch(`${api.endpoint}/logged`);
    const id = res.headers.get('apigw-requestid')!;
    await doorFetch(`${api.endpoint}/nothing-here`);
    let lines: string[] = [];
    await waitFor(async () => {
      const out = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/http-access' }));
      lines = (out.events ?? []).map((e) => e.message!.trimEnd());
      return lines.length >= 2;
    }, 'access log lines');
    assert.ok(lines.includes(`${id} GET GET /logged 200`), lines.join('\n'));
    assert.ok(lines.some((l) => / GET - 404$/.test(l)), lines.join('\n'));
  });

  it('is reachable with curl by its host name', async () => {
    const url = `${quick.endpoint}/from-curl`;
    const port = new URL(url).port;
    const { stdout } = await promisify(execFile)('curl', ['-s', '--resolve', `${new URL(url).hostname}:${port}:127.0.0.1`, '-D', '-', url]);
    assert.match(stdout, /^HTTP\/1\.1 200/);
    assert.match(stdout, /apigw-requestid: /i);
    assert.match(stdout, /"rawPath":"\/from-curl"/);
  });

  it('passes requests on to an HTTP_PROXY integration and its answers back', async () => {
    const backend = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(207, { 'content-type': 'application/json', 'x-backend': 'yes', 'set-cookie': ['a=1', 'b=2'] });
        res.end(JSON.stringify({ method: req.method, url: req.url, body, forwardedFor: req.headers['x-forwarded-for'], custom: req.headers['x-custom'] }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    try {
      const port = (backend.address() as AddressInfo).port;
      const { ApiId, ApiEndpoint } = await apigw.send(new CreateApiCommand({ Name: 'proxy', ProtocolType: 'HTTP' }));
      const i = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: `http://127.0.0.1:${port}/backend/{proxy}`, IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0' }));
      await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: 'ANY /p/{proxy+}', Target: `integrations/${i.IntegrationId}` }));
      await apigw.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
      const res = await doorFetch(`${ApiEndpoint}/p/a/b?q=1`, { method: 'POST', body: 'hi', headers: { 'x-custom': 'c', 'content-type': 'text/plain' } });
      assert.equal(res.status, 207);
      assert.equal(res.headers.get('x-backend'), 'yes');
      assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
      assert.ok(res.headers.get('apigw-requestid'));
      assert.deepEqual(await res.json(), { method: 'POST', url: '/backend/a/b?q=1', body: 'hi', forwardedFor: '127.0.0.1', custom: 'c' });
    } finally {
      backend.close();
    }
  });
});
