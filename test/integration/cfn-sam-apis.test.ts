/**
 * SAM's `Api` and `HttpApi` events through CloudFormation: the implicit REST API (an inline OpenAPI
 * `Body`), its Deployment and its `Prod` Stage, and the implicit HTTP API with its `$default` stage, are
 * made, serve the function, follow an update, and go with the stack.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { APIGatewayClient, GetRestApiCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const template = (greeting: string, extraPath?: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ greeting: '${greeting}', path: e.path, stage: e.requestContext.stage }) });"
      Events:
        Get:
          Type: Api
          Properties: { Path: /hello, Method: get }
${extraPath ? `        Extra:\n          Type: Api\n          Properties: { Path: ${extraPath}, Method: get }\n` : ''}
Outputs:
  ApiId:
    Value: !Ref ServerlessRestApi
`;

const httpTemplate = (greeting: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ greeting: '${greeting}', route: e.routeKey }) });"
      Events:
        Get:
          Type: HttpApi
          Properties: { Path: /hello, Method: get }
Outputs:
  ApiId:
    Value: !Ref ServerlessHttpApi
`;

describe('CloudFormation: SAM Api and HttpApi events (implicit APIs from OpenAPI bodies, with their stages)', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  let apigwv2: ApiGatewayV2Client;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    apigw = new APIGatewayClient(clientConfig(t));
    apigwv2 = new ApiGatewayV2Client(clientConfig(t));
  });
  after(() => {
    apigw.destroy();
    apigwv2.destroy();
  });

  const call = async (apiId: string, path: string) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/Prod${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('deploys, serves the function on the Prod stage, updates the definition, and deletes the API with the stack', async () => {
    const caps = ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;
    await cfn.send(new CreateStackCommand({ StackName: 'sam-api', TemplateBody: template('hello'), Capabilities: [...caps] }));
    const created = await settledStack(cfn, 'sam-api');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE', created.StackStatusReason);
    const apiId = created.Outputs!.find((o) => o.OutputKey === 'ApiId')!.OutputValue!;
    assert.deepEqual(await call(apiId, '/hello'), { status: 200, body: { greeting: 'hello', path: '/hello', stage: 'Prod' } });
    const stages = (await apigw.send(new GetStagesCommand({ restApiId: apiId }))).item!.map((s) => s.stageName).sort();
    assert.ok(stages.includes('Prod'), JSON.stringify(stages));

    await cfn.send(new UpdateStackCommand({ StackName: 'sam-api', TemplateBody: template('bonjour', '/bye'), Capabilities: [...caps] }));
    const updated = await settledStack(cfn, 'sam-api');
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE', updated.StackStatusReason);
    assert.deepEqual(await call(apiId, '/bye'), { status: 200, body: { greeting: 'bonjour', path: '/bye', stage: 'Prod' } });

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-api' }));
    await settledStack(cfn, 'sam-api').catch(() => undefined);
    await assert.rejects(apigw.send(new GetRestApiCommand({ restApiId: apiId })), (e: Error) => e.name === 'NotFoundException');
  });

  it('HttpApi: the implicit HTTP API serves the function on its $default stage, follows an update, and goes with the stack', async () => {
    const caps = ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;
    await cfn.send(new CreateStackCommand({ StackName: 'sam-http', TemplateBody: httpTemplate('hello'), Capabilities: [...caps] }));
    const created = await settledStack(cfn, 'sam-http');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE', created.StackStatusReason);
    const apiId = created.Outputs!.find((o) => o.OutputKey === 'ApiId')!.OutputValue!;
    const call = async () => {
      const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/hello`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    assert.deepEqual(await call(), { status: 200, body: { greeting: 'hello', route: 'GET /hello' } });
    assert.equal((await apigwv2.send(new GetApiCommand({ ApiId: apiId }))).Tags?.['httpapi:createdBy'], 'SAM');

    await cfn.send(new UpdateStackCommand({ StackName: 'sam-http', TemplateBody: httpTemplate('bonjour'), Capabilities: [...caps] }));
    assert.equal((await settledStack(cfn, 'sam-http')).StackStatus, 'UPDATE_COMPLETE');
    assert.deepEqual(await call(), { status: 200, body: { greeting: 'bonjour', route: 'GET /hello' } });

    await cfn.send(new DeleteStackCommand({ StackName: 'sam-http' }));
    await settledStack(cfn, 'sam-http').catch(() => undefined);
    await assert.rejects(apigwv2.send(new GetApiCommand({ ApiId: apiId })), (e: Error) => e.name === 'NotFoundException');
  });
});
