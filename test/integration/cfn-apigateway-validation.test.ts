/**
 * AWS::ApiGateway::Model, RequestValidator, GatewayResponse and Account, and a Method that uses the
 * first two: a stack makes them, the deployed stage validates and answers as they say, an update
 * changes each in place, and a delete takes the API's parts with it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { APIGatewayClient, GetAccountCommand, GetGatewayResponseCommand, GetModelCommand, GetRequestValidatorCommand, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { lambdaUri } from '../helpers/execute-api.js';
import { createFunction, type TestPlatform } from '../helpers/platform.js';

const schema = (required: string[]) => ({
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required,
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
});

const template = (v: 1 | 2) => ({
  Resources: {
    LogsRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      },
    },
    Account: { Type: 'AWS::ApiGateway::Account', Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': ['LogsRole', 'Arn'] } } },
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'validated' } },
    Pets: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'pets' } },
    PetModel: { Type: 'AWS::ApiGateway::Model', Properties: { RestApiId: { Ref: 'Api' }, ContentType: 'application/json', Description: `v${v}`, Schema: schema(v === 1 ? ['name'] : ['name', 'age']) } },
    Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: { Ref: 'Api' }, Name: 'all', ValidateRequestBody: true, ValidateRequestParameters: v === 1 } },
    PetsPost: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { Ref: 'Pets' },
        HttpMethod: 'POST',
        AuthorizationType: 'NONE',
        RequestValidatorId: { Ref: 'Validator' },
        RequestModels: { 'application/json': { Ref: 'PetModel' } },
        RequestParameters: { 'method.request.querystring.owner': true },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: lambdaUri('cfn-pets') },
      },
    },
    NotFound: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
        StatusCode: v === 1 ? '404' : '410',
        ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        ResponseTemplates: { 'application/json': '{"missing":"$context.error.message"}' },
      },
    },
    Deployment: {
      Type: 'AWS::ApiGateway::Deployment',
      DependsOn: ['PetsPost', 'NotFound', 'Validator', 'PetModel'],
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', Description: `v${v}` },
    },
  },
  Outputs: {
    ApiId: { Value: { Ref: 'Api' } },
    ModelRef: { Value: { Ref: 'PetModel' } },
    ValidatorRef: { Value: { Ref: 'Validator' } },
    ValidatorAtt: { Value: { 'Fn::GetAtt': ['Validator', 'RequestValidatorId'] } },
    ResponseRef: { Value: { Ref: 'NotFound' } },
    AccountRef: { Value: { Ref: 'Account' } },
    RoleArn: { Value: { 'Fn::GetAtt': ['LogsRole', 'Arn'] } },
  },
});

const samTemplate = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Models:
        Pet:
          type: object
          required: [name]
          properties: { name: { type: string } }
      GatewayResponses:
        BAD_REQUEST_BODY:
          StatusCode: 422
          ResponseParameters: { Headers: { X-Why: "'schema'" } }
          ResponseTemplates: { application/json: '{"error":$context.error.messageString}' }
  Pets:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ owner: e.queryStringParameters.owner, body: JSON.parse(e.body) }) });"
      Events:
        Post:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /pets
            Method: post
            RequestModel: { Model: Pet, Required: true, ValidateBody: true, ValidateParameters: true }
            RequestParameters: [{ method.request.querystring.owner: { Required: true } }]
Outputs:
  ApiId:
    Value: !Ref Api
`;

describe('CloudFormation: REST API models, request validators, gateway responses and the account', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    apigw = new APIGatewayClient(clientConfig(t));
  });
  after(() => apigw.destroy());

  const settle = async () => {
    const stack = await settledStack(cfn, 'validated', 120_000);
    const reasons = (await eventsOf(cfn, 'validated')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const call = async (apiId: string, path: string, body?: string) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/prod${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text(), cors: res.headers.get('access-control-allow-origin') };
  };

  it('makes the parts; the stage validates with them and answers a missing route as the stack says', async () => {
    await createFunction(t.lambda, 'cfn-pets', 'apigw-proxy');
    await cfn.send(new CreateStackCommand({ StackName: 'validated', TemplateBody: JSON.stringify(template(1)), Capabilities: ['CAPABILITY_IAM'] }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const apiId = out.get('ApiId')!;
    assert.equal(out.get('ValidatorRef'), out.get('ValidatorAtt'));
    assert.match(out.get('ModelRef')!, /^[A-Za-z0-9]+$/, 'a generated model name is alphanumeric');
    assert.ok(out.get('ResponseRef'));
    assert.ok(out.get('AccountRef'));
    const model = await apigw.send(new GetModelCommand({ restApiId: apiId, modelName: out.get('ModelRef')! }));
    assert.deepEqual(JSON.parse(model.schema!), schema(['name']));
    assert.equal((await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn, out.get('RoleArn'));

    const noOwner = await call(apiId, '/pets', '{"name":"rex"}');
    assert.deepEqual([noOwner.status, noOwner.text], [400, '{"message": "Missing required request parameters: [owner]"}']);
    const badBody = await call(apiId, '/pets?owner=ann', '{"age":1}');
    assert.deepEqual([badBody.status, badBody.text], [400, '{"message": "Invalid request body"}']);
    const ok = await call(apiId, '/pets?owner=ann', '{"name":"rex"}');
    assert.equal(ok.status, 201, ok.text);
    assert.equal((JSON.parse(ok.text) as { body: string }).body, '{"name":"rex"}');
    const missing = await call(apiId, '/nowhere');
    assert.deepEqual([missing.status, missing.cors, JSON.parse(missing.text)], [404, '*', { missing: 'Missing Authentication Token' }]);
  });

  it('an update changes the model, the validator and the response in place', async () => {
    const before = (await settle()).out;
    await cfn.send(new UpdateStackCommand({ StackName: 'validated', TemplateBody: JSON.stringify(template(2)), Capabilities: ['CAPABILITY_IAM'] }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    for (const k of ['ModelRef', 'ValidatorRef', 'ResponseRef', 'AccountRef']) assert.equal(out.get(k), before.get(k), `${k} is updated, not replaced`);
    const apiId = out.get('ApiId')!;
    assert.equal((await apigw.send(new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: out.get('ValidatorRef')! }))).validateRequestParameters, false);
    assert.equal((await apigw.send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).statusCode, '410');

    assert.equal((await call(apiId, '/pets', '{"name":"rex","age":2}')).status, 201, 'parameters are no longer validated');
    assert.equal((await call(apiId, '/pets', '{"name":"rex"}')).status, 400, 'the model now requires age');
    assert.equal((await call(apiId, '/nowhere')).status, 410);
  });

  it('deletes the API and its parts with the stack, and leaves the account setting as CloudFormation does', async () => {
    const { stackId, out } = await settle();
    await cfn.send(new DeleteStackCommand({ StackName: 'validated' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(apigw.send(new GetRestApiCommand({ restApiId: out.get('ApiId')! })), (e: Error) => e.name === 'NotFoundException');
    assert.equal((await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn, out.get('RoleArn'));
  });

  it("SAM's Models, RequestModel, RequestParameters and GatewayResponses take effect on the deployed API", async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'sam-validated', TemplateBody: samTemplate, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-validated', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-validated')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const apiId = stack.Outputs!.find((o) => o.OutputKey === 'ApiId')!.OutputValue!;
    assert.deepEqual((await apigw.send(new GetModelCommand({ restApiId: apiId, modelName: 'pet' }))).name, 'pet');

    const noOwner = await call(apiId, '/pets', '{"name":"rex"}');
    assert.deepEqual([noOwner.status, noOwner.text], [400, '{"message": "Missing required request parameters: [owner]"}']);
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/prod/pets?owner=ann`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"age":1}' });
    assert.equal(res.status, 422);
    assert.equal(res.headers.get('x-why'), 'schema');
    assert.deepEqual(await res.json(), { error: 'Invalid request body' });
    const ok = await call(apiId, '/pets?owner=ann', '{"name":"rex"}');
    assert.deepEqual([ok.status, JSON.parse(ok.text)], [200, { owner: 'ann', body: { name: 'rex' } }]);

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-validated' }));
    assert.equal((await settledStack(cfn, stack.StackId!, 120_000)).StackStatus, 'DELETE_COMPLETE');
  });
});
