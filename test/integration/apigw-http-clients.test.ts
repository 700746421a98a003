/**
 * HTTP APIs created and inspected with boto3 and the aws CLI (v1), then called over HTTP: the
 * control plane speaks their wire (camelCase members, ISO dates, AWS's errors).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateStageCommand, GetAuthorizersCommand, GetRoutesCommand, ImportApiCommand } from '@aws-sdk/client-apigatewayv2';
import { createFunction, CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';
import { run } from '../helpers/run.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:echo-api';

const BOTO3 = `
import json, sys, boto3
c = boto3.client('apigatewayv2', endpoint_url=sys.argv[1], region_name='us-east-1')
api = c.create_api(Name='py', ProtocolType='HTTP')
i = c.create_integration(ApiId=api['ApiId'], IntegrationType='AWS_PROXY', IntegrationUri=sys.argv[2], PayloadFormatVersion='2.0')
r = c.create_route(ApiId=api['ApiId'], RouteKey='GET /py/{name}', Target='integrations/' + i['IntegrationId'])
s = c.create_stage(ApiId=api['ApiId'], StageName='live', AutoDeploy=True, StageVariables={'from': 'boto3'})
try:
    c.get_route(ApiId=api['ApiId'], RouteId='missing')
    err = None
except c.exceptions.NotFoundException as e:
    err = e.response['Error']['Code']
print(json.dumps({
    'endpoint': api['ApiEndpoint'],
    'created': api['CreatedDate'].isoformat(),
    'routes': [x['RouteKey'] for x in c.get_routes(ApiId=api['ApiId'])['Items']],
    'stage': c.get_stage(ApiId=api['ApiId'], StageName='live')['DeploymentId'],
    'integration': c.get_integration(ApiId=api['ApiId'], IntegrationId=i['IntegrationId'])['PayloadFormatVersion'],
    'error': err,
}))
`;

/** SAM's own translator (samtranslator, installed for python3): a template's HttpApi as the OpenAPI body it sends. */
const SAM = `
import json, sys
from samtranslator.translator.transform import transform
class Policies:
    def load(self, *a, **k): return {}
out = transform(json.loads(sys.argv[1]), {}, Policies())
print(json.dumps(out['Resources']['Api']['Properties']['Body']))
`;
const SAM_TEMPLATE = {
  Transform: 'AWS::Serverless-2016-10-31',
  Resources: {
    Api: {
      Type: 'AWS::Serverless::HttpApi',
      Properties: {
        CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET'] },
        Auth: { Authorizers: { Jwt: { JwtConfiguration: { issuer: 'https://issuer.invalid', audience: ['orders'] }, IdentitySource: '$request.header.Authorization' } } },
      },
    },
    Fn: {
      Type: 'AWS::Serverless::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        InlineCode: 'exports.handler = async () => ({})',
        Events: {
          Get: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' }, Path: '/orders/{id}', Method: 'GET', Auth: { Authorizer: 'Jwt', AuthorizationScopes: ['orders.read'] } } },
          Any: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Api' } } },
        },
      },
    },
  },
};

/** The intrinsics SAM leaves in the body, resolved as CloudFormation would for this stack. */
function resolveIntrinsics(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveIntrinsics);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o['Fn::Sub'] === 'string') return o['Fn::Sub'].replace('${AWS::Partition}', 'aws').replace('${AWS::Region}', 'us-east-1').replace('${Fn.Arn}', FN);
  if (o['Ref'] === 'AWS::StackName') return 'sam-stack';
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolveIntrinsics(x)]));
}

