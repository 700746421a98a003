import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBasePathMappingCommand,
  CreateDomainNameCommand as CreateDomainNameV1Command,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand as DeleteDomainNameV1Command,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand as GetDomainNameV1Command,
  GetDomainNamesCommand as GetDomainNamesV1Command,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand as UpdateDomainNameV1Command,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateDomainNameCommand,
  CreateStageCommand,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  GetApiMappingCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-apigatewayv2';
import { apiGatewayClient, deploy, httpCall, proxyApi } from '../helpers/execute-api.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { connect, nextJson, Refused } from '../helpers/websocket.js';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';
const ECHO = 'arn:aws:lambda:us-east-1:000000000000:function:echo-api';
const WS_ECHO = 'arn:aws:lambda:us-east-1:000000000000:function:ws-echo';

async function rejects(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

describe('API Gateway custom domain names and their mappings', () => {
  let t: TestPlatform;
  let v1: APIGatewayClient;
  let v2: ApiGatewayV2Client;
  let port: string;
  let rest: { id: string };
  let http: string;
  let orders: string;

  before(async () => {
    t = await startTestPlatform();
    v1 = apiGatewayClient(t.platform.url);
    v2 = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    port = new URL(t.platform.url).port;
    await createFunction(t.lambda, 'proxy', 'apigw-proxy');
    await createFunction(t.lambda, 'echo-api', 'apigw-echo');
    await createFunction(t.lambda, 'ws-echo', 'ws-chat', { Handler: 'echo.handler', Timeout: 30 });
    rest = await proxyApi(v1, 'proxy');
    await deploy(v1, rest.id, 'prod');
    http = (await v2.send(new CreateApiCommand({ Name: 'http', ProtocolType: 'HTTP', Target: ECHO }))).ApiId!;
    orders = (await v2.send(new CreateApiCommand({ Name: 'orders', ProtocolType: 'HTTP', Target: ECHO }))).ApiId!;
    await v2.send(new CreateStageCommand({ ApiId: orders, StageName: 'live', AutoDeploy: true }));
  });
  after(async () => {
    v1?.destroy();
    v2?.destroy();
    await t?.stop();
  });

  it('v1: creates, reads, lists, patches and deletes a domain name, with AWS errors', async () => {
    const created = await v1.send(new CreateDomainNameV1Command({ domainName: 'Crud.Example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_2', tags: { team: 'a' } }));
    assert.equal(created.domainName, 'crud.example.com');
    assert.equal(created.domainNameStatus, 'AVAILABLE');
    assert.equal(created.regionalCertificateArn, CERT);
    assert.match(created.regionalDomainName!, /^d-[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(created.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.deepEqual(created.endpointConfiguration?.types, ['REGIONAL']);
    assert.deepEqual(created.tags, { team: 'a' });
    assert.ok(created.certificateUploadDate instanceof Date);

    const edge = await v1.send(new CreateDomainNameV1Command({ domainName: 'edge.example.com', certificateArn: CERT }));
    assert.match(edge.distributionDomainName!, /^d[a-z0-9]+\.cloudfront\.net$/);
    assert.equal(edge.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
    assert.deepEqual(edge.endpointConfiguration?.types, ['EDGE']);

    await rejects(v1.send(new CreateDomainNameV1Command({ domainName: 'crud.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } })), 'ConflictException', 409);
    await rejects(v1.send(new CreateDomainNameV1Command({ domainName: 'nocert.example.com', endpointConfiguration: { types: ['REGIONAL'] } })), 'BadRequestException', 400);
    await rejects(v1.send(new GetDomainNameV1Command({ domainName: 'missing.example.com' })), 'NotFoundException', 404);

    const got = await v1.send(new GetDomainNameV1Command({ domainName: 'CRUD.example.com' }));
    assert.equal(got.regionalDomainName, created.regionalDomainName);
    const listed = await v1.send(new GetDomainNamesV1Command({}));
    assert.deepEqual(listed.items?.map((d) => d.domainName).filter((n) => n === 'crud.example.com' || n === 'edge.example.com').sort(), ['crud.example.com', 'edge.example.com']);

    const patched = await v1.send(new UpdateDomainNameV1Command({ domainName: 'crud.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }, { op: 'replace', path: '/regionalCertificateArn', value: `${CERT}-2` }] }));
    assert.equal(patched.securityPolicy, 'TLS_1_0');
    assert.equal(patched.regionalCertificateArn, `${CERT}-2`);
    await rejects(v1.send(new UpdateDomainNameV1Command({ domainName: 'crud.example.com', patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })), 'BadRequestException', 400);

    // One namespace: v2 sees the domain v1 created.
    const seen = await v2.send(new GetDomainNameCommand({ DomainName: 'crud.example.com' }));
    assert.equal(seen.DomainNameConfigurations?.[0]?.ApiGatewayDomainName, created.regionalDomainName);
    assert.equal(seen.DomainNameConfigurations?.[0]?.EndpointType, 'REGIONAL');
    assert.equal(seen.DomainNameConfigurations?.[0]?.CertificateArn, `${CERT}-2`);
    assert.equal(seen.ApiMappingSelectionExpression, '$request.basepath');

    await v1.send(new DeleteDomainNameV1Command({ domainName: 'crud.example.com' }));
    await v1.send(new DeleteDomainNameV1Command({ domainName: 'edge.example.com' }));
    await rejects(v1.send(new DeleteDomainNameV1Command({ domainName: 'crud.example.com' })), 'NotFoundException', 404);
    await rejects(v2.send(new GetDomainNameCommand({ DomainName: 'crud.example.com' })), 'NotFoundException', 404);
  });

  it('v1: base path mappings, (none) included, seen by v2 as API mappings', async () => {
    await v1.send(new CreateDomainNameV1Command({ domainName: 'bp.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    const root = await v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', restApiId: rest.id, stage: 'prod' }));
    assert.equal(root.basePath, '(none)');
    const v1m = await v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', restApiId: rest.id, stage: 'prod' }));
    assert.deepEqual({ basePath: v1m.basePath, restApiId: v1m.restApiId, stage: v1m.stage }, { basePath: 'v1', restApiId: rest.id, stage: 'prod' });
    await rejects(v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', restApiId: rest.id, stage: 'prod' })), 'ConflictException', 409);
    await rejects(v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'x', restApiId: 'nosuchapi0', stage: 'prod' })), 'BadRequestException', 400);
    await rejects(v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'x', restApiId: rest.id, stage: 'nostage' })), 'BadRequestException', 400);
    await rejects(v1.send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'bad path', restApiId: rest.id, stage: 'prod' })), 'BadRequestException', 400);
    await rejects(v1.send(new CreateBasePathMappingCommand({ domainName: 'nodomain.example.com', basePath: 'x', restApiId: rest.id, stage: 'prod' })), 'NotFoundException', 404);

    assert.equal((await v1.send(new GetBasePathMappingCommand({ domainName: 'bp.example.com', basePath: '(none)' }))).restApiId, rest.id);
    const all = await v1.send(new GetBasePathMappingsCommand({ domainName: 'bp.example.com' }));
    assert.deepEqual(all.items?.map((m) => m.basePath).sort(), ['(none)', 'v1']);

    const moved = await v1.send(new UpdateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', patchOperations: [{ op: 'replace', path: '/basePath', value: 'v9' }] }));
    assert.equal(moved.basePath, 'v9');
    await rejects(v1.send(new GetBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1' })), 'NotFoundException', 404);

    const seen = await v2.send(new GetApiMappingsCommand({ DomainName: 'bp.example.com' }));
    assert.deepEqual(seen.Items?.map((m) => [m.ApiMappingKey, m.ApiId, m.Stage]).sort(), [
      ['', rest.id, 'prod'],
      ['v9', rest.id, 'prod'],
    ]);
    // v2 pages: one mapping a page, the token leading to the other.
    const first = await v2.send(new GetApiMappingsCommand({ DomainName: 'bp.example.com', MaxResults: '1' }));
    assert.equal(first.Items?.length, 1);
    const second = await v2.send(new GetApiMappingsCommand({ DomainName: 'bp.example.com', MaxResults: '1', NextToken: first.NextToken }));
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...first.Items!, ...second.Items!].map((m) => m.ApiMappingKey).sort(), ['', 'v9']);

    await v1.send(new DeleteBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v9' }));
    await rejects(v1.send(new DeleteBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v9' })), 'NotFoundException', 404);
    assert.deepEqual((await v1.send(new GetBasePathMappingsCommand({ domainName: 'bp.example.com' }))).items?.map((m) => m.basePath), ['(none)']);
    await v1.send(new DeleteDomainNameV1Command({ domainName: 'bp.example.com' }));
  });

  it('v2: domain names and API mappings, multi-level keys included', async () => {
    const created = await v2.send(new CreateDomainNameCommand({ DomainName: 'v2crud.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }], Tags: { a: 'b' } }));
    assert.equal(created.DomainName, 'v2crud.example.com');
    assert.equal(created.DomainNameConfigurations?.[0]?.DomainNameStatus, 'AVAILABLE');
    assert.equal(created.DomainNameConfigurations?.[0]?.HostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.deepEqual(created.Tags, { a: 'b' });
    await rejects(v2.send(new CreateDomainNameCommand({ DomainName: 'v2crud.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] })), 'ConflictException', 409);
    assert.ok((await v2.send(new GetDomainNamesCommand({}))).Items?.some((d) => d.DomainName === 'v2crud.example.com'));
    // v1 sees it too.
    assert.equal((await v1.send(new GetDomainNameV1Command({ domainName: 'v2crud.example.com' }))).regionalCertificateArn, CERT);

    const updated = await v2.send(new UpdateDomainNameCommand({ DomainName: 'v2crud.example.com', DomainNameConfigurations: [{ CertificateArn: `${CERT}-2`, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_0' }] }));
    assert.equal(updated.DomainNameConfigurations?.[0]?.CertificateArn, `${CERT}-2`);
    assert.equal(updated.DomainNameConfigurations?.[0]?.SecurityPolicy, 'TLS_1_0');

    const m = await v2.send(new CreateApiMappingCommand({ DomainName: 'v2crud.example.com', ApiId: http, Stage: '$default', ApiMappingKey: 'v1/orders' }));
    assert.equal(m.ApiMappingKey, 'v1/orders');
    assert.ok(m.ApiMappingId);
    await rejects(v2.send(new CreateApiMappingCommand({ DomainName: 'v2crud.example.com', ApiId: orders, Stage: 'live', ApiMappingKey: 'v1/orders' })), 'ConflictException', 409);
    await rejects(v2.send(new CreateApiMappingCommand({ DomainName: 'v2crud.example.com', ApiId: 'nosuchapi0', Stage: '$default', ApiMappingKey: 'z' })), 'BadRequestException', 400);
    const got = await v2.send(new GetApiMappingCommand({ DomainName: 'v2crud.example.com', ApiMappingId: m.ApiMappingId }));
    assert.deepEqual([got.ApiId, got.Stage, got.ApiMappingKey], [http, '$default', 'v1/orders']);
    const changed = await v2.send(new UpdateApiMappingCommand({ DomainName: 'v2crud.example.com', ApiMappingId: m.ApiMappingId, ApiId: orders, Stage: 'live', ApiMappingKey: 'shop' }));
    assert.deepEqual([changed.ApiId, changed.Stage, changed.ApiMappingKey, changed.ApiMappingId], [orders, 'live', 'shop', m.ApiMappingId]);
    assert.equal((await v1.send(new GetBasePathMappingCommand({ domainName: 'v2crud.example.com', basePath: 'shop' }))).restApiId, orders);
    await v2.send(new DeleteApiMappingCommand({ DomainName: 'v2crud.example.com', ApiMappingId: m.ApiMappingId }));
    await rejects(v2.send(new GetApiMappingCommand({ DomainName: 'v2crud.example.com', ApiMappingId: m.ApiMappingId })), 'NotFoundException', 404);
    await v2.send(new DeleteDomainNameCommand({ DomainName: 'v2crud.example.com' }));
    await rejects(v2.send(new GetDomainNameCommand({ DomainName: 'v2crud.example.com' })), 'NotFoundException', 404);
  });

  it('routes requests on a custom domain by the longest mapping key, as API Gateway fills the event', async () => {
    await v1.send(new CreateDomainNameV1Command({ domainName: 'root.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    await v1.send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', basePath: '(none)', restApiId: rest.id, stage: 'prod' }));
    await v2.send(new CreateDomainNameCommand({ DomainName: 'api.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] }));
    await v2.send(new CreateApiMappingCommand({ DomainName: 'api.example.com', ApiId: http, Stage: '$default', ApiMappingKey: 'v1' }));
    await v2.send(new CreateApiMappingCommand({ DomainName: 'api.example.com', ApiId: orders, Stage: 'live', ApiMappingKey: 'v1/orders' }));
    await v1.send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v2', restApiId: rest.id, stage: 'prod' }));

    // (none) → the REST API's stage at the root: no stage in the path, nothing stripped.
    const atRoot = await httpCall(t.platform.url, '/pets/1?x=1', { host: `root.example.com:${port}` });
    assert.equal(atRoot.status, 201, atRoot.text);
    const e0 = atRoot.json() as Event;
    assert.equal(e0['path'], '/pets/1');
    assert.deepEqual(e0['pathParameters'], { proxy: 'pets/1' });
    assert.equal(e0['requestContext'].path, '/pets/1');
    assert.equal(e0['requestContext'].stage, 'prod');
    assert.equal(e0['requestContext'].domainName, 'root.example.com');
    assert.equal(e0['requestContext'].domainPrefix, 'root');

    // v2 → the REST API: routed on the path after the key; the event's path keeps the key, as on AWS.
    const viaV2 = await httpCall(t.platform.url, '/v2/pets/7', { host: `API.Example.com:${port}` });
    assert.equal(viaV2.status, 201, viaV2.text);
    const e1 = viaV2.json() as Event;
    assert.equal(e1['resource'], '/{proxy+}');
    assert.deepEqual(e1['pathParameters'], { proxy: 'pets/7' });
    assert.equal(e1['path'], '/v2/pets/7');
    assert.equal(e1['requestContext'].path, '/v2/pets/7');
    assert.equal(e1['requestContext'].domainName, 'api.example.com');
    assert.equal(e1['requestContext'].domainPrefix, 'api');
    assert.equal(e1['requestContext'].apiId, rest.id);

    // v1 → the HTTP API's $default stage; rawPath keeps the key.
    const viaV1 = await httpCall(t.platform.url, '/v1/hello?q=1', { host: `api.example.com:${port}` });
    assert.equal(viaV1.status, 200, viaV1.text);
    const e2 = (viaV1.json() as { event: Event }).event;
    assert.equal(e2['rawPath'], '/v1/hello');
    assert.equal(e2['rawQueryString'], 'q=1');
    assert.equal(e2['requestContext'].apiId, http);
    assert.equal(e2['requestContext'].stage, '$default');
    assert.equal(e2['requestContext'].domainName, 'api.example.com');
    assert.equal(e2['requestContext'].domainPrefix, 'api');
    assert.equal(e2['requestContext'].http.path, '/v1/hello');

    // v1/orders is longer than v1: the other HTTP API's named stage.
    const viaOrders = await httpCall(t.platform.url, '/v1/orders/42', { host: `api.example.com:${port}` });
    assert.equal(viaOrders.status, 200, viaOrders.text);
    const e3 = (viaOrders.json() as { event: Event }).event;
    assert.equal(e3['requestContext'].apiId, orders);
    assert.equal(e3['requestContext'].stage, 'live');
    assert.equal(e3['rawPath'], '/v1/orders/42');
    // `/v1/ordersx` is not under `v1/orders`: it goes to `v1`.
    const notOrders = await httpCall(t.platform.url, '/v1/ordersx', { host: `api.example.com:${port}` });
    assert.equal(((notOrders.json() as { event: Event }).event)['requestContext'].apiId, http);

    // The path-based form, for clients that cannot set Host.
    const byPath = await httpCall(t.platform.url, '/_aws/domain/api.example.com/v2/pets/8');
    assert.equal(byPath.status, 201, byPath.text);
    const e4 = byPath.json() as Event;
    assert.equal(e4['path'], '/v2/pets/8');
    assert.equal(e4['requestContext'].domainName, 'api.example.com');

    // No mapping takes the path: API Gateway's 403.
    for (const [path, host] of [
      ['/v3/pets', `api.example.com:${port}`],
      ['/', `api.example.com:${port}`],
      ['/_aws/domain/api.example.com/nope', undefined],
      ['/_aws/domain/unknown.example.com/v1', undefined],
    ] as const) {
      const res = await httpCall(t.platform.url, path, host ? { host } : {});
      assert.equal(res.status, 403, path);
      assert.deepEqual(res.json(), { message: 'Forbidden' });
    }

    // A mapping removed stops routing at once on this node.
    const mappings = await v2.send(new GetApiMappingsCommand({ DomainName: 'api.example.com' }));
    const ordersMapping = mappings.Items!.find((m) => m.ApiMappingKey === 'v1/orders')!;
    await v2.send(new DeleteApiMappingCommand({ DomainName: 'api.example.com', ApiMappingId: ordersMapping.ApiMappingId }));
    const after = await httpCall(t.platform.url, '/v1/orders/42', { host: `api.example.com:${port}` });
    assert.equal(((after.json() as { event: Event }).event)['requestContext'].apiId, http);
  });

  it('accepts WebSocket connections on a domain mapped to a WebSocket API', async () => {
    const { ApiId } = await v2.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const { IntegrationId } = await v2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: WS_ECHO }));
    await v2.send(new CreateRouteCommand({ ApiId, RouteKey: '$default', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
    await v2.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }));
    await v2.send(new CreateDomainNameCommand({ DomainName: 'ws.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] }));
    await v2.send(new CreateApiMappingCommand({ DomainName: 'ws.example.com', ApiId, Stage: 'dev', ApiMappingKey: 'chat' }));

    for (const [url, host] of [
      [`ws://127.0.0.1:${port}/chat`, `ws.example.com:${port}`],
      [`ws://127.0.0.1:${port}/_aws/domain/ws.example.com/chat`, undefined],
    ] as const) {
      const c = await connect(url, host);
      try {
        c.ws.send(JSON.stringify({ action: 'hello' }));
        const answer = await nextJson(c);
        assert.equal(answer.routeKey, '$default', url);
        assert.equal(answer.apiId, ApiId);
        assert.equal(answer.stage, 'dev');
        // The name the client came through, as API Gateway gives it (not the API's execute-api name).
        assert.equal(answer.domainName, 'ws.example.com', url);
      } finally {
        await c.close();
      }
    }
    await assert.rejects(connect(`ws://127.0.0.1:${port}/elsewhere`, `ws.example.com:${port}`), (e: unknown) => e instanceof Refused && e.status === 403);
  });

  it('the aws CLI lists domain names', async () => {
    await v1.send(new CreateDomainNameV1Command({ domainName: 'cli.example.com', certificateArn: CERT }));
    const r = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'apigateway', 'get-domain-names']);
    assert.equal(r.code, 0, r.stderr);
    const items = (JSON.parse(r.stdout) as { items: { domainName: string; distributionDomainName?: string }[] }).items;
    const cli = items.find((d) => d.domainName === 'cli.example.com');
    assert.ok(cli, r.stdout);
    assert.match(cli.distributionDomainName!, /\.cloudfront\.net$/);
  });
});
