/**
 * WebSocket APIs over a real `ws` client: route selection by `$request.body.action`, `$default`,
 * route responses, API Gateway's error frames, $connect refusals, the 128 KB message limit, the
 * idle and duration limits on API Gateway's clock, and the @connections API (GetConnection,
 * PostToConnection, DeleteConnection, GoneException, PayloadTooLargeException) through
 * @aws-sdk/client-apigatewaymanagementapi; the control plane through the SDK and the aws CLI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  GetApiCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { connect, nextJson, Refused, type Client } from '../helpers/websocket.js';

const ECHO = 'arn:aws:lambda:us-east-1:000000000000:function:ws-echo';
const AUTHORIZER = 'arn:aws:lambda:us-east-1:000000000000:function:ws-authorizer';

describe('WebSocket APIs: routes, limits and @connections', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  let port: number;
  const clock = new ManualClock();
  const clients: Client[] = [];

  before(async () => {
    t = await startTestPlatform({}, undefined, { apigatewayClock: clock });
    port = t.platform.port;
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await createFunction(t.lambda, 'ws-echo', 'ws-chat', { Handler: 'echo.handler', Timeout: 30 });
    await createFunction(t.lambda, 'ws-authorizer', 'apigw-authorizer');
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    apigw.destroy();
    await t.stop();
  });

  /** A WebSocket API whose routes all go to the echo function, on an auto-deployed stage `dev`. */
  async function wsApi(routes: { key: string; respond?: boolean }[], selection = '$request.body.action'): Promise<string> {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: selection }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ECHO }));
    for (const r of routes) {
      await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: r.key, Target: `integrations/${IntegrationId}`, ...(r.respond ? { RouteResponseSelectionExpression: '$default' } : {}) }));
    }
    await apigw.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }));
    return ApiId!;
  }

  const open = async (apiId: string, query = '') => {
    const c = await connect(`ws://127.0.0.1:${port}/dev${query}`, `${apiId}.execute-api.localhost:${port}`);
    clients.push(c);
    return c;
  };

  it('routes by $request.body.action, falls back to $default, and sends route responses back', async () => {
    const apiId = await wsApi([{ key: '$connect' }, { key: 'ping', respond: true }, { key: 'silent' }, { key: '$default', respond: true }]);
    const c = await open(apiId);
    c.ws.send(JSON.stringify({ action: 'ping', n: 1 }));
    const ping = await nextJson(c);
    assert.equal(ping.routeKey, 'ping');
    assert.equal(ping.eventType, 'MESSAGE');
    assert.equal(ping.body, '{"action":"ping","n":1}');
    assert.equal(ping.isBase64Encoded, false);
    assert.equal(typeof ping.messageId, 'string');
    assert.equal(ping.stage, 'dev');
    assert.equal(ping.apiId, apiId);
    assert.equal(ping.domainName, `${apiId}.execute-api.localhost:${port}`);
    assert.equal(ping.identity.sourceIp, '127.0.0.1');

    c.ws.send('not json at all');
    assert.deepEqual([(await nextJson(c)).routeKey], ['$default']);
    c.ws.send(JSON.stringify({ action: 'nosuchroute' }));
    assert.equal((await nextJson(c)).routeKey, '$default');
    c.ws.send(JSON.stringify({ action: 'silent' })); // a one-way route: nothing comes back
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const bin = await nextJson(c);
    assert.equal(bin.routeKey, '$default');
    assert.equal(bin.isBase64Encoded, true);
    assert.equal(bin.body, 'AQID');

    c.ws.send('fail');
    const err = await nextJson(c);
    assert.equal(err.message, 'Internal server error');
    assert.equal(err.connectionId, ping.connectionId);
    assert.match(err.requestId, /^[A-Za-z0-9]{15}=$/);
  });

  it("answers a message no route takes with API Gateway's Forbidden frame", async () => {
    const apiId = await wsApi([{ key: 'ping', respond: true }]);
    const c = await open(apiId); // no $connect route: every handshake is accepted
    c.ws.send(JSON.stringify({ action: 'other' }));
    const frame = await nextJson(c);
    assert.equal(frame.message, 'Forbidden');
    assert.equal(typeof frame.connectionId, 'string');
    assert.equal(typeof frame.requestId, 'string');
  });

  it("answers a message whose integration outlives its timeout (29 s by default) with API Gateway's timeout frame", async () => {
    const apiId = await wsApi([{ key: '$default', respond: true }]);
    const { Items } = await apigw.send(new GetIntegrationsCommand({ ApiId: apiId }));
    assert.equal(Items?.[0]?.TimeoutInMillis, 29_000);
    const c = await open(apiId);
    c.ws.send('slow');
    // The function answers after 5 s; API Gateway's clock steps past the timeout as soon as the
    // invocation has begun (stepped until the frame comes, since the step may precede the invocation).
    const frame = nextJson(c);
    let got: Record<string, any> | undefined;
    for (let i = 0; i < 15 && got === undefined; i++) {
      clock.advance(29_000);
      got = await Promise.race([frame, new Promise<undefined>((r) => setTimeout(() => r(undefined), 250))]);
    }
    assert.ok(got, 'no frame came back');
    assert.equal(got.message, 'Endpoint request timed out');
    assert.equal(typeof got.connectionId, 'string');
    assert.match(got.requestId, /^[A-Za-z0-9]{15}=$/);
    // The connection stays open and usable.
    c.ws.send(JSON.stringify({ action: 'again' }));
    assert.equal((await nextJson(c)).routeKey, '$default');
  });

  it('refuses handshakes that $connect refuses or fails, and those for no stage or no API', async () => {
    const apiId = await wsApi([{ key: '$connect' }, { key: '$default', respond: true }]);
    await assert.rejects(open(apiId, '?deny=1'), (e: unknown) => e instanceof Refused && e.status === 403 && JSON.parse(e.body).message === 'Forbidden');
    await assert.rejects(open(apiId, '?fail=1'), (e: unknown) => e instanceof Refused && e.status === 500 && JSON.parse(e.body).message === 'Internal server error');
    await assert.rejects(connect(`ws://127.0.0.1:${port}/nostage`, `${apiId}.execute-api.localhost:${port}`), (e: unknown) => e instanceof Refused && e.status === 403);
    await assert.rejects(connect(`ws://127.0.0.1:${port}/dev`, `nosuchapi.execute-api.localhost:${port}`), (e: unknown) => e instanceof Refused && e.status === 404);
    // A plain HTTP request to a WebSocket API is Forbidden, never a stack trace.
    const plain = await fetch(`${t.platform.url}/_aws/execute-api/${apiId}/dev`);
    assert.equal(plain.status, 403);
    assert.deepEqual(await plain.json(), { message: 'Forbidden' });
  });

  it('runs a Lambda REQUEST authorizer on $connect and gives its context to every route', async () => {
    const apiId = await wsApi([{ key: '$default', respond: true }]);
    const { AuthorizerId } = await apigw.send(
      new CreateAuthorizerCommand({ ApiId: apiId, Name: 'gate', AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.auth'], AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${AUTHORIZER}/invocations` }),
    );
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: ECHO }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId, Target: `integrations/${IntegrationId}` }));
    const refusedWith = (status: number, message: string) => (e: unknown) => e instanceof Refused && e.status === status && JSON.parse(e.body).message === message;
    await assert.rejects(open(apiId), refusedWith(401, 'Unauthorized')); // no identity source: the authorizer is not asked
    await assert.rejects(open(apiId, '?auth=unauthorized'), refusedWith(401, 'Unauthorized'));
    await assert.rejects(open(apiId, '?auth=deny'), refusedWith(403, 'Forbidden'));
    await assert.rejects(open(apiId, '?auth=broken'), refusedWith(500, 'Internal server error'));
    const c = await open(apiId, '?auth=allow');
    c.ws.send('who let me in');
    const m = await nextJson(c);
    assert.equal(m.authorizer.principalId, 'user-42');
    assert.equal(m.authorizer.tier, 'gold');
  });

  /** Sends a text message in frames of `frameSize` bytes. */
  const sendInFrames = (c: Client, text: string, frameSize: number) => {
    for (let i = 0; i < text.length; i += frameSize) c.ws.send(text.slice(i, i + frameSize), { fin: i + frameSize >= text.length });
  };

  it('takes a 128 KB message in 32 KB frames, and closes with 1009 on a bigger message or a bigger frame', async () => {
    const apiId = await wsApi([{ key: '$default', respond: true }]);
    const c = await open(apiId);
    sendInFrames(c, 'x'.repeat(128 * 1024), 32 * 1024);
    assert.equal((await nextJson(c)).body.length, 128 * 1024);
    sendInFrames(c, 'y'.repeat(128 * 1024 + 1), 32 * 1024);
    assert.equal((await c.closed).code, 1009);

    const d = await open(apiId);
    d.ws.send('z'.repeat(32 * 1024 + 1)); // one frame over 32 KB, though the message is small enough
    assert.equal((await d.closed).code, 1009);
  });

  it('closes a connection idle for 10 minutes, and any connection after 2 hours, on the API Gateway clock', async () => {
    const apiId = await wsApi([{ key: '$default', respond: true }]);
    const idle = await open(apiId);
    clock.advance(10 * 60_000 - 1);
    idle.ws.send('still here');
    await nextJson(idle); // a message resets the idle timer
    clock.advance(10 * 60_000 - 1);
    idle.ws.send('and here');
    await nextJson(idle);
    clock.advance(10 * 60_000);
    assert.equal((await idle.closed).code, 1001);

    const busy = await open(apiId);
    for (let i = 0; i < 12; i++) {
      clock.advance(10 * 60_000 - 1);
      busy.ws.send('tick');
      await nextJson(busy);
    }
    clock.advance(100); // 2 hours since it connected, never idle
    assert.equal((await busy.closed).code, 1001);
  });

  it('answers GetConnection, PostToConnection and DeleteConnection, then GoneException', async () => {
    const apiId = await wsApi([{ key: '$default', respond: true }]);
    const c = await open(apiId);
    c.ws.send('who am i');
    const { connectionId } = await nextJson(c);
    const mgmt = new ApiGatewayManagementApiClient({ endpoint: `${t.platform.url}/_aws/execute-api/${apiId}/dev`, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const got = await mgmt.send(new GetConnectionCommand({ ConnectionId: connectionId }));
      assert.ok(got.ConnectedAt instanceof Date);
      assert.ok(got.LastActiveAt! >= got.ConnectedAt!);
      assert.equal(got.Identity?.SourceIp, '127.0.0.1');
      assert.equal(typeof got.Identity?.UserAgent, 'string');

      await mgmt.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'pushed by the server' }));
      assert.equal(await c.next(), 'pushed by the server');
      await assert.rejects(mgmt.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024 + 1) })), (e: unknown) => e instanceof PayloadTooLargeException && e.$metadata.httpStatusCode === 413);

      // The same API on the server's base address, as a client configured by AWS_ENDPOINT_URL alone calls it.
      const base = new ApiGatewayManagementApiClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
      try {
        const viaBase = await base.send(new GetConnectionCommand({ ConnectionId: connectionId }));
        assert.equal(viaBase.ConnectedAt?.getTime(), got.ConnectedAt?.getTime());
        assert.equal(viaBase.Identity?.SourceIp, '127.0.0.1');
        await base.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'via the base address' }));
        assert.equal(await c.next(), 'via the base address');
        await assert.rejects(base.send(new GetConnectionCommand({ ConnectionId: 'nosuchconnection=' })), (e: unknown) => e instanceof GoneException && e.$metadata.httpStatusCode === 410);
      } finally {
        base.destroy();
      }

      await mgmt.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      assert.ok((await c.closed).code > 0);
      await assert.rejects(mgmt.send(new GetConnectionCommand({ ConnectionId: connectionId })), (e: unknown) => e instanceof GoneException && e.$metadata.httpStatusCode === 410);
      await assert.rejects(mgmt.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'too late' })), (e: unknown) => e instanceof GoneException);
      await assert.rejects(mgmt.send(new DeleteConnectionCommand({ ConnectionId: connectionId })), (e: unknown) => e instanceof GoneException);
    } finally {
      mgmt.destroy();
    }
  });

  it('keeps WEBSOCKET APIs in the control plane, through the SDK and the aws CLI', async () => {
    const apiId = await wsApi([{ key: '$connect' }, { key: 'sendmessage', respond: true }, { key: '$default' }]);
    const api = await apigw.send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(api.ProtocolType, 'WEBSOCKET');
    assert.equal(api.RouteSelectionExpression, '$request.body.action');
    assert.equal(api.ApiEndpoint, `ws://${apiId}.execute-api.localhost:${port}`);
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: apiId }));
    assert.deepEqual(routes.Items!.map((r) => r.RouteKey).sort(), ['$connect', '$default', 'sendmessage']);
    assert.equal(routes.Items!.find((r) => r.RouteKey === 'sendmessage')!.RouteResponseSelectionExpression, '$default');
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigatewayv2', 'get-api', '--api-id', apiId]);
    assert.equal(cli.code, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { ProtocolType: string; RouteSelectionExpression: string };
    assert.equal(out.ProtocolType, 'WEBSOCKET');
    assert.equal(out.RouteSelectionExpression, '$request.body.action');
  });
});
