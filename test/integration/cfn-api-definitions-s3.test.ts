/**
 * OpenAPI definitions kept in this server's S3: `BodyS3Location` on AWS::ApiGateway::RestApi and
 * AWS::ApiGatewayV2::Api, and SAM's `DefinitionUri` given as an s3:// location, each served over HTTP
 * once the stack is made, and re-imported when the location changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const BUCKET = 'api-definitions';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:defs-fn';

/** A REST API answering `{"from": <tag>}` on GET /items from a MOCK integration. */
const restDefinition = (tag: string) => `
openapi: 3.0.1
info: { title: rest-from-s3, version: '1' }
paths:
  /items:
    get:
      responses: { '200': { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200', responseTemplates: { application/json: '{"from": "${tag}"}' } } }
`;

/** An HTTP API whose GET <path> is the stack's function. */
const httpDefinition = (path: string) => `
openapi: 3.0.1
info: { title: http-from-s3, version: '1' }
paths:
  ${path}:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: '${FUNCTION_ARN}', payloadFormatVersion: '2.0' }
`;

const FUNCTION = {
  Type: 'AWS::Lambda::Function',
  Properties: {
    FunctionName: 'defs-fn',
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: 'arn:aws:iam::000000000000:role/api',
    Code: { ZipFile: 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ route: e.routeKey }) });' },
  },
};

const cfnTemplate = (restKey: string, httpKey: string, etag?: string) => ({
  Resources: {
    Fn: FUNCTION,
    Rest: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'rest-s3', BodyS3Location: { Bucket: BUCKET, Key: restKey, ...(etag ? { ETag: etag } : {}) } } },
    RestDeployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Rest' }, StageName: 'live', Description: restKey } },
    Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { BodyS3Location: { Bucket: BUCKET, Key: httpKey } } },
    HttpStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Http' }, StageName: '$default', AutoDeploy: true } },
  },
  Outputs: { Rest: { Value: { Ref: 'Rest' } }, Http: { Value: { Ref: 'Http' } } },
});

const samTemplate = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: ${JSON.stringify(FUNCTION.Properties)}
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionUri: s3://${BUCKET}/rest-sam.yaml
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: s3://${BUCKET}/http-sam.yaml
Outputs:
  Rest: { Value: !Ref Rest }
  Http: { Value: !Ref Http }
`;

describe('CloudFormation: API definitions read from S3 (BodyS3Location, SAM DefinitionUri)', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let s3: S3Client;
  const etags = new Map<string, string>();
  cfnSuite((s) => ({ t, cfn } = s));
  before(async () => {
    s3 = new S3Client({ ...clientConfig(t), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const files: [string, string][] = [
      ['rest-1.yaml', restDefinition('one')],
      ['rest-2.yaml', restDefinition('two')],
      ['http-1.yaml', httpDefinition('/one')],
      ['http-2.yaml', httpDefinition('/two')],
      ['rest-sam.yaml', restDefinition('sam')],
      ['http-sam.yaml', httpDefinition('/sam')],
    ];
    for (const [Key, Body] of files) etags.set(Key, (await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))).ETag!);
  });
  after(() => s3.destroy());

  const settle = async (name: string) => {
    const stack = await settledStack(cfn, name, 120_000);
    const reasons = (await eventsOf(cfn, name)).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const get = async (path: string) => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api${path}`);
    return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
  };

  it('RestApi and ApiGatewayV2::Api import their BodyS3Location (ETag checked) and serve it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'defs', TemplateBody: JSON.stringify(cfnTemplate('rest-1.yaml', 'http-1.yaml', etags.get('rest-1.yaml'))) }));
    const { status, reasons, out } = await settle('defs');
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    assert.deepEqual(await get(`/${out.get('Rest')}/live/items`), { status: 200, body: { from: 'one' } });
    assert.deepEqual(await get(`/${out.get('Http')}/one`), { status: 200, body: { route: 'GET /one' } });
  });

  it('a changed location re-imports the definitions in place', async () => {
    const before = (await settle('defs')).out;
    await cfn.send(new UpdateStackCommand({ StackName: 'defs', TemplateBody: JSON.stringify(cfnTemplate('rest-2.yaml', 'http-2.yaml')) }));
    const { status, reasons, out } = await settle('defs');
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.deepEqual([out.get('Rest'), out.get('Http')], [before.get('Rest'), before.get('Http')], 'updated, not replaced');
    assert.deepEqual(await get(`/${out.get('Rest')}/live/items`), { status: 200, body: { from: 'two' } });
    assert.deepEqual(await get(`/${out.get('Http')}/two`), { status: 200, body: { route: 'GET /two' } });
    assert.equal((await get(`/${out.get('Http')}/one`)).status, 404);
    const { stackId } = await settle('defs');
    await cfn.send(new DeleteStackCommand({ StackName: 'defs' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
  });

  it('an ETag that does not match the object fails the stack, naming it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'defs-etag', TemplateBody: JSON.stringify(cfnTemplate('rest-1.yaml', 'http-1.yaml', etags.get('rest-2.yaml'))) }));
    const { status, reasons } = await settle('defs-etag');
    assert.equal(status, 'ROLLBACK_COMPLETE');
    assert.match(reasons, /Rest: .*BodyS3Location\.ETag .* does not match the object at s3:\/\/api-definitions\/rest-1\.yaml/);
  });

  it("SAM's Api and HttpApi take DefinitionUri as an s3:// location", async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'defs-sam', TemplateBody: samTemplate, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    const { status, reasons, out } = await settle('defs-sam');
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    assert.deepEqual(await get(`/${out.get('Rest')}/v1/items`), { status: 200, body: { from: 'sam' } });
    assert.deepEqual(await get(`/${out.get('Http')}/sam`), { status: 200, body: { route: 'GET /sam' } });
  });
});
