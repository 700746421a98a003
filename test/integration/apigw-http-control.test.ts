/**
 * API Gateway V2's control plane through the SDK v3 client: HTTP APIs, quick create, routes,
 * integrations, authorizers, stages with auto-deploy, deployments, tags, CORS, AWS's errors, and
 * ImportApi / ReimportApi of OpenAPI documents (YAML and JSON).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetApisCommand,
  GetDeploymentsCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  ImportApiCommand,
  ReimportApiCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:web';
const refusal = (p: Promise<unknown>) => p.then(() => assert.fail('expected a refusal'), (e: Error & { $metadata: { httpStatusCode?: number } }) => e);

describe('API Gateway V2 control plane (SDK v3)', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  before(async () => {
    t = await startTestPlatform();
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    apigw.destroy();
    await t.stop();
  });

  it('quick-creates an HTTP API: a $default route to a Lambda integration and an auto-deployed $default stage', async () => {
    const api = await apigw.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: FN, Tags: { team: 'a' } }));
    assert.match(api.ApiId!, /^[a-z0-9]{10}$/);
    assert.equal(api.ApiEndpoint, `http://${api.ApiId}.execute-api.localhost:${t.platform.port}`);
    assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}');
    assert.equal(api.ApiKeySelectionExpression, '$request.header.x-api-key');
    assert.ok(api.CreatedDate instanceof Date);
    assert.deepEqual(api.Tags, { team: 'a' });
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(routes.length, 1);
    assert.equal(routes[0]!.RouteKey, '$default');
    assert.equal(routes[0]!.ApiGatewayManaged, true);
    const integrations = (await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.equal(routes[0]!.Target, `integrations/${integrations[0]!.IntegrationId}`);
    assert.equal(integrations[0]!.IntegrationType, 'AWS_PROXY');
    assert.equal(integrations[0]!.PayloadFormatVersion, '2.0');
    assert.equal(integrations[0]!.TimeoutInMillis, 30000);
    const stage = await apigw.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.equal(stage.AutoDeploy, true);
    assert.match(stage.DeploymentId!, /^[a-z0-9]{6}$/);
    assert.ok((await apigw.send(new GetApisCommand({}))).Items!.some((a) => a.ApiId === api.ApiId));
  });

  it('creates routes, integrations, authorizers and stages, and answers as API Gateway does', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'built', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET'], MaxAge: 300 } }));
    const integration = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000 }));
    assert.equal(integration.IntegrationMethod, 'POST');
    assert.equal(integration.ConnectionType, 'INTERNET');
    const jwt = await apigw.send(new CreateAuthorizerCommand({ ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'http://127.0.0.1:1/issuer', Audience: ['api'] } }));
    assert.deepEqual(jwt.JwtConfiguration, { Issuer: 'http://127.0.0.1:1/issuer', Audience: ['api'] });
    const route = await apigw.send(
      new CreateRouteCommand({ ApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['read'] }),
    );
    assert.equal(route.AuthorizationType, 'JWT');
    assert.deepEqual((await apigw.send(new GetRouteCommand({ ApiId, RouteId: route.RouteId }))).AuthorizationScopes, ['read']);

    const taken = await refusal(apigw.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /items/{id}' })));
    assert.equal(taken.name, 'ConflictException');
    assert.equal(taken.$metadata.httpStatusCode, 409);
    const badKey = await refusal(apigw.send(new CreateRouteCommand({ ApiId, RouteKey: 'FETCH /x' })));
    assert.equal(badKey.name, 'BadRequestException');
    const tooLong = await refusal(apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0', TimeoutInMillis: 30001 })));
    assert.equal(tooLong.name, 'BadRequestException', 'an input outside the model says BadRequestException, as API Gateway does');
    assert.equal(tooLong.$metadata.httpStatusCode, 400);
    const noApi = await refusal(apigw.send(new GetApiCommand({ ApiId: 'nosuchapi0' })));
    assert.equal(noApi.name, 'NotFoundException');
    assert.equal(noApi.message, 'Invalid API identifier specified nosuchapi0');
    const noRoute = await refusal(apigw.send(new GetRouteCommand({ ApiId, RouteId: 'nope123' })));
    assert.equal(noRoute.name, 'NotFoundException');

    // A stage without AutoDeploy serves only what a deployment gave it.
    const stage = await apigw.send(new CreateStageCommand({ ApiId, StageName: 'prod', StageVariables: { table: 'items' }, AccessLogSettings: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', Format: '$context.requestId' } }));
    assert.equal(stage.AutoDeploy, false);
    assert.equal(stage.DeploymentId, undefined);
    assert.deepEqual(stage.StageVariables, { table: 'items' });
    const dep = await apigw.send(new CreateDeploymentCommand({ ApiId, StageName: 'prod', Description: 'first' }));
    assert.equal(dep.DeploymentStatus, 'DEPLOYED');
    assert.equal((await apigw.send(new GetStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId, dep.DeploymentId);
    const updated = await apigw.send(new UpdateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true, DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 10 } }));
    assert.equal(updated.AutoDeploy, true);
    assert.notEqual(updated.DeploymentId, dep.DeploymentId, 'turning AutoDeploy on deploys');
    assert.equal(updated.DefaultRouteSettings?.ThrottlingBurstLimit, 5);
    await apigw.send(new DeleteRouteCommand({ ApiId, RouteId: route.RouteId }));
    const redeployed = (await apigw.send(new GetStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId;
    assert.notEqual(redeployed, updated.DeploymentId, 'a change redeploys an AutoDeploy stage');
    const deployments = (await apigw.send(new GetDeploymentsCommand({ ApiId }))).Items!;
    assert.equal(deployments.find((d) => d.DeploymentId === redeployed)?.AutoDeployed, true);
    // The auto-deployment it replaced is gone; the one made by hand stays.
    assert.deepEqual(deployments.map((d) => d.DeploymentId).sort(), [dep.DeploymentId, redeployed].sort());
    assert.equal((await apigw.send(new GetStagesCommand({ ApiId }))).Items!.length, 1);
    const dupStage = await refusal(apigw.send(new CreateStageCommand({ ApiId, StageName: 'prod' })));
    assert.equal(dupStage.name, 'ConflictException');

    const withCors = await apigw.send(new UpdateApiCommand({ ApiId, Description: 'items API' }));
    assert.deepEqual(withCors.CorsConfiguration, { AllowOrigins: ['https://app.example'], AllowMethods: ['GET'], MaxAge: 300 });
    await apigw.send(new DeleteCorsConfigurationCommand({ ApiId }));
    assert.equal((await apigw.send(new GetApiCommand({ ApiId }))).CorsConfiguration, undefined);
  });

  it('pages lists with MaxResults and NextToken, and refuses a token it did not give', async () => {
    const paged = await apigw.send(new CreateApiCommand({ Name: 'paged', ProtocolType: 'HTTP', Target: FN }));
    for (const key of ['GET /a', 'GET /b', 'GET /c', 'GET /d']) await apigw.send(new CreateRouteCommand({ ApiId: paged.ApiId, RouteKey: key }));
    const all = (await apigw.send(new GetRoutesCommand({ ApiId: paged.ApiId }))).Items!.map((r) => r.RouteKey).sort();
    assert.deepEqual(all, ['$default', 'GET /a', 'GET /b', 'GET /c', 'GET /d']);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await apigw.send(new GetRoutesCommand({ ApiId: paged.ApiId, MaxResults: '2', ...(token ? { NextToken: token } : {}) }));
      assert.ok(page.Items!.length <= 2);
      seen.push(...page.Items!.map((r) => r.RouteKey!));
      token = page.NextToken;
      pages++;
    } while (token !== undefined);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), all);
    const apis = await apigw.send(new GetApisCommand({ MaxResults: '1' }));
    assert.equal(apis.Items!.length, 1);
    assert.ok(apis.NextToken, 'more APIs remain');
    const bad = await refusal(apigw.send(new GetApisCommand({ NextToken: 'not-a-token' })));
    assert.equal(bad.name, 'BadRequestException');
    assert.equal(bad.$metadata.httpStatusCode, 400);
    assert.equal((await refusal(apigw.send(new GetApisCommand({ MaxResults: '0' })))).name, 'BadRequestException');
  });

  it('tags APIs by ARN, and deletes an API with everything in it', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'tagged', ProtocolType: 'HTTP' }));
    const arn = `arn:aws:apigateway:us-east-1::/apis/${ApiId}`;
    await apigw.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'dev', team: 'b' } }));
    await apigw.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    assert.deepEqual((await apigw.send(new GetTagsCommand({ ResourceArn: arn }))).Tags, { env: 'dev' });
    await apigw.send(new DeleteApiCommand({ ApiId }));
    assert.equal((await refusal(apigw.send(new GetApiCommand({ ApiId })))).name, 'NotFoundException');
  });

  it('stores WebSocket APIs with their route selection expression (the data plane serves HTTP APIs only)', async () => {
    const ws = await apigw.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    assert.equal(ws.ApiEndpoint, `ws://${ws.ApiId}.execute-api.localhost:${t.platform.port}`);
    const route = await apigw.send(new CreateRouteCommand({ ApiId: ws.ApiId, RouteKey: '$connect', RouteResponseSelectionExpression: '$default' }));
    assert.equal(route.RouteResponseSelectionExpression, '$default');
    const missing = await refusal(apigw.send(new CreateApiCommand({ Name: 'chat2', ProtocolType: 'WEBSOCKET' })));
    assert.equal(missing.name, 'BadRequestException');
  });

  it('imports an OpenAPI 3 document in YAML, with integrations, CORS and authorizers, and reimports one in JSON', async () => {
    const yaml = `openapi: "3.0.1"
info:
  title: pets
  version: "1.0"
x-amazon-apigateway-cors:
  allowOrigins: ["*"]
  allowMethods: ["GET", "POST"]
components:
  securitySchemes:
    jwt:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: http://127.0.0.1:1/issuer
          audience: [pets]
paths:
  /pets:
    get:
      security:
        - jwt: [pets.read]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${FN}
        payloadFormatVersion: "2.0"
  /pets/{id}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations
        payloadFormatVersion: "1.0"
`;
    const api = await apigw.send(new ImportApiCommand({ Body: yaml }));
    assert.equal(api.Name, 'pets');
    assert.equal(api.Version, '1.0');
    assert.deepEqual(api.CorsConfiguration, { AllowOrigins: ['*'], AllowMethods: ['GET', 'POST'] });
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ['ANY /pets/{id}', 'GET /pets']);
    const get = routes.find((r) => r.RouteKey === 'GET /pets')!;
    assert.equal(get.AuthorizationType, 'JWT');
    assert.deepEqual(get.AuthorizationScopes, ['pets.read']);
    const integrations = (await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual(integrations.map((i) => i.PayloadFormatVersion).sort(), ['1.0', '2.0']);

    const json = JSON.stringify({ openapi: '3.0.1', info: { title: 'pets-v2' }, paths: { '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'AWS_PROXY', uri: FN, payloadFormatVersion: '2.0' } } } } });
    const again = await apigw.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: json }));
    assert.equal(again.Name, 'pets-v2');
    assert.deepEqual((await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!.map((r) => r.RouteKey), ['$default']);
    const bad = await refusal(apigw.send(new ImportApiCommand({ Body: 'not: [valid' })));
    assert.equal(bad.name, 'BadRequestException');
    const countBefore = (await apigw.send(new GetApisCommand({}))).Items!.length;
    const warned = await refusal(apigw.send(new ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 'warned' }, paths: { '/x': { get: {} } } }), FailOnWarnings: true })));
    assert.equal(warned.name, 'BadRequestException');
    assert.equal((await apigw.send(new GetApisCommand({}))).Items!.length, countBefore, 'a failed import leaves no API behind');
  });
});
