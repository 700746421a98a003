/**
 * An HTTP API built from its parts in a template (AWS::ApiGatewayV2::Api, Integration, Route,
 * Authorizer, Deployment, Stage): served over HTTP with a Lambda proxy route behind a Lambda REQUEST
 * authorizer, its Ref and GetAtt values the parts' ids, updated, and deleted with the stack.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ApiGatewayV2Client, GetApiCommand, GetAuthorizerCommand, GetIntegrationCommand, GetRouteCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const ROLE = 'arn:aws:iam::000000000000:role/api';
const HANDLER = "exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ route: e.routeKey, user: (e.requestContext.authorizer || {}).lambda?.user ?? null }) });";
const AUTHORIZER = "exports.handler = async (e) => ({ isAuthorized: e.headers.authorization === 'letmein', context: { user: 'alice' } });";

const template = (routeKey: string, deployment: string) => ({
  Resources: {
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: HANDLER } } },
    AuthFn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: AUTHORIZER } } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'parts', ProtocolType: 'HTTP' } },
    HandlerPermission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'Handler' }, Principal: 'apigateway.amazonaws.com' } },
    AuthPermission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'AuthFn' }, Principal: 'apigateway.amazonaws.com' } },
    Integration: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Handler', 'Arn'] }, PayloadFormatVersion: '2.0', TimeoutInMillis: '29000' },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        Name: 'gate',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations' },
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 0,
      },
    },
    Guarded: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { ApiId: { Ref: 'Api' }, RouteKey: routeKey, Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'Integration' }]] }, AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'Authorizer' } },
    },
    Open: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /open', Target: { 'Fn::Sub': 'integrations/${Integration}' } } },
    [deployment]: { Type: 'AWS::ApiGatewayV2::Deployment', DependsOn: ['Guarded', 'Open'], Properties: { ApiId: { Ref: 'Api' }, Description: deployment } },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', DeploymentId: { Ref: deployment } } },
  },
  Outputs: {
    ApiId: { Value: { Ref: 'Api' } },
    RouteRef: { Value: { Ref: 'Guarded' } },
    RouteAtt: { Value: { 'Fn::GetAtt': ['Guarded', 'RouteId'] } },
    IntegrationRef: { Value: { Ref: 'Integration' } },
    IntegrationAtt: { Value: { 'Fn::GetAtt': ['Integration', 'IntegrationId'] } },
    AuthorizerRef: { Value: { Ref: 'Authorizer' } },
    AuthorizerAtt: { Value: { 'Fn::GetAtt': ['Authorizer', 'AuthorizerId'] } },
    DeploymentRef: { Value: { Ref: deployment } },
    DeploymentAtt: { Value: { 'Fn::GetAtt': [deployment, 'DeploymentId'] } },
  },
});

describe('CloudFormation: an HTTP API from its parts (Route, Integration, Authorizer, Deployment)', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let v2: ApiGatewayV2Client;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    v2 = new ApiGatewayV2Client(clientConfig(t));
  });
  after(() => v2.destroy());

  const settle = async () => {
    const stack = await settledStack(cfn, 'parts', 120_000);
    const reasons = (await eventsOf(cfn, 'parts')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const call = async (apiId: string, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}${path}`, { headers });
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined };
  };

  it('deploys the parts; the Lambda authorizer guards the proxy route; Ref and GetAtt give the ids', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'parts', TemplateBody: JSON.stringify(template('GET /hello', 'DeploymentOne')) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const apiId = out.get('ApiId')!;
    for (const part of ['Route', 'Integration', 'Authorizer', 'Deployment']) assert.equal(out.get(`${part}Ref`), out.get(`${part}Att`), part);

    const route = await v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: out.get('RouteRef')! }));
    assert.deepEqual([route.RouteKey, route.AuthorizationType, route.AuthorizerId, route.Target], ['GET /hello', 'CUSTOM', out.get('AuthorizerRef'), `integrations/${out.get('IntegrationRef')}`]);
    const integration = await v2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: out.get('IntegrationRef')! }));
    assert.deepEqual([integration.IntegrationType, integration.PayloadFormatVersion, integration.TimeoutInMillis], ['AWS_PROXY', '2.0', 29000]);
    const authorizer = await v2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: out.get('AuthorizerRef')! }));
    assert.deepEqual([authorizer.Name, authorizer.AuthorizerType, authorizer.IdentitySource, authorizer.EnableSimpleResponses], ['gate', 'REQUEST', ['$request.header.Authorization'], true]);
    assert.equal((await v2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).DeploymentId, out.get('DeploymentRef'));

    assert.equal((await call(apiId, '/hello')).status, 401, 'no identity: unauthorized');
    assert.equal((await call(apiId, '/hello', { authorization: 'wrong' })).status, 403, 'refused by the authorizer');
    assert.deepEqual(await call(apiId, '/hello', { authorization: 'letmein' }), { status: 200, body: { route: 'GET /hello', user: 'alice' } });
    assert.deepEqual(await call(apiId, '/open'), { status: 200, body: { route: 'GET /open', user: null } });
  });

  it('updates the route in place and serves it through the new deployment', async () => {
    const before = (await settle()).out;
    await cfn.send(new UpdateStackCommand({ StackName: 'parts', TemplateBody: JSON.stringify(template('GET /hi', 'DeploymentTwo')) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    const apiId = out.get('ApiId')!;
    assert.equal(out.get('RouteRef'), before.get('RouteRef'), 'the route is updated, not replaced');
    assert.notEqual(out.get('DeploymentRef'), before.get('DeploymentRef'));
    assert.equal((await v2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).DeploymentId, out.get('DeploymentRef'));
    assert.deepEqual(await call(apiId, '/hi', { authorization: 'letmein' }), { status: 200, body: { route: 'GET /hi', user: 'alice' } });
    assert.equal((await call(apiId, '/hello', { authorization: 'letmein' })).status, 404);
  });

  it('deletes the API with the stack', async () => {
    const { stackId, out } = await settle();
    const apiId = out.get('ApiId')!;
    await cfn.send(new DeleteStackCommand({ StackName: 'parts' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(v2.send(new GetApiCommand({ ApiId: apiId })), (e: Error) => e.name === 'NotFoundException');
  });
});
