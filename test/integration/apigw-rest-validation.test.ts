import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestException,
  ConflictException,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteGatewayResponseCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  GetAccountCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetMethodCommand,
  GetModelCommand,
  GetModelsCommand,
  ImportRestApiCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  NotFoundException,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateGatewayResponseCommand,
  UpdateMethodCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, deploy, httpCall, lambdaUri } from '../helpers/execute-api.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const PET_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Pet',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0, maximum: 30, exclusiveMaximum: true } },
});

describe('REST APIs: models, request validators, gateway responses and the account', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;

  before(async () => {
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    await createFunction(t.lambda, 'proxy', 'apigw-proxy');
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('creates, reads, pages, patches and deletes models, with AWS errors', async () => {
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'models' }));
    const builtIn = await client.send(new GetModelsCommand({ restApiId }));
    assert.deepEqual(builtIn.items?.map((m) => m.name), ['Empty', 'Error'], 'every new API has the two built-in models');

    const pet = await client.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: PET_SCHEMA, description: 'a pet' }));
    assert.match(pet.id!, /^[a-z0-9]+$/);
    assert.equal(pet.name, 'Pet');
    assert.equal(pet.schema, PET_SCHEMA);
    const dup = await client.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{}' })).catch((e: unknown) => e);
    assert.ok(dup instanceof ConflictException, String(dup));
    assert.equal(dup.$metadata.httpStatusCode, 409);
    await assert.rejects(client.send(new CreateModelCommand({ restApiId, name: 'Bad', contentType: 'application/json', schema: '{"type": 7}' })), BadRequestException);
    await assert.rejects(client.send(new CreateModelCommand({ restApiId, name: 'NotJson', contentType: 'application/json', schema: 'nope' })), BadRequestException);
    await assert.rejects(client.send(new CreateModelCommand({ restApiId, name: 'has-dash', contentType: 'application/json', schema: '{}' })), BadRequestException);
    // A model refers to another by its URI.
    const ref = JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Pet` } });
    await client.send(new CreateModelCommand({ restApiId, name: 'Pets', contentType: 'application/json', schema: ref }));
    const danglingRef = JSON.stringify({ $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Nothing` });
    await assert.rejects(client.send(new CreateModelCommand({ restApiId, name: 'Dangling', contentType: 'application/json', schema: danglingRef })), BadRequestException);

    const first = await client.send(new GetModelsCommand({ restApiId, limit: 2 }));
    assert.equal(first.items?.length, 2);
    assert.ok(first.position);
    const rest = await client.send(new GetModelsCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual([...first.items!, ...rest.items!].map((m) => m.name), ['Empty', 'Error', 'Pet', 'Pets']);

    const updated = await client.send(
      new UpdateModelCommand({ restApiId, modelName: 'Pet', patchOperations: [{ op: 'replace', path: '/description', value: 'renamed' }, { op: 'replace', path: '/schema', value: '{"type": "object"}' }] }),
    );
    assert.equal(updated.description, 'renamed');
    assert.equal((await client.send(new GetModelCommand({ restApiId, modelName: 'Pet' }))).schema, '{"type": "object"}');
    await assert.rejects(client.send(new UpdateModelCommand({ restApiId, modelName: 'Pet', patchOperations: [{ op: 'replace', path: '/schema', value: '[' }] })), BadRequestException);

    await assert.rejects(client.send(new DeleteModelCommand({ restApiId, modelName: 'Pet' })), BadRequestException, 'Pets still refers to Pet');
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'Pets' }));
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'Pet' }));
    const gone = await client.send(new GetModelCommand({ restApiId, modelName: 'Pet' })).catch((e: unknown) => e);
    assert.ok(gone instanceof NotFoundException, String(gone));
    assert.equal(gone.$metadata.httpStatusCode, 404);
  });

  it('creates, lists, patches and deletes request validators; methods refer to them and to models', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'validators' }));
    const restApiId = api.id!;
    const v = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'params-only', validateRequestParameters: true }));
    assert.deepEqual({ name: v.name, body: v.validateRequestBody, params: v.validateRequestParameters }, { name: 'params-only', body: false, params: true });
    await assert.rejects(client.send(new CreateRequestValidatorCommand({ restApiId, name: 'params-only' })), ConflictException);
    const patched = await client.send(new UpdateRequestValidatorCommand({ restApiId, requestValidatorId: v.id, patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'true' }] }));
    assert.equal(patched.validateRequestBody, true);
    assert.equal((await client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: v.id }))).validateRequestBody, true);
    assert.deepEqual((await client.send(new GetRequestValidatorsCommand({ restApiId }))).items?.map((x) => x.id), [v.id]);

    await assert.rejects(
      client.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE', requestValidatorId: 'nope00' })),
      NotFoundException,
    );
    await assert.rejects(
      client.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE', requestModels: { 'application/json': 'Missing' } })),
      BadRequestException,
    );
    await client.send(
      new PutMethodCommand({
        restApiId,
        resourceId: api.rootResourceId,
        httpMethod: 'POST',
        authorizationType: 'NONE',
        requestValidatorId: v.id,
        requestModels: { 'application/json': 'Error' },
        requestParameters: { 'method.request.querystring.q': true },
      }),
    );
    const method = await client.send(
      new UpdateMethodCommand({
        restApiId,
        resourceId: api.rootResourceId,
        httpMethod: 'POST',
        patchOperations: [
          { op: 'replace', path: '/requestModels/application~1json', value: 'Empty' },
          { op: 'add', path: '/requestParameters/method.request.header.x-id', value: 'true' },
        ],
      }),
    );
    assert.deepEqual(method.requestModels, { 'application/json': 'Empty' });
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.q': true, 'method.request.header.x-id': true });
    assert.equal((await client.send(new GetMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'POST' }))).requestValidatorId, v.id);

    await assert.rejects(client.send(new DeleteModelCommand({ restApiId, modelName: 'Empty' })), BadRequestException, 'a method still uses the model');
    await assert.rejects(client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: v.id })), ConflictException, 'a method still uses the validator');
    await client.send(new UpdateMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'POST', patchOperations: [{ op: 'remove', path: '/requestValidatorId' }] }));
    await client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: v.id }));
    const gone = await client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: v.id })).catch((e: unknown) => e);
    assert.ok(gone instanceof NotFoundException && gone.$metadata.httpStatusCode === 404, String(gone));
  });

  it('answers every gateway response type, default or set; puts, patches and deletes them', async () => {
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'responses' }));
    const unset = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
    assert.equal(unset.defaultResponse, true);
    assert.equal(unset.statusCode, '401');
    assert.deepEqual(unset.responseTemplates, { 'application/json': '{"message":$context.error.messageString}' });

    const put = await client.send(
      new PutGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED', statusCode: '403', responseParameters: { 'gatewayresponse.header.X-Why': "'nope'" }, responseTemplates: { 'application/json': '{"why":"$context.error.message"}' } }),
    );
    assert.equal(put.defaultResponse, false);
    await assert.rejects(client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'THROTTLED', responseParameters: { 'not.a.target': "'x'" } })), BadRequestException);

    const all = await client.send(new GetGatewayResponsesCommand({ restApiId }));
    assert.equal(all.items?.length, 21, 'every type AWS documents');
    const byType = new Map(all.items!.map((r) => [r.responseType, r]));
    assert.equal(byType.get('UNAUTHORIZED')?.defaultResponse, false);
    assert.equal(byType.get('UNAUTHORIZED')?.statusCode, '403');
    assert.equal(byType.get('DEFAULT_4XX')?.defaultResponse, true);
    assert.equal(byType.get('DEFAULT_4XX')?.statusCode, undefined);
    assert.equal(byType.get('INTEGRATION_TIMEOUT')?.statusCode, '504');

    const patched = await client.send(
      new UpdateGatewayResponseCommand({
        restApiId,
        responseType: 'UNAUTHORIZED',
        patchOperations: [{ op: 'replace', path: '/statusCode', value: '401' }, { op: 'remove', path: '/responseParameters/gatewayresponse.header.X-Why' }],
      }),
    );
    assert.equal(patched.statusCode, '401');
    assert.deepEqual(patched.responseParameters ?? {}, {});
    // A default type is set by its first update.
    const fromDefault = await client.send(new UpdateGatewayResponseCommand({ restApiId, responseType: 'THROTTLED', patchOperations: [{ op: 'replace', path: '/statusCode', value: '503' }] }));
    assert.equal(fromDefault.defaultResponse, false);
    assert.equal(fromDefault.statusCode, '503');

    await client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }))).defaultResponse, true);
    await assert.rejects(client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' })), NotFoundException);
    await assert.rejects(client.send(new GetGatewayResponsesCommand({ restApiId: 'missing000' })), NotFoundException);
  });

  it('keeps the account CloudWatch role and reports its throttle', async () => {
    const before = await client.send(new GetAccountCommand({}));
    assert.deepEqual(before.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    const role = 'arn:aws:iam::000000000000:role/apigw-logs';
    const updated = await client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: role }] }));
    assert.equal(updated.cloudwatchRoleArn, role);
    assert.equal((await client.send(new GetAccountCommand({}))).cloudwatchRoleArn, role);
    await assert.rejects(client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'not-an-arn' }] })), BadRequestException);
    await assert.rejects(client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle', value: '1' }] })), BadRequestException);
  });

  it('a deployed stage validates parameters and bodies, and answers refusals as the API set them', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'validated' }));
    const restApiId = api.id!;
    await client.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: PET_SCHEMA }));
    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    const pets = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
    const secret = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'secret' }));
    await client.send(
      new PutMethodCommand({
        restApiId,
        resourceId: pets.id,
        httpMethod: 'POST',
        authorizationType: 'NONE',
        requestValidatorId: validator.id,
        requestModels: { 'application/json': 'Pet' },
        requestParameters: { 'method.request.querystring.owner': true, 'method.request.header.x-tenant': true, 'method.request.querystring.optional': false },
      }),
    );
    await client.send(new PutMethodCommand({ restApiId, resourceId: secret.id, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }));
    for (const [resourceId, httpMethod] of [[pets.id, 'POST'], [secret.id, 'GET']] as const) {
      await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('proxy') }));
    }
    await client.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.X-Gateway': "'selfless'", 'gatewayresponse.header.X-Asked': 'method.request.header.x-tenant' },
        responseTemplates: { 'application/json': '{"error":"$context.error.message","type":"$context.error.responseType","quoted":$context.error.messageString}' },
      }),
    );
    await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
    await deploy(client, restApiId, 'prod');
    const call = (path: string, o: Parameters<typeof httpCall>[2] = {}) => httpCall(t.platform.url, `/_aws/execute-api/${restApiId}/prod${path}`, o);
    const json = { 'content-type': 'application/json' };

    const noParams = await call('/pets', { method: 'POST', headers: json, body: '{"name":"rex"}' });
    assert.equal(noParams.status, 400);
    assert.equal(noParams.text, '{"message": "Missing required request parameters: [owner, x-tenant]"}');
    assert.equal(noParams.headers['x-amzn-errortype'], 'BadRequestException');
    assert.equal(noParams.headers['access-control-allow-origin'], '*', 'DEFAULT_4XX stands for BAD_REQUEST_PARAMETERS, which is not set');

    const badBody = await call('/pets?owner=ann', { method: 'POST', headers: { ...json, 'x-tenant': 't1' }, body: '{"age": 3}' });
    assert.equal(badBody.status, 400);
    assert.equal(badBody.text, '{"message": "Invalid request body"}');
    const draft4 = await call('/pets?owner=ann', { method: 'POST', headers: { ...json, 'x-tenant': 't1' }, body: '{"name":"rex","age":30}' });
    assert.equal(draft4.status, 400, "draft 4's boolean exclusiveMaximum holds");
    const notJson = await call('/pets?owner=ann', { method: 'POST', headers: { ...json, 'x-tenant': 't1' }, body: '{name' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.text, '{"message": "Invalid request body"}');

    const ok = await call('/pets?owner=ann', { method: 'POST', headers: { ...json, 'x-tenant': 't1' }, body: '{"name":"rex","age":3}' });
    assert.equal(ok.status, 201, ok.text);
    const event = ok.json() as { body: string; queryStringParameters: Record<string, string> };
    assert.equal(event.body, '{"name":"rex","age":3}');
    assert.deepEqual(event.queryStringParameters, { owner: 'ann' });

    const unknown = await call('/nowhere', { headers: { 'x-tenant': 'acme' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers['x-gateway'], 'selfless');
    assert.equal(unknown.headers['x-asked'], 'acme');
    assert.equal(unknown.headers['access-control-allow-origin'], undefined, 'a type that is set stands alone');
    assert.deepEqual(unknown.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', quoted: 'Missing Authentication Token' });

    const noKey = await call('/secret');
    assert.equal(noKey.status, 403);
    assert.deepEqual(noKey.json(), { message: 'Forbidden' });
    assert.equal(noKey.headers['access-control-allow-origin'], '*');
    const tooLarge = await call('/pets?owner=ann', { method: 'POST', headers: { ...json, 'x-tenant': 't1' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) });
    assert.deepEqual([tooLarge.status, tooLarge.headers['access-control-allow-origin']], [413, '*'], 'REQUEST_TOO_LARGE is a 4XX too');

    // The stage serves what was deployed: a changed validator waits for the next deployment.
    await client.send(new UpdateRequestValidatorCommand({ restApiId, requestValidatorId: validator.id, patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'false' }] }));
    await client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal((await call('/pets', { method: 'POST', headers: json, body: '{"name":"rex"}' })).status, 400);
    assert.equal((await call('/nowhere')).status, 404);
    await deploy(client, restApiId, 'prod');
    assert.equal((await call('/pets', { method: 'POST', headers: json, body: '{"name":"rex"}' })).status, 201);
    assert.equal((await call('/pets', { method: 'POST', headers: json, body: '{}' })).status, 400, 'the body is still validated');
    const plain = await call('/nowhere');
    assert.equal(plain.status, 403);
    assert.deepEqual(plain.json(), { message: 'Missing Authentication Token' });
    assert.equal(plain.headers['access-control-allow-origin'], '*', 'now DEFAULT_4XX stands for it');
  });

  it('imports models, validators, body models and gateway responses from a Swagger definition (as SAM writes them)', async () => {
    const swagger = {
      swagger: '2.0',
      info: { title: 'imported-parts', version: '1.0' },
      'x-amazon-apigateway-request-validators': { 'body-and-params': { validateRequestBody: true, validateRequestParameters: true } },
      'x-amazon-apigateway-gateway-responses': {
        MISSING_AUTHENTICATION_TOKEN: { statusCode: '404', responseParameters: { 'gatewayresponse.header.X-Gw': "'sam'" }, responseTemplates: { 'application/json': '{"m":$context.error.messageString}' } },
      },
      definitions: {
        pet: { type: 'object', required: ['name', 'tag'], properties: { name: { type: 'string' }, tag: { $ref: '#/definitions/tag' } } },
        tag: { type: 'string', enum: ['dog', 'cat'] },
      },
      paths: {
        '/pets': {
          post: {
            'x-amazon-apigateway-request-validator': 'body-and-params',
            parameters: [
              { in: 'body', name: 'pet', required: true, schema: { $ref: '#/definitions/pet' } },
              { in: 'query', name: 'owner', required: true, type: 'string' },
            ],
            responses: {},
            'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: lambdaUri('proxy') },
          },
        },
      },
    };
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(swagger)) }));
    const restApiId = api.id!;
    assert.deepEqual((await client.send(new GetModelsCommand({ restApiId }))).items?.map((m) => m.name), ['Empty', 'Error', 'pet', 'tag']);
    const validators = (await client.send(new GetRequestValidatorsCommand({ restApiId }))).items!;
    assert.deepEqual(validators.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]), [['body-and-params', true, true]]);
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).statusCode, '404');
    await deploy(client, restApiId, 'prod');
    const call = (path: string, body?: string) =>
      httpCall(t.platform.url, `/_aws/execute-api/${restApiId}/prod${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal((await call('/pets', '{"name":"rex","tag":"dog"}')).text, '{"message": "Missing required request parameters: [owner]"}');
    assert.equal((await call('/pets?owner=a', '{"name":"rex","tag":"cow"}')).status, 400, 'the referenced model holds too');
    assert.equal((await call('/pets?owner=a', '{"name":"rex","tag":"dog"}')).status, 201);
    const missing = await call('/nowhere');
    assert.deepEqual([missing.status, missing.headers['x-gw'], missing.json()], [404, 'sam', { m: 'Missing Authentication Token' }]);
  });

  it('boto3 and the aws CLI list gateway responses', async () => {
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'listed' }));
    await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_5XX', statusCode: '503' }));
    const script = `
import boto3, json, sys
c = boto3.client('apigateway', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
items = c.get_gateway_responses(restApiId=sys.argv[2])['items']
print(json.dumps({r['responseType']: [r.get('statusCode'), r['defaultResponse']] for r in items}))
`;
    const py = await run('python3', ['-c', script, t.platform.url, restApiId!]);
    assert.equal(py.code, 0, py.stderr);
    const byType = JSON.parse(py.stdout) as Record<string, [string | null, boolean]>;
    assert.deepEqual(byType['DEFAULT_5XX'], ['503', false]);
    assert.deepEqual(byType['BAD_REQUEST_BODY'], ['400', true]);
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', 'get-gateway-response', '--rest-api-id', restApiId!, '--response-type', 'DEFAULT_5XX']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { statusCode: string }).statusCode, '503');
  });
});
