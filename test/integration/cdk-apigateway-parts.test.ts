/**
 * What CDK's RestApi makes of `cloudWatchRole: true`, `addModel`, `addRequestValidator`,
 * `addGatewayResponse` and a method's `requestValidator` / `requestModels` / `requestParameters`,
 * synthesized by aws-cdk-lib itself (the cdk-app fixture's) and deployed as a stack: the stage
 * validates, answers a missing route as set, and the account holds CDK's role.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient, GetAccountCommand, GetModelCommand } from '@aws-sdk/client-api-gateway';
import { CreateStackCommand, DeleteStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { ALL_FIXTURES, ensureFixtureInstalled } from '../helpers/fixture-install.js';
import type { TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

describe('CDK: a RestApi with a model, a request validator, a gateway response and the CloudWatch role', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let apigw: APIGatewayClient;
  let template: string;
  before(async () => {
    const install = await ensureFixtureInstalled('cdk-app', { under: ALL_FIXTURES, requiredFiles: ['node_modules/aws-cdk-lib/package.json', 'node_modules/constructs/package.json'] });
    const synth = await run(process.execPath, [join(ALL_FIXTURES, 'cdk-apigateway', 'synth.cjs'), install.dir]);
    assert.equal(synth.code, 0, synth.stderr);
    template = synth.stdout;
  });
  cfnSuite((s) => {
    ({ t, cfn } = s);
    apigw = new APIGatewayClient(clientConfig(t));
  });
  after(() => apigw?.destroy());

  it('deploys; the stage validates and answers as the app set it; the stack goes', async () => {
    const types = Object.values((JSON.parse(template) as { Resources: Record<string, { Type: string }> }).Resources).map((r) => r.Type);
    for (const type of ['AWS::ApiGateway::Account', 'AWS::ApiGateway::Model', 'AWS::ApiGateway::RequestValidator', 'AWS::ApiGateway::GatewayResponse']) assert.ok(types.includes(type), type);

    await cfn.send(new CreateStackCommand({ StackName: 'cdk-api', TemplateBody: template, Capabilities: ['CAPABILITY_IAM'] }));
    const stack = await settledStack(cfn, 'cdk-api', 180_000);
    const reasons = (await eventsOf(cfn, 'cdk-api')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', reasons.join('\n'));
    const endpoint = stack.Outputs!.find((o) => o.OutputKey?.startsWith('ApiEndpoint'))!.OutputValue!;
    const apiId = new URL(endpoint).hostname.split('.')[0]!;

    assert.match((await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn ?? '', /^arn:aws:iam::\d{12}:role\/.*ApiCloudWatchRole/);
    assert.equal((await apigw.send(new GetModelCommand({ restApiId: apiId, modelName: 'Pet' }))).contentType, 'application/json');

    const post = async (path: string, body: string) => {
      const res = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/prod${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: res.status, text: await res.text() };
    };
    assert.deepEqual(await post('/pets', '{"name":"rex"}'), { status: 400, text: '{"message": "Missing required request parameters: [owner]"}' });
    assert.deepEqual(await post('/pets?owner=ann', '{}'), { status: 400, text: '{"message": "Invalid request body"}' });
    assert.deepEqual(await post('/pets?owner=ann', '{"name":"rex"}'), { status: 200, text: '{"name":"rex"}' });
    const missing = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/prod/nowhere`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await missing.json(), { missing: 'Missing Authentication Token' });

    await cfn.send(new DeleteStackCommand({ StackName: 'cdk-api' }));
    assert.equal((await settledStack(cfn, stack.StackId!, 180_000)).StackStatus, 'DELETE_COMPLETE');
  });
});
