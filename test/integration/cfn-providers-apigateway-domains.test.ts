/** AWS::ApiGateway::DomainName, BasePathMapping and AWS::ApiGatewayV2::DomainName, ApiMapping through CloudFormation: made, served, updated, deleted. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient, GetBasePathMappingsCommand, GetDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnClient, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { httpCall } from '../helpers/execute-api.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/abc';

/** A MOCK REST API answering `{"ok": true}` on GET /items, on two custom domains: one v1, one v2. */
function template(basePath: string, securityPolicy: string): string {
  return JSON.stringify({
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'domains' } },
      Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'items' } },
      ItemsGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: 'Items' },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"ok": true}' } }] },
          MethodResponses: [{ StatusCode: '200' }],
        },
      },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['ItemsGet'], Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
      Domain: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'rest.cfn.example.com', RegionalCertificateArn: CERT, EndpointConfiguration: { Types: ['REGIONAL'] }, SecurityPolicy: securityPolicy } },
      Mapping: { Type: 'AWS::ApiGateway::BasePathMapping', DependsOn: ['Deployment'], Properties: { DomainName: { Ref: 'Domain' }, BasePath: basePath, RestApiId: { Ref: 'Api' }, Stage: 'prod' } },
      DomainV2: { Type: 'AWS::ApiGatewayV2::DomainName', Properties: { DomainName: 'v2.cfn.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: securityPolicy }] } },
      ApiMapping: { Type: 'AWS::ApiGatewayV2::ApiMapping', DependsOn: ['Deployment'], Properties: { DomainName: { Ref: 'DomainV2' }, ApiId: { Ref: 'Api' }, Stage: 'prod', ApiMappingKey: `shop/${basePath}` } },
    },
    Outputs: {
      DomainRef: { Value: { Ref: 'Domain' } },
      Regional: { Value: { 'Fn::GetAtt': ['Domain', 'RegionalDomainName'] } },
      Zone: { Value: { 'Fn::GetAtt': ['Domain', 'RegionalHostedZoneId'] } },
      RegionalV2: { Value: { 'Fn::GetAtt': ['DomainV2', 'RegionalDomainName'] } },
      ZoneV2: { Value: { 'Fn::GetAtt': ['DomainV2', 'RegionalHostedZoneId'] } },
      MappingId: { Value: { Ref: 'ApiMapping' } },
    },
  });
}

/** SAM's `Domain` on an Api and an HttpApi, each in front of a function that echoes its event. */
const SAM = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ path: e.rawPath || e.path, domainName: e.requestContext.domainName }) });
      Events:
        Rest:
          Type: Api
          Properties:
            Path: /items
            Method: get
            RestApiId: !Ref Api
        Http:
          Type: HttpApi
          Properties:
            ApiId: !Ref Http
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain:
        DomainName: sam.example.com
        CertificateArn: ${CERT}
        BasePath: [/rest]
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Domain:
        DomainName: samhttp.example.com
        CertificateArn: ${CERT}
`;

describe('CloudFormation: API Gateway custom domain names', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  before(async () => {
    t = await startTestPlatform();
    cfn = cfnClient(t);
    apigw = new APIGatewayClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cfn?.destroy();
    apigw?.destroy();
    await t?.stop();
  });

  const settle = async () => {
    const stack = await settledStack(cfn, 'domains', 120_000);
    const reasons = (await eventsOf(cfn, 'domains')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { status: stack.StackStatus, reasons: reasons.join('\n'), outputs: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const call = (host: string, path: string) => httpCall(t.platform.url, path, { host });

  it('creates both domains and their mappings, which serve the API over HTTP', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'domains', TemplateBody: template('v1', 'TLS_1_2') }));
    const { status, reasons, outputs } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    assert.equal(outputs.get('DomainRef'), 'rest.cfn.example.com');
    const domain = await apigw.send(new GetDomainNameCommand({ domainName: 'rest.cfn.example.com' }));
    assert.equal(outputs.get('Regional'), domain.regionalDomainName);
    assert.match(outputs.get('Regional')!, /^d-[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(outputs.get('Zone'), 'Z1UJRXOUMOOFQ8');
    assert.match(outputs.get('RegionalV2')!, /^d-[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(outputs.get('ZoneV2'), 'Z1UJRXOUMOOFQ8');
    assert.ok(outputs.get('MappingId'));

    const v1 = await call('rest.cfn.example.com', '/v1/items');
    assert.equal(v1.status, 200, v1.text);
    assert.deepEqual(v1.json(), { ok: true });
    const v2 = await call('v2.cfn.example.com', '/shop/v1/items');
    assert.equal(v2.status, 200, v2.text);
    assert.deepEqual(v2.json(), { ok: true });
  });

  it('updates the mappings and the domains in place', async () => {
    const before = (await settle()).outputs;
    await cfn.send(new UpdateStackCommand({ StackName: 'domains', TemplateBody: template('v2', 'TLS_1_0') }));
    const { status, reasons, outputs } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal(outputs.get('Regional'), before.get('Regional'), 'the domain is patched, not replaced');
    assert.equal(outputs.get('MappingId'), before.get('MappingId'), 'the API mapping is updated in place');
    assert.equal((await apigw.send(new GetDomainNameCommand({ domainName: 'rest.cfn.example.com' }))).securityPolicy, 'TLS_1_0');
    assert.deepEqual((await apigw.send(new GetBasePathMappingsCommand({ domainName: 'rest.cfn.example.com' }))).items?.map((m) => m.basePath), ['v2']);
    assert.equal((await call('rest.cfn.example.com', '/v2/items')).status, 200);
    assert.equal((await call('rest.cfn.example.com', '/v1/items')).status, 403);
    assert.equal((await call('v2.cfn.example.com', '/shop/v2/items')).status, 200);
    assert.equal((await call('v2.cfn.example.com', '/shop/v1/items')).status, 403);
  });

  it('deletes the domains and mappings with the stack', async () => {
    const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: 'domains' }))).Stacks![0]!.StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'domains' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    for (const domainName of ['rest.cfn.example.com', 'v2.cfn.example.com']) {
      await assert.rejects(apigw.send(new GetDomainNameCommand({ domainName })), (e: Error) => e.name === 'NotFoundException');
    }
    const gone = await httpCall(t.platform.url, '/_aws/domain/rest.cfn.example.com/v2/items');
    assert.equal(gone.status, 403);
  });
  it("deploys SAM's Domain on an Api and an HttpApi, which serve the function on those domains", async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'sam-domains', TemplateBody: SAM, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const stack = await settledStack(cfn, 'sam-domains', 120_000);
    const reasons = (await eventsOf(cfn, 'sam-domains')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const rest = await call('sam.example.com', '/rest/items');
    assert.equal(rest.status, 200, rest.text);
    assert.deepEqual(rest.json(), { path: '/rest/items', domainName: 'sam.example.com' });
    const http = await call('samhttp.example.com', '/anything');
    assert.equal(http.status, 200, http.text);
    assert.deepEqual(http.json(), { path: '/anything', domainName: 'samhttp.example.com' });
    const stackId = stack.StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'sam-domains' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    await assert.rejects(apigw.send(new GetDomainNameCommand({ domainName: 'sam.example.com' })), (e: Error) => e.name === 'NotFoundException');
  });
});
