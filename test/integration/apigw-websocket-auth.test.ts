/**
 * WebSocket APIs on a server that verifies signatures (--credentials): @connections calls are
 * SigV4-signed for `execute-api`, a function calls them with its own session credentials (over TLS,
 * by the event's domainName), and a wrong or missing signature is API Gateway's ForbiddenException.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayManagementApiClient, ForbiddenException, GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { presignedQuery } from '../helpers/sign.js';
import { connect, nextJson, Refused, type Client } from '../helpers/websocket.js';

const KEY = { accessKeyId: 'AKIASELFLESSWSAPI0001', secretAccessKey: 'the-right-secret', accountId: '000000000000' };
const GOOD = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };
const ECHO = 'arn:aws:lambda:us-east-1:000000000000:function:ws-echo';

describe('WebSocket APIs: @connections with signatures verified', () => {
  let t: TestPlatform;
  let dir: string;
  let apigw: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let apiId: string;
  let client: Client;
  let connectionId: string;
  let domainName: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-ws-auth-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json'), tlsPort: 0 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: GOOD, maxAttempts: 1 };
    apigw = new ApiGatewayV2Client(config);
    lambda = new LambdaClient(config);
    await createFunction(lambda, 'ws-echo', 'ws-chat', { Handler: 'echo.handler', Timeout: 30 });
    await createFunction(lambda, 'ws-manage', 'ws-chat', { Handler: 'manage.handler', Timeout: 30 });
    await createFunction(lambda, 'ws-manage-py', 'ws-manage-py', { Runtime: 'python3.11', Handler: 'app.handler', Timeout: 30 });
    ({ ApiId: apiId } = (await apigw.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))) as { ApiId: string });
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ECHO }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true }));
    client = await connect(`ws://127.0.0.1:${t.platform.port}/dev`, `${apiId}.execute-api.localhost:${t.platform.port}`);
    client.ws.send('hello');
    ({ connectionId, domainName } = (await nextJson(client)) as { connectionId: string; domainName: string });
  });
  after(async () => {
    client?.ws.terminate();
    apigw.destroy();
    lambda.destroy();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const mgmt = (credentials: typeof GOOD) => new ApiGatewayManagementApiClient({ endpoint: `${t.platform.url}/_aws/execute-api/${apiId}/dev`, region: 'us-east-1', credentials, maxAttempts: 1 });

  it('answers a call signed with known credentials and refuses a wrong secret with ForbiddenException', async () => {
    const good = mgmt(GOOD);
    const bad = mgmt({ ...GOOD, secretAccessKey: 'wrong' });
    try {
      assert.equal((await good.send(new GetConnectionCommand({ ConnectionId: connectionId }))).Identity?.SourceIp, '127.0.0.1');
      await assert.rejects(bad.send(new GetConnectionCommand({ ConnectionId: connectionId })), (e: unknown) => e instanceof ForbiddenException && e.$metadata.httpStatusCode === 403);
    } finally {
      good.destroy();
      bad.destroy();
    }
    const unsigned = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/dev/@connections/${encodeURIComponent(connectionId)}`);
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'ForbiddenException');
    assert.deepEqual(await unsigned.json(), { message: 'Missing Authentication Token' });
  });

  it("lets a function post to the connection with its own credentials, by the event's domainName", async () => {
    const posted = await lambda.send(new InvokeCommand({ FunctionName: 'ws-manage', Payload: JSON.stringify({ op: 'post', connectionId, domainName, stage: 'dev', data: 'from a function' }) }));
    assert.deepEqual(decode(posted.Payload), { ok: true });
    assert.equal(await client.next(), 'from a function');
    const got = (await lambda.send(new InvokeCommand({ FunctionName: 'ws-manage', Payload: JSON.stringify({ op: 'get', connectionId, domainName, stage: 'dev' }) }))) as { Payload?: Uint8Array };
    const info = decode(got.Payload) as { ok: boolean; identity: { SourceIp: string } };
    assert.equal(info.ok, true);
    assert.equal(info.identity.SourceIp, '127.0.0.1');
    // boto3 in a Python function, by the same name.
    const py = await lambda.send(new InvokeCommand({ FunctionName: 'ws-manage-py', Payload: JSON.stringify({ connectionId, domainName, stage: 'dev', data: 'from python' }) }));
    assert.equal(py.FunctionError, undefined, Buffer.from(py.Payload ?? []).toString());
    assert.deepEqual(decode(py.Payload), { ok: true, gone: 'GoneException', status: 410 });
    assert.equal(await client.next(), 'from python');
    const deleted = await lambda.send(new InvokeCommand({ FunctionName: 'ws-manage', Payload: JSON.stringify({ op: 'delete', connectionId, domainName, stage: 'dev' }) }));
    assert.deepEqual(decode(deleted.Payload), { ok: true });
    await client.closed;
    const gone = await lambda.send(new InvokeCommand({ FunctionName: 'ws-manage', Payload: JSON.stringify({ op: 'get', connectionId, domainName, stage: 'dev' }) }));
    assert.deepEqual(decode(gone.Payload), { ok: false, name: 'GoneException', status: 410 });
  });

  it('refuses an unsigned handshake to an AWS_IAM $connect route, and opens a presigned one', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'ws-iam', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ECHO }));
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', AuthorizationType: 'AWS_IAM', Target: `integrations/${IntegrationId}` }));
    await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: '$default', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
    await apigw.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }));
    const path = `/_aws/execute-api/${ApiId}/dev`;
    await assert.rejects(connect(`ws://127.0.0.1:${t.platform.port}${path}`), (e: unknown) => e instanceof Refused && e.status === 403);
    const wrong = await presignedQuery(t.platform.url, path, 'execute-api', { ...GOOD, secretAccessKey: 'wrong' });
    await assert.rejects(connect(`ws://127.0.0.1:${t.platform.port}${path}?${wrong}`), (e: unknown) => e instanceof Refused && e.status === 403);
    const signed = await presignedQuery(t.platform.url, path, 'execute-api', GOOD);
    const c = await connect(`ws://127.0.0.1:${t.platform.port}${path}?${signed}`);
    try {
      c.ws.send('signed in');
      assert.equal((await nextJson(c)).body, 'signed in');
    } finally {
      c.ws.terminate();
    }
  });
});
