/**
 * A REST API stage's MethodSettings (throttling enforced) and AccessLogSetting (lines in its format in
 * its CloudWatch Logs group), and AWS::ApiGateway::UsagePlan, ApiKey and UsagePlanKey: a method that
 * requires an API key answers 403 without it and 200 with it, all made, updated and deleted by a stack.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { APIGatewayClient, GetApiKeyCommand, GetStageCommand, GetUsagePlanCommand, GetUsagePlanKeysCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { waitFor, type TestPlatform } from '../helpers/platform.js';

const mockMethod = (resource: string, apiKeyRequired: boolean) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: {
    RestApiId: { Ref: 'Api' },
    ResourceId: { Ref: resource },
    HttpMethod: 'GET',
    AuthorizationType: 'NONE',
    ApiKeyRequired: apiKeyRequired,
    Integration: {
      Type: 'MOCK',
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': `{"at": "${resource}"}` } }],
    },
    MethodResponses: [{ StatusCode: '200' }],
  },
});

const template = (v: { settings: boolean; keyEnabled: boolean }) => ({
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'keyed' } },
    Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'items' } },
    Open: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'open' } },
    ItemsGet: mockMethod('Items', true),
    OpenGet: mockMethod('Open', false),
    Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['ItemsGet', 'OpenGet'], Properties: { RestApiId: { Ref: 'Api' } } },
    AccessLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'keyed-access' } },
    Stage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        StageName: 'prod',
        DeploymentId: { Ref: 'Deployment' },
        ...(v.settings
          ? {
              // One request, then a token every 100 s: the second request at once is throttled.
              MethodSettings: [{ ResourcePath: '/~1open', HttpMethod: 'GET', ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01, MetricsEnabled: true }],
              AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['AccessLogs', 'Arn'] }, Format: '$context.requestId $context.httpMethod $context.resourcePath $context.status' },
            }
          : {}),
      },
    },
    Key: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Name: 'keyed-key', Enabled: v.keyEnabled } },
    Plan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: { UsagePlanName: 'keyed-plan', ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'Stage' } }], Throttle: { BurstLimit: 100, RateLimit: 50 }, Quota: { Limit: 1000, Period: 'DAY' } },
    },
    PlanKey: { Type: 'AWS::ApiGateway::UsagePlanKey', Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } } },
  },
  Outputs: {
    ApiId: { Value: { Ref: 'Api' } },
    KeyRef: { Value: { Ref: 'Key' } },
    KeyAtt: { Value: { 'Fn::GetAtt': ['Key', 'APIKeyId'] } },
    PlanRef: { Value: { Ref: 'Plan' } },
    PlanAtt: { Value: { 'Fn::GetAtt': ['Plan', 'Id'] } },
    PlanKeyRef: { Value: { Ref: 'PlanKey' } },
    PlanKeyAtt: { Value: { 'Fn::GetAtt': ['PlanKey', 'Id'] } },
  },
});

describe('CloudFormation: REST API stage settings, usage plans and API keys', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    apigw = new APIGatewayClient(clientConfig(t));
  });
  after(() => apigw.destroy());

  const settle = async () => {
    const stack = await settledStack(cfn, 'keyed', 120_000);
    const reasons = (await eventsOf(cfn, 'keyed')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const get = async (apiId: string, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/prod${path}`, { headers });
    return { status: res.status, requestId: res.headers.get('x-amzn-requestid'), body: res.status === 200 ? await res.json() : undefined };
  };
  const keyValue = async (keyId: string) => (await apigw.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }))).value!;

  it('a key-required method answers 403 without the key and 200 with it; the stage throttles and writes its access log', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'keyed', TemplateBody: JSON.stringify(template({ settings: true, keyEnabled: true })) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    const apiId = out.get('ApiId')!;
    for (const r of ['Key', 'Plan', 'PlanKey']) assert.equal(out.get(`${r}Ref`), out.get(`${r}Att`), r);
    assert.equal(out.get('PlanKeyRef'), out.get('KeyRef'), "a plan key's id is its key's");
    const plan = await apigw.send(new GetUsagePlanCommand({ usagePlanId: out.get('PlanRef')! }));
    assert.deepEqual([plan.name, plan.apiStages?.map((s) => `${s.apiId}:${s.stage}`), plan.throttle, plan.quota?.limit], ['keyed-plan', [`${apiId}:prod`], { burstLimit: 100, rateLimit: 50 }, 1000]);
    assert.deepEqual((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: out.get('PlanRef')! }))).items?.map((k) => k.id), [out.get('KeyRef')]);

    const key = await keyValue(out.get('KeyRef')!);
    assert.equal((await get(apiId, '/items')).status, 403, 'no key');
    assert.equal((await get(apiId, '/items', { 'x-api-key': 'not-a-key' })).status, 403, 'an unknown key');
    const served = await get(apiId, '/items', { 'x-api-key': key });
    assert.deepEqual([served.status, served.body], [200, { at: 'Items' }]);

    const stage = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual(Object.values(stage.methodSettings ?? {}), [{ throttlingBurstLimit: 1, throttlingRateLimit: 0.01, metricsEnabled: true }]);
    assert.deepEqual(stage.accessLogSettings, { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:keyed-access:*', format: '$context.requestId $context.httpMethod $context.resourcePath $context.status' });
    assert.equal((await get(apiId, '/open')).status, 200);
    assert.equal((await get(apiId, '/open')).status, 429, 'past the burst of the method setting');

    let lines: string[] = [];
    await waitFor(async () => {
      lines = ((await t.logs.send(new FilterLogEventsCommand({ logGroupName: 'keyed-access' }))).events ?? []).map((e) => e.message!.trimEnd());
      return lines.includes(`${served.requestId} GET /items 200`);
    }, 'the access log line of the served request');
    assert.ok(lines.some((l) => / GET \/items 403$/.test(l)), lines.join('\n'));
  });

  it('an update removes the stage settings and disables the key', async () => {
    const before = (await settle()).out;
    await cfn.send(new UpdateStackCommand({ StackName: 'keyed', TemplateBody: JSON.stringify(template({ settings: false, keyEnabled: false })) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal(out.get('KeyRef'), before.get('KeyRef'), 'the key is updated, not replaced');
    const apiId = out.get('ApiId')!;
    const stage = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual([Object.values(stage.methodSettings ?? {}).filter((s) => Object.keys(s).length > 0), stage.accessLogSettings], [[], undefined]);
    assert.equal((await get(apiId, '/open')).status, 200);
    assert.equal((await get(apiId, '/open')).status, 200, 'no throttle any more');
    assert.equal((await get(apiId, '/items', { 'x-api-key': await keyValue(out.get('KeyRef')!) })).status, 403, 'a disabled key');
  });

  it('deletes the plan, the key and the API with the stack', async () => {
    const { stackId, out } = await settle();
    await cfn.send(new DeleteStackCommand({ StackName: 'keyed' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(apigw.send(new GetUsagePlanCommand({ usagePlanId: out.get('PlanRef')! })), (e: Error) => e.name === 'NotFoundException');
    await assert.rejects(apigw.send(new GetApiKeyCommand({ apiKey: out.get('KeyRef')! })), (e: Error) => e.name === 'NotFoundException');
  });
});
