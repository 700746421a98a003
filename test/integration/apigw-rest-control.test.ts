import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestException,
  ConflictException,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteAuthorizerCommand,
  DeleteMethodCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAuthorizerCommand,
  UpdateIntegrationCommand,
  UpdateMethodCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, lambdaUri } from '../helpers/execute-api.js';
import { run } from '../helpers/run.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('REST APIs: the control plane through the SDK v3, boto3 and the aws CLI', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;

  before(async () => {
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('creates, patches, lists and deletes APIs, with AWS ids and errors', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'shop', description: 'first', tags: { team: 'a' } }));
    assert.match(api.id!, /^[a-z0-9]{10}$/);
    assert.match(api.rootResourceId!, /^[a-z0-9]{10}$/);
    assert.ok(api.createdDate instanceof Date);
    const patched = await client.send(
      new UpdateRestApiCommand({
        restApiId: api.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'store' },
          { op: 'add', path: '/binaryMediaTypes/image~1png', value: '' },
        ],
      }),
    );
    assert.equal(patched.name, 'store');
    assert.deepEqual(patched.binaryMediaTypes, ['image/png']);
    const listed = await client.send(new GetRestApisCommand({}));
    assert.ok(listed.items?.some((a) => a.id === api.id && a.name === 'store'));
    await assert.rejects(client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })), BadRequestException);
    const nameless = await client.send(new CreateRestApiCommand({} as never)).catch((e: unknown) => e);
    assert.ok(nameless instanceof BadRequestException, 'a constraint violation is BadRequestException, as API Gateway says it');
    assert.equal(nameless.$metadata.httpStatusCode, 400);
    await client.send(new DeleteRestApiCommand({ restApiId: api.id }));
    const gone = await client.send(new GetRestApiCommand({ restApiId: api.id })).catch((e: unknown) => e);
    assert.ok(gone instanceof NotFoundException);
    assert.equal(gone.$metadata.httpStatusCode, 404);
    assert.equal(gone.message, `Invalid API identifier specified 000000000000:${api.id}`);
  });

  it('builds a resource tree with methods and integrations; conflicts and missing parts are AWS errors', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'tree' }));
    const restApiId = api.id!;
    const deployNothing = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'x' })).catch((e: unknown) => e);
    assert.ok(deployNothing instanceof BadRequestException, 'no methods, no deployment');
    assert.equal(deployNothing.message, "The REST API doesn't contain any methods");
    const v1 = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'v1' }));
    const users = await client.send(new CreateResourceCommand({ restApiId, parentId: v1.id, pathPart: 'users' }));
    assert.equal(users.path, '/v1/users');
    const dup = await client.send(new CreateResourceCommand({ restApiId, parentId: v1.id, pathPart: 'users' })).catch((e: unknown) => e);
    assert.ok(dup instanceof ConflictException);
    assert.equal(dup.$metadata.httpStatusCode, 409);
    await client.send(new PutMethodCommand({ restApiId, resourceId: users.id, httpMethod: 'GET', authorizationType: 'NONE', requestParameters: { 'method.request.querystring.page': false } }));
    const noIntegration = await client.send(new GetIntegrationCommand({ restApiId, resourceId: users.id, httpMethod: 'GET' })).catch((e: unknown) => e);
    assert.ok(noIntegration instanceof NotFoundException);
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: users.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('users') }));
    const integration = await client.send(
      new UpdateIntegrationCommand({
        restApiId,
        resourceId: users.id,
        httpMethod: 'GET',
        patchOperations: [
          { op: 'replace', path: '/timeoutInMillis', value: '1000' },
          { op: 'replace', path: '/uri', value: lambdaUri('users2') },
        ],
      }),
    );
    assert.equal(integration.timeoutInMillis, 1000);
    await assert.rejects(
      client.send(new UpdateIntegrationCommand({ restApiId, resourceId: users.id, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '30000' }] })),
      BadRequestException,
    );
    const method = await client.send(new UpdateMethodCommand({ restApiId, resourceId: users.id, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/apiKeyRequired', value: 'true' }] }));
    assert.equal(method.apiKeyRequired, true);
    assert.equal(method.methodIntegration?.type, 'AWS_PROXY');
    assert.equal(method.methodIntegration?.httpMethod, 'POST');
    assert.equal(method.methodIntegration?.timeoutInMillis, 1000);
    assert.equal(method.methodIntegration?.uri, lambdaUri('users2'));
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.page': false });
    // Renaming a parent moves its children's paths.
    await client.send(new UpdateResourceCommand({ restApiId, resourceId: v1.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'v2' }] }));
    const { items } = await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    assert.deepEqual(items?.map((r) => r.path).sort(), ['/', '/v2', '/v2/users']);
    assert.equal(items?.find((r) => r.path === '/v2/users')?.resourceMethods?.['GET']?.methodIntegration?.uri, lambdaUri('users2'));
    await client.send(new DeleteMethodCommand({ restApiId, resourceId: users.id, httpMethod: 'GET' }));
    await assert.rejects(client.send(new GetMethodCommand({ restApiId, resourceId: users.id, httpMethod: 'GET' })), NotFoundException);
    await client.send(new DeleteResourceCommand({ restApiId, resourceId: v1.id }));
    assert.deepEqual((await client.send(new GetResourcesCommand({ restApiId }))).items?.map((r) => r.path), ['/'], 'children go with their parent');
  });

  it('deploys to stages with variables, patches and deletes them; authorizers in use cannot be deleted', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'staged' }));
    const restApiId = api.id!;
    const authorizer = await client.send(new CreateAuthorizerCommand({ restApiId, name: 'a', type: 'TOKEN', authorizerUri: lambdaUri('authz'), identitySource: 'method.request.header.Authorization' }));
    assert.equal(authorizer.authorizerResultTtlInSeconds, 300);
    const noCache = await client.send(new UpdateAuthorizerCommand({ restApiId, authorizerId: authorizer.id, patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' }] }));
    assert.equal(noCache.authorizerResultTtlInSeconds, 0);
    await client.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await assert.rejects(client.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: authorizer.id })), ConflictException);
    const dep = await client.send(new CreateDeploymentCommand({ restApiId, description: 'one' }));
    await client.send(new CreateStageCommand({ restApiId, stageName: 'beta', deploymentId: dep.id, variables: { lambdaAlias: 'beta', color: 'red' } }));
    await assert.rejects(client.send(new CreateStageCommand({ restApiId, stageName: 'beta', deploymentId: dep.id })), ConflictException);
    const updated = await client.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'beta',
        patchOperations: [
          { op: 'remove', path: '/variables/color' },
          { op: 'replace', path: '/description', value: 'the beta' },
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:access' },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.status' },
        ],
      }),
    );
    assert.deepEqual(updated.variables, { lambdaAlias: 'beta' });
    assert.equal(updated.description, 'the beta');
    assert.equal(updated.accessLogSettings?.format, '$context.requestId $context.status');
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'beta' }))).deploymentId, dep.id);
    assert.deepEqual((await client.send(new GetDeploymentsCommand({ restApiId }))).items?.map((d) => d.description), ['one']);
    const stageArn = `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/beta`;
    await client.send(new TagResourceCommand({ resourceArn: stageArn, tags: { env: 'beta', owner: 'me' } }));
    await client.send(new UntagResourceCommand({ resourceArn: stageArn, tagKeys: ['owner'] }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: stageArn }))).tags, { env: 'beta' });
    await client.send(new DeleteStageCommand({ restApiId, stageName: 'beta' }));
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId }))).item, []);
    await assert.rejects(client.send(new GetStageCommand({ restApiId, stageName: 'beta' })), NotFoundException);
  });

  it('boto3 builds and deploys an API; its errors are the modeled exceptions', async () => {
    const script = `
import boto3, json, sys
c = boto3.client('apigateway', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
api = c.create_rest_api(name='py-api', endpointConfiguration={'types': ['REGIONAL']})
root = c.get_resources(restApiId=api['id'])['items'][0]['id']
res = c.create_resource(restApiId=api['id'], parentId=root, pathPart='{proxy+}')
c.put_method(restApiId=api['id'], resourceId=res['id'], httpMethod='ANY', authorizationType='NONE')
c.put_integration(restApiId=api['id'], resourceId=res['id'], httpMethod='ANY', type='MOCK', requestTemplates={'application/json': '{"statusCode": 200}'})
c.put_integration_response(restApiId=api['id'], resourceId=res['id'], httpMethod='ANY', statusCode='200', selectionPattern='')
dep = c.create_deployment(restApiId=api['id'], stageName='dev', variables={'v': '1'})
try:
    c.get_rest_api(restApiId='missing000')
except c.exceptions.NotFoundException as e:
    code = e.response['Error']['Code']
paths = sorted(r['path'] for p in c.get_paginator('get_resources').paginate(restApiId=api['id']) for r in p['items'])
print(json.dumps({'types': api['endpointConfiguration']['types'], 'paths': paths, 'stage': c.get_stage(restApiId=api['id'], stageName='dev')['variables'], 'code': code,
  'integration': c.get_integration(restApiId=api['id'], resourceId=res['id'], httpMethod='ANY')['integrationResponses']['200']['statusCode']}))
`;
    const py = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(py.code, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), { types: ['REGIONAL'], paths: ['/', '/{proxy+}'], stage: { v: '1' }, code: 'NotFoundException', integration: '200' });
  });

  it('the aws CLI lists APIs and reads one', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'cli-visible' }));
    const listed = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', 'get-rest-apis']);
    assert.equal(listed.code, 0, listed.stderr);
    const items = (JSON.parse(listed.stdout) as { items: { id: string; name: string }[] }).items;
    assert.ok(items.some((a) => a.id === api.id && a.name === 'cli-visible'));
    const missing = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', 'get-rest-api', '--rest-api-id', 'missing000']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFoundException/);
  });

  it('the aws CLI builds an API (resource, method, MOCK integration, responses), deploys a stage, inspects each part, and curl reaches it', async () => {
    const aws = async (...args: string[]) => {
      const r = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', ...args]);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
      return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
    };
    const api = await aws('create-rest-api', '--name', 'cli-built');
    const root = (await aws('get-resources', '--rest-api-id', api.id)).items.find((r: { path: string }) => r.path === '/');
    const res = await aws('create-resource', '--rest-api-id', api.id, '--parent-id', root.id, '--path-part', 'greeting');
    assert.equal(res.path, '/greeting');
    const at = ['--rest-api-id', api.id, '--resource-id', res.id, '--http-method', 'GET'];
    await aws('put-method', ...at, '--authorization-type', 'NONE');
    await aws('put-integration', ...at, '--type', 'MOCK', '--request-templates', JSON.stringify({ 'application/json': '{"statusCode": 200}' }));
    await aws('put-method-response', ...at, '--status-code', '200');
    await aws('put-integration-response', ...at, '--status-code', '200', '--response-templates', JSON.stringify({ 'application/json': '{"hello": "$stageVariables.who", "stage": "$context.stage"}' }));
    const deployment = await aws('create-deployment', '--rest-api-id', api.id, '--stage-name', 'v1', '--variables', 'who=cli');
    assert.ok(deployment.id);

    const method = await aws('get-method', ...at);
    assert.equal(method.httpMethod, 'GET');
    assert.equal(method.authorizationType, 'NONE');
    assert.equal(method.methodIntegration.type, 'MOCK');
    const integration = await aws('get-integration', ...at);
    assert.deepEqual(integration.requestTemplates, { 'application/json': '{"statusCode": 200}' });
    assert.equal(integration.integrationResponses['200'].statusCode, '200');
    const stages = (await aws('get-stages', '--rest-api-id', api.id)).item as { stageName: string; deploymentId: string; variables: Record<string, string> }[];
    assert.deepEqual(stages.map((s) => [s.stageName, s.deploymentId, s.variables]), [['v1', deployment.id, { who: 'cli' }]]);
    const paths = (await aws('get-resources', '--rest-api-id', api.id)).items.map((r: { path: string }) => r.path).sort();
    assert.deepEqual(paths, ['/', '/greeting']);

    // curl, host-based, as a browser would reach it (`*.localhost` resolves to loopback).
    const port = new URL(t.platform.url).port;
    const curl = await run('curl', ['-s', '--resolve', `${api.id}.execute-api.localhost:${port}:127.0.0.1`, `http://${api.id}.execute-api.localhost:${port}/v1/greeting`]);
    assert.equal(curl.code, 0, curl.stderr);
    assert.deepEqual(JSON.parse(curl.stdout), { hello: 'cli', stage: 'v1' });
  });
});
