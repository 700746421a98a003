/**
 * Handlers as users deploy them behind HTTP APIs, unchanged, each with its adapter: Express through
 * @codegenie/serverless-express, Hono's aws-lambda adapter, Middy's router and JSON body parser, the
 * Powertools event handler's router. Each through payload 2.0 and 1.0, host-based and path-based.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';

const FRAMEWORKS = ['express', 'hono', 'middy', 'powertools'] as const;

describe('HTTP APIs: web frameworks through their Lambda adapters', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  before(async () => {
    const packages = ['@codegenie/serverless-express', 'express', 'hono', '@middy/core', '@middy/http-router', '@middy/http-json-body-parser', '@aws-lambda-powertools/event-handler'];
    await ensureFixtureInstalled('http-adapters', { requiredFiles: packages.map((p) => `node_modules/${p}/package.json`) });
    t = await startTestPlatform();
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    for (const f of FRAMEWORKS) await createFunction(t.lambda, `web-${f}`, 'http-adapters', { Handler: `${f}.handler`, Timeout: 30 });
  });
  after(async () => {
    apigw.destroy();
    await t.stop();
  });

  /** An API whose `$default` route sends everything to the framework's function. */
  async function apiFor(framework: string, payload: string): Promise<string> {
    const { ApiId, ApiEndpoint } = await apigw.send(new CreateApiCommand({ Name: `${framework}-${payload}`, ProtocolType: 'HTTP' }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:us-east-1:000000000000:function:web-${framework}`, PayloadFormatVersion: payload }));
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: '$default', Target: `integrations/${IntegrationId}` }));
    await apigw.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    return ApiEndpoint!;
  }

  for (const framework of FRAMEWORKS) {
    for (const payload of ['2.0', '1.0']) {
      it(`${framework}, payload ${payload}: routes with parameters, JSON bodies, and a redirect that stays inside the app`, async () => {
        const endpoint = await apiFor(framework, payload);
        const hello = await doorFetch(`${endpoint}/hello/ada?x=1`);
        assert.equal(hello.status, 200, await hello.clone().text());
        const got = (await hello.json()) as { framework: string; name: string; path: string };
        assert.equal(got.framework, framework);
        assert.equal(got.name, 'ada');
        assert.equal(got.path, '/hello/ada');

        const echoed = await doorFetch(`${endpoint}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 1, s: 'é' }) });
        assert.equal(echoed.status, 201, await echoed.clone().text());
        assert.deepEqual(((await echoed.json()) as { body: unknown }).body, { n: 1, s: 'é' });

        const go = await doorFetch(`${endpoint}/go`);
        assert.equal(go.status, 302);
        const next = new URL(go.headers.get('location')!, `${endpoint}/go`).href;
        assert.equal(next, `${endpoint}/hello/world`);
        assert.equal(((await (await doorFetch(next)).json()) as { name: string }).name, 'world');

        // The same app path-based.
        const id = new URL(endpoint).hostname.split('.')[0];
        const viaPath = await fetch(`${t.platform.url}/_aws/execute-api/${id}/hello/bob`);
        assert.equal(((await viaPath.json()) as { name: string }).name, 'bob');
      });
    }
  }
});
