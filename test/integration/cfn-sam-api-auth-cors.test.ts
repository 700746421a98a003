/**
 * Explicit SAM APIs with their Auth and CORS, deployed through a stack and used over HTTP:
 * AWS::Serverless::Api with a Lambda TOKEN authorizer as its default authorizer and `Cors`, and
 * AWS::Serverless::HttpApi with a Lambda authorizer and `CorsConfiguration`: the preflight is
 * answered, a request without a good token is refused, one with it is served.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, DescribeStackResourceCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
Resources:
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      Cors:
        AllowOrigin: "'https://app.example'"
        AllowHeaders: "'Authorization,Content-Type'"
        AllowMethods: "'GET,OPTIONS'"
        MaxAge: "'600'"
      Auth:
        DefaultAuthorizer: TokenAuth
        AddDefaultAuthorizerToCorsPreflight: false
        Authorizers:
          TokenAuth:
            FunctionArn: !GetAtt TokenFn.Arn
            Identity:
              Header: Authorization
              ReauthorizeEvery: 0
  TokenFn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: |
        exports.handler = async (e) => ({
          principalId: 'alice',
          policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: e.authorizationToken === 'Bearer good' ? 'Allow' : 'Deny', Resource: e.methodArn }] },
          context: { user: 'alice' },
        });
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [https://app.example]
        AllowHeaders: [authorization]
        AllowMethods: [GET]
        MaxAge: 600
      Auth:
        DefaultAuthorizer: RequestAuth
        Authorizers:
          RequestAuth:
            FunctionArn: !GetAtt RequestFn.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableSimpleResponses: true
            Identity:
              Headers: [Authorization]
              ReauthorizeEvery: 0
  RequestFn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: |
        exports.handler = async (e) => ({ isAuthorized: e.headers.authorization === 'Bearer good', context: { user: 'bob' } });
  Backend:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: |
        exports.handler = async (e) => ({
          statusCode: 200,
          headers: { 'access-control-allow-origin': 'https://app.example' },
          body: JSON.stringify({ user: e.requestContext.authorizer.user ?? e.requestContext.authorizer.lambda?.user }),
        });
      Events:
        Rest:
          Type: Api
          Properties: { RestApiId: !Ref RestApi, Path: /items, Method: get }
        Http:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: /items, Method: get }
Outputs:
  RestApiId: { Value: !Ref RestApi }
  HttpApiId: { Value: !Ref HttpApi }
`;

describe('CloudFormation: explicit SAM Api and HttpApi with Auth and CORS', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  cfnSuite((s) => ({ t, cfn } = s));

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: res.status === 200 && text ? JSON.parse(text) : undefined };
  };
  const PREFLIGHT: RequestInit = { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } };

  it('deploys both APIs; each answers the preflight, refuses without a good token and serves with it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'sam-auth', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-auth', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-auth')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const out = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

    const rest = `/${out.get('RestApiId')}/live/items`;
    const restPreflight = await call(rest, PREFLIGHT);
    assert.equal(restPreflight.status, 200);
    assert.equal(restPreflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(restPreflight.headers.get('access-control-allow-methods'), 'GET,OPTIONS');
    assert.equal(restPreflight.headers.get('access-control-allow-headers'), 'Authorization,Content-Type');
    assert.equal(restPreflight.headers.get('access-control-max-age'), '600');
    assert.equal((await call(rest)).status, 401, 'no token');
    assert.equal((await call(rest, { headers: { authorization: 'Bearer bad' } })).status, 403, 'denied by the authorizer');
    const restServed = await call(rest, { headers: { authorization: 'Bearer good', origin: 'https://app.example' } });
    assert.deepEqual([restServed.status, restServed.body], [200, { user: 'alice' }]);

    const http = `/${out.get('HttpApiId')}/items`;
    const httpPreflight = await call(http, PREFLIGHT);
    assert.equal(httpPreflight.status, 204);
    assert.equal(httpPreflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(httpPreflight.headers.get('access-control-allow-methods'), 'GET');
    assert.equal(httpPreflight.headers.get('access-control-allow-headers'), 'authorization');
    assert.equal(httpPreflight.headers.get('access-control-max-age'), '600');
    assert.equal((await call(http)).status, 401, 'no identity');
    assert.equal((await call(http, { headers: { authorization: 'Bearer bad' } })).status, 403, 'refused by the authorizer');
    const httpServed = await call(http, { headers: { authorization: 'Bearer good', origin: 'https://app.example' } });
    assert.deepEqual([httpServed.status, httpServed.body], [200, { user: 'bob' }]);
    assert.equal(httpServed.headers.get('access-control-allow-origin'), 'https://app.example');

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-auth' }));
    assert.equal((await settledStack(cfn, stack.StackId!, 120_000)).StackStatus, 'DELETE_COMPLETE');
  });

  it("Auth.UsagePlan PER_API: the API's methods need the generated key, which its plan admits", async () => {
    // The template the SAM transform test also compares with samtranslator.
    const body = readFileSync(fileURLToPath(new URL('../../../test/fixtures/sam/api-usage-plan.yaml', import.meta.url)), 'utf8');
    await cfn.send(new CreateStackCommand({ StackName: 'sam-plan', TemplateBody: body, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-plan', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-plan')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const physical = async (id: string) => (await cfn.send(new DescribeStackResourceCommand({ StackName: 'sam-plan', LogicalResourceId: id }))).StackResourceDetail!.PhysicalResourceId!;
    const apigw = new APIGatewayClient(clientConfig(t));
    try {
      const key = (await apigw.send(new GetApiKeyCommand({ apiKey: await physical('ApiApiKey'), includeValue: true }))).value!;
      const items = `/${await physical('Api')}/prod/items`;
      assert.equal((await call(items)).status, 403, 'no key');
      const served = await fetch(`${t.platform.url}/_aws/execute-api${items}`, { headers: { 'x-api-key': key } });
      assert.deepEqual([served.status, await served.text()], [200, 'ok']);
      const free = await fetch(`${t.platform.url}/_aws/execute-api/${await physical('Free')}/free/free`);
      assert.deepEqual([free.status, await free.text()], [200, 'ok'], 'CreateUsagePlan NONE: no key needed');
    } finally {
      apigw.destroy();
    }
  });

  it('Auth.UsagePlan SHARED: one generated key opens every API of the shared plan', async () => {
    const body = readFileSync(fileURLToPath(new URL('../../../test/fixtures/sam/api-usage-plan-shared.yaml', import.meta.url)), 'utf8');
    await cfn.send(new CreateStackCommand({ StackName: 'sam-shared', TemplateBody: body, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-shared', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-shared')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const physical = async (id: string) => (await cfn.send(new DescribeStackResourceCommand({ StackName: 'sam-shared', LogicalResourceId: id }))).StackResourceDetail!.PhysicalResourceId!;
    const apigw = new APIGatewayClient(clientConfig(t));
    try {
      const key = (await apigw.send(new GetApiKeyCommand({ apiKey: await physical('ServerlessApiKey'), includeValue: true }))).value!;
      for (const path of [`/${await physical('Orders')}/prod/orders`, `/${await physical('Billing')}/v1/bills`]) {
        assert.equal((await call(path)).status, 403, `${path} without the key`);
        const served = await fetch(`${t.platform.url}/_aws/execute-api${path}`, { headers: { 'x-api-key': key } });
        assert.deepEqual([served.status, await served.text()], [200, 'ok'], path);
      }
    } finally {
      apigw.destroy();
    }
  });
});