describe('HTTP APIs through boto3 and the aws CLI', () => {
  let t: TestPlatform;
  let dir: string;
  before(async () => {
    t = await startTestPlatform();
    dir = mkdtempSync(join(tmpdir(), 'apigw-cli-'));
    await createFunction(t.lambda, 'echo-api', 'apigw-echo');
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  it('boto3 creates an API, an integration, a route and an auto-deployed stage, which then serves', async () => {
    const py = await run('python3', ['-c', BOTO3, t.platform.url, FN]);
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { endpoint: string; created: string; routes: string[]; stage: string | null; integration: string; error: string };
    assert.deepEqual(out.routes, ['GET /py/{name}']);
    assert.match(out.created, /^\d{4}-\d\d-\d\dT/);
    assert.ok(out.stage);
    assert.equal(out.integration, '2.0');
    assert.equal(out.error, 'NotFoundException');
    const res = await doorFetch(`${out.endpoint}/live/py/ada`);
    const { event } = (await res.json()) as { event: { pathParameters: unknown; stageVariables: unknown; rawPath: string } };
    assert.deepEqual(event.pathParameters, { name: 'ada' });
    assert.deepEqual(event.stageVariables, { from: 'boto3' });
    assert.equal(event.rawPath, '/live/py/ada');
  });

  it('the aws CLI quick-creates an API, lists its routes, and imports an OpenAPI file', async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigatewayv2', ...args]);
    const created = await aws('create-api', '--name', 'cli', '--protocol-type', 'HTTP', '--target', FN);
    assert.equal(created.code, 0, created.stderr);
    const api = JSON.parse(created.stdout) as { ApiId: string; ApiEndpoint: string };
    const routes = await aws('get-routes', '--api-id', api.ApiId);
    assert.equal(routes.code, 0, routes.stderr);
    assert.deepEqual((JSON.parse(routes.stdout) as { Items: { RouteKey: string }[] }).Items.map((r) => r.RouteKey), ['$default']);
    assert.equal((await doorFetch(`${api.ApiEndpoint}/anything`)).status, 200);

    const file = join(dir, 'api.yaml');
    writeFileSync(file, `openapi: 3.0.1\ninfo:\n  title: from-cli\npaths:\n  /things/{id}:\n    get:\n      x-amazon-apigateway-integration:\n        type: AWS_PROXY\n        uri: ${FN}\n        payloadFormatVersion: "2.0"\n`);
    const imported = await aws('import-api', '--body', `file://${file}`);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal((JSON.parse(imported.stdout) as { Name: string }).Name, 'from-cli');
  });

  it('the aws CLI creates an integration, a route and a stage, inspects them, changes the stage, and curl reaches it', async () => {
    const aws = async (...args: string[]) => {
      const r = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigatewayv2', ...args]);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
      return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
    };
    const api = await aws('create-api', '--name', 'cli-parts', '--protocol-type', 'HTTP');
    const integration = await aws('create-integration', '--api-id', api.ApiId, '--integration-type', 'AWS_PROXY', '--integration-uri', FN, '--payload-format-version', '1.0');
    const route = await aws('create-route', '--api-id', api.ApiId, '--route-key', 'GET /items/{id}', '--target', `integrations/${integration.IntegrationId}`);
    await aws('create-stage', '--api-id', api.ApiId, '--stage-name', 'beta', '--auto-deploy', '--stage-variables', 'tier=one');

    assert.deepEqual((await aws('get-integrations', '--api-id', api.ApiId)).Items.map((i: Record<string, unknown>) => [i.IntegrationId, i.IntegrationType, i.PayloadFormatVersion, i.TimeoutInMillis]), [[integration.IntegrationId, 'AWS_PROXY', '1.0', 30000]]);
    const gotRoute = await aws('get-route', '--api-id', api.ApiId, '--route-id', route.RouteId);
    assert.equal(gotRoute.RouteKey, 'GET /items/{id}');
    assert.equal(gotRoute.Target, `integrations/${integration.IntegrationId}`);
    const stages = (await aws('get-stages', '--api-id', api.ApiId)).Items as { StageName: string; AutoDeploy: boolean; DeploymentId?: string; StageVariables: Record<string, string> }[];
    assert.deepEqual(stages.map((x) => [x.StageName, x.AutoDeploy, x.StageVariables]), [['beta', true, { tier: 'one' }]]);
    assert.ok(stages[0]!.DeploymentId, 'an auto-deployed stage has a deployment');
    const changed = await aws('update-stage', '--api-id', api.ApiId, '--stage-name', 'beta', '--stage-variables', 'tier=two');
    assert.deepEqual(changed.StageVariables, { tier: 'two' });

    const port = new URL(t.platform.url).port;
    const curl = await run('curl', ['-s', '-i', '--resolve', `${api.ApiId}.execute-api.localhost:${port}:127.0.0.1`, `http://${api.ApiId}.execute-api.localhost:${port}/beta/items/7?x=1`]);
    assert.equal(curl.code, 0, curl.stderr);
    assert.match(curl.stdout, /^HTTP\/1\.1 200/);
    assert.match(curl.stdout, /apigw-requestid: /i);
    const { event } = JSON.parse(curl.stdout.slice(curl.stdout.indexOf('\r\n\r\n') + 4)) as { event: { version: string; resource: string; pathParameters: unknown; stageVariables: unknown; queryStringParameters: unknown } };
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/items/{id}');
    assert.deepEqual(event.pathParameters, { id: '7' });
    assert.deepEqual(event.stageVariables, { tier: 'two' });
    assert.deepEqual(event.queryStringParameters, { x: '1' });
  });

  it("imports what SAM's translator makes of an HttpApi (routes, $default, JWT authorizer with scopes, CORS, tags), which then serves", async () => {
    const sam = await run('python3', ['-c', SAM, JSON.stringify(SAM_TEMPLATE)]);
    assert.equal(sam.code, 0, sam.stderr);
    const body = JSON.stringify(resolveIntrinsics(JSON.parse(sam.stdout)));
    const apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const api = await apigw.send(new ImportApiCommand({ Body: body }));
      assert.equal(api.Name, 'sam-stack');
      assert.deepEqual(api.Tags, { 'httpapi:createdBy': 'SAM' });
      assert.deepEqual(api.CorsConfiguration, { AllowOrigins: ['https://app.example'], AllowMethods: ['GET'] });
      const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
      assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ['$default', 'GET /orders/{id}']);
      const orders = routes.find((r) => r.RouteKey === 'GET /orders/{id}')!;
      assert.equal(orders.AuthorizationType, 'JWT');
      assert.deepEqual(orders.AuthorizationScopes, ['orders.read']);
      const [authorizer] = (await apigw.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items!;
      assert.deepEqual(authorizer!.JwtConfiguration, { Issuer: 'https://issuer.invalid', Audience: ['orders'] });
      // SAM deploys a $default stage beside the API (AWS::ApiGatewayV2::Stage); here, by hand.
      await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
      const res = await doorFetch(`${api.ApiEndpoint}/anything/else`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { event: { routeKey: string } }).event.routeKey, '$default');
      assert.equal((await doorFetch(`${api.ApiEndpoint}/orders/1`)).status, 401, 'the JWT route wants a token');
    } finally {
      apigw.destroy();
    }
  });
});
