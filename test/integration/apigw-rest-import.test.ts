import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestException,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetAuthorizersCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { apiGatewayClient, deploy, httpCall, lambdaUri } from '../helpers/execute-api.js';
import { run } from '../helpers/run.js';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An OpenAPI 3 document in YAML, with API Gateway's extensions: a Lambda proxy, a MOCK, a TOKEN authorizer and an API key. */
const OPENAPI = `
openapi: 3.0.1
info:
  title: petstore
  version: '2026-12-05'
x-amazon-apigateway-binary-media-types: ['image/png']
paths:
  /pets/{petId}:
    get:
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      security: [{ tokenAuth: [] }]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${lambdaUri('backend')}
  /health:
    get:
      security: [{ api_key: [] }]
      responses:
        '200': { description: ok }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: '200'
            responseTemplates: { application/json: '{"healthy": true}' }
components:
  securitySchemes:
    api_key: { type: apiKey, name: x-api-key, in: header }
    tokenAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: ${lambdaUri('authz')}
        authorizerResultTtlInSeconds: 0
`;

/** A Swagger 2 document in JSON, with one MOCK method. */
const SWAGGER = JSON.stringify({
  swagger: '2.0',
  info: { title: 'replaced', version: '1' },
  paths: {
    '/ping': {
      'x-amazon-apigateway-any-method': {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"pong": "$context.httpMethod"}' } } },
        },
      },
    },
  },
});

describe('REST APIs: ImportRestApi and PutRestApi from OpenAPI 3 (YAML) and Swagger 2 (JSON); access logs', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;

  before(async () => {
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    await createFunction(t.lambda, 'authz', 'apigw-authorizer');
    await createFunction(t.lambda, 'backend', 'apigw-proxy');
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('imports paths, parameters, integrations, an authorizer and an API key requirement, and serves them once deployed', async () => {
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(OPENAPI) }));
    assert.equal(api.name, 'petstore');
    assert.equal(api.version, '2026-12-05');
    assert.deepEqual(api.binaryMediaTypes, ['image/png']);
    const { items } = await client.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
    assert.deepEqual(items?.map((r) => r.path).sort(), ['/', '/health', '/pets', '/pets/{petId}']);
    const get = items?.find((r) => r.path === '/pets/{petId}')?.resourceMethods?.['GET'];
    assert.equal(get?.authorizationType, 'CUSTOM');
    assert.deepEqual(get?.requestParameters, { 'method.request.path.petId': true });
    assert.equal(get?.methodIntegration?.type, 'AWS_PROXY');
    assert.equal(items?.find((r) => r.path === '/health')?.resourceMethods?.['GET']?.apiKeyRequired, true);
    const authorizers = (await client.send(new GetAuthorizersCommand({ restApiId: api.id }))).items;
    assert.deepEqual(authorizers?.map((a) => [a.name, a.type, a.identitySource]), [['tokenAuth', 'TOKEN', 'method.request.header.Authorization']]);

    await deploy(client, api.id!, 'live');
    await client.send(
      new UpdateStageCommand({
        restApiId: api.id,
        stageName: 'live',
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:rest-access:*' },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.httpMethod $context.resourcePath $context.status' },
        ],
      }),
    );
    const pet = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/live/pets/9`, { headers: { Authorization: 'allow' } });
    assert.equal(pet.status, 201);
    assert.deepEqual((pet.json() as Event)['pathParameters'], { petId: '9' });
    assert.equal((await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/live/pets/9`)).status, 401);
    assert.equal((await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/live/health`)).status, 403, 'the key is required');
    const key = await client.send(new CreateApiKeyCommand({ name: 'imported', enabled: true }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'live' }] }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const health = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/live/health`, { headers: { 'x-api-key': key.value! } });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { healthy: true });
    // The stage's access log lines land in its CloudWatch Logs group.
    let accessLines: string[] = [];
    await waitFor(async () => {
      const out = await t.logs.send(new FilterLogEventsCommand({ logGroupName: 'rest-access' }));
      accessLines = (out.events ?? []).map((e) => e.message!.trimEnd());
      return accessLines.includes(`${health.headers['x-amzn-requestid']} GET /health 200`);
    }, 'access log lines');
    assert.ok(accessLines.includes(`${pet.headers['x-amzn-requestid']} GET /pets/{petId} 201`), accessLines.join('\n'));
    assert.ok(accessLines.includes(`${health.headers['x-amzn-requestid']} GET /health 200`), accessLines.join('\n'));
  });

  it('PutRestApi overwrites a definition from Swagger 2; a document that is not OpenAPI is a BadRequestException', async () => {
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(OPENAPI) }));
    const put = await client.send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: Buffer.from(SWAGGER) }));
    assert.equal(put.name, 'petstore', 'the name stays');
    const paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/ping']);
    await deploy(client, api.id!, 'v2');
    const pong = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/v2/ping`, { method: 'DELETE' });
    assert.deepEqual(pong.json(), { pong: 'DELETE' });
    await assert.rejects(client.send(new ImportRestApiCommand({ body: Buffer.from('just: yaml') })), BadRequestException);
  });

  it('the aws CLI imports a document from a file', async () => {
    const file = join(t.dataDir, 'swagger.json');
    writeFileSync(file, SWAGGER);
    const res = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', 'import-rest-api', '--body', `fileb://${file}`]);
    assert.equal(res.code, 0, res.stderr);
    const api = JSON.parse(res.stdout) as { id: string; name: string };
    assert.equal(api.name, 'replaced');
    assert.deepEqual((await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path).sort(), ['/', '/ping']);
  });
});
