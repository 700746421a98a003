/** AWS::ApiGateway::RestApi, Resource, Method, Authorizer and Deployment through CloudFormation: made, served, updated, deleted. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient, GetAuthorizerCommand, GetDeploymentsCommand, GetRestApiCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { httpCall } from '../helpers/execute-api.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** A MOCK API answering `{"v": version}` on GET /items; each version has its own deployment, as the Serverless Framework makes them. */
function template(version: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'cfn-rest', Description: `v${version}`, EndpointConfiguration: { Types: ['REGIONAL'] }, Policy: '', ...extra } },
      Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'items' } },
      ItemsGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: 'Items' },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: {
            Type: 'MOCK',
            RequestTemplates: { 'application/json': '{"statusCode": 200}' },
            IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': `{"v": ${version}}` } }],
          },
          MethodResponses: [{ StatusCode: '200' }],
        },
      },
      Tokens: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: {
          RestApiId: { Ref: 'Api' },
          Name: 'tokens',
          Type: 'TOKEN',
          IdentitySource: 'method.request.header.Authorization',
          AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations',
          AuthorizerResultTtlInSeconds: version === 1 ? 300 : 0,
        },
      },
      [`Deployment${version}`]: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['ItemsGet'], Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
    },
    Outputs: { ApiId: { Value: { Ref: 'Api' } }, Root: { Value: { 'Fn::GetAtt': ['Api', 'RootResourceId'] } }, DeploymentId: { Value: { Ref: `Deployment${version}` } }, AuthorizerId: { Value: { Ref: 'Tokens' } } },
  });
}

describe('CloudFormation: API Gateway REST APIs', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  before(async () => {
    t = await startTestPlatform();
    cfn = cfnClient(t);
    apigw = new APIGatewayClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cfn.destroy();
    apigw.destroy();
    await t.stop();
  });

  const settle = async () => {
    const stack = await settledStack(cfn, 'rest', 120_000);
    const reasons = (await eventsOf(cfn, 'rest')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { status: stack.StackStatus, reasons: reasons.join('\n'), outputs: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const items = async (apiId: string) => (await httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod/items`)).json();

  it('creates the API, its resource, method and a deployment to a stage that serves it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'rest', TemplateBody: template(1) }));
    const { status, reasons, outputs } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const apiId = outputs.get('ApiId')!;
    const api = await apigw.send(new GetRestApiCommand({ restApiId: apiId }));
    assert.deepEqual([api.name, api.description, api.endpointConfiguration?.types, api.policy], ['cfn-rest', 'v1', ['REGIONAL'], undefined]);
    assert.equal(outputs.get('Root'), api.rootResourceId);
    assert.equal((await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }))).deploymentId, outputs.get('DeploymentId'));
    assert.deepEqual(await items(apiId), { v: 1 });
  });

  it('updates the method and authorizer in place and moves the stage to the new deployment, deleting the old one', async () => {
    const before = (await settle()).outputs;
    const apiId = before.get('ApiId')!;
    await cfn.send(new UpdateStackCommand({ StackName: 'rest', TemplateBody: template(2, { BinaryMediaTypes: ['image/png'], Tags: [{ Key: 'team', Value: 'blue' }] }) }));
    const { status, reasons, outputs } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal(outputs.get('ApiId'), apiId, 'the API is updated, not replaced');
    const api = await apigw.send(new GetRestApiCommand({ restApiId: apiId }));
    assert.deepEqual([api.description, api.binaryMediaTypes, api.tags], ['v2', ['image/png'], { team: 'blue' }]);
    const deployments = (await apigw.send(new GetDeploymentsCommand({ restApiId: apiId }))).items ?? [];
    assert.deepEqual(deployments.map((d) => d.id), [outputs.get('DeploymentId')]);
    assert.notEqual(outputs.get('DeploymentId'), before.get('DeploymentId'));
    assert.deepEqual(await items(apiId), { v: 2 });
    assert.equal(outputs.get('AuthorizerId'), before.get('AuthorizerId'), 'the authorizer is patched in place');
    const tokens = await apigw.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: outputs.get('AuthorizerId')! }));
    assert.deepEqual([tokens.name, tokens.type, tokens.authorizerResultTtlInSeconds], ['tokens', 'TOKEN', 0]);
  });

  it('deletes the API with the stack', async () => {
    const apiId = (await settle()).outputs.get('ApiId')!;
    const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: 'rest' }))).Stacks![0]!.StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'rest' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(apigw.send(new GetRestApiCommand({ restApiId: apiId })), (e: Error) => e.name === 'NotFoundException');
  });
});
