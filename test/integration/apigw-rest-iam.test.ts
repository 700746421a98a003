import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { deploy, proxyApi } from '../helpers/execute-api.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { send, signedCall, type Credentials } from '../helpers/sign.js';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = { accessKeyId: 'AKIASELFLESSAPIGW001', secretAccessKey: 'the-right-secret', accountId: '111122223333' };
const GOOD: Credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };

describe('REST APIs: AWS_IAM methods verify SigV4 signatures for execute-api (with --credentials)', () => {
  let t: TestPlatform;
  let dir: string;
  let apiId: string;
  const clients: { destroy(): void }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-apigw-iam-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json') });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: GOOD, maxAttempts: 1 };
    const lambda = new LambdaClient(config);
    const client = new APIGatewayClient(config);
    clients.push(lambda, client);
    await createFunction(lambda, 'iam-backend', 'apigw-proxy');
    apiId = (await proxyApi(client, 'iam-backend', { method: { authorizationType: 'AWS_IAM' } })).id;
    await deploy(client, apiId, 'prod');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const path = () => `/_aws/execute-api/${apiId}/prod/pets`;

  it('a request signed for execute-api reaches the function with the caller in requestContext.identity', async () => {
    const res = await signedCall(t.platform.url, { method: 'GET', path: path(), service: 'execute-api', credentials: GOOD });
    assert.equal(res.status, 201, res.body);
    const identity = (JSON.parse(res.body) as Event)['requestContext'].identity;
    assert.equal(identity.accessKey, KEY.accessKeyId);
    assert.equal(identity.accountId, KEY.accountId);
    assert.equal(identity.userArn, `arn:aws:iam::${KEY.accountId}:user/${KEY.accessKeyId}`);
  });

  it('unsigned is Missing Authentication Token; a wrong secret or another service is refused with 403', async () => {
    const unsigned = await send(t.platform.url, 'GET', path(), {});
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.body, '{"message":"Missing Authentication Token"}');
    const wrong = await signedCall(t.platform.url, { method: 'GET', path: path(), service: 'execute-api', credentials: { ...GOOD, secretAccessKey: 'nope' } });
    assert.equal(wrong.status, 403);
    assert.match(JSON.parse(wrong.body).message, /signature/i);
    assert.ok(wrong.headers['x-amzn-requestid'] && wrong.headers['x-amz-apigw-id']);
    const otherService = await signedCall(t.platform.url, { method: 'GET', path: path(), service: 'lambda', credentials: GOOD });
    assert.equal(otherService.status, 403);
  });
});
