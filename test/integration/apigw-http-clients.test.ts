/**
 * HTTP APIs created and inspected with boto3 and the aws CLI (v1), then called over HTTP: the
 * control plane speaks their wire (camelCase members, ISO dates, AWS's errors).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
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
});
