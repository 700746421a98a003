/**
 * AWS's WebSocket chat sample, unchanged but for the SDK v3: $connect stores the connection id in
 * a DynamoDB table on this server, `sendmessage` broadcasts to every stored connection through
 * @aws-sdk/client-apigatewaymanagementapi with `endpoint: 'https://' + domainName + '/' + stage`,
 * $disconnect removes it. Real `ws` clients connect host-based and path-based.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { dynamoClients } from '../helpers/dynamodb.js';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { connect, type Client } from '../helpers/websocket.js';

const TABLE = 'chat-connections';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const lambdaUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn(name)}/invocations`;

describe('WebSocket APIs: the chat sample', () => {
  let t: TestPlatform;
  let apigw: ApiGatewayV2Client;
  let db: ReturnType<typeof dynamoClients>;
  let apiId: string;
  let port: number;
  let tlsPort: number;
  const clients: Client[] = [];

  before(async () => {
    t = await startTestPlatform({ tlsPort: 0 });
    port = t.platform.port;
    tlsPort = Number(new URL(t.platform.tlsUrl!).port);
    apigw = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    db = dynamoClients(t.platform.url);
    await db.ddb.send(new CreateTableCommand({ TableName: TABLE, AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    const env = { Environment: { Variables: { TABLE_NAME: TABLE } }, Timeout: 30 };
    for (const f of ['onconnect', 'ondisconnect', 'sendmessage']) await createFunction(t.lambda, `chat-${f}`, 'ws-chat', { Handler: `${f}.handler`, ...env });
    const api = await apigw.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    apiId = api.ApiId!;
    assert.equal(api.ApiEndpoint, `ws://${apiId}.execute-api.localhost:${port}`);
    for (const [key, f] of [['$connect', 'onconnect'], ['$disconnect', 'ondisconnect'], ['sendmessage', 'sendmessage']] as const) {
      const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri(`chat-${f}`) }));
      await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: `integrations/${IntegrationId}` }));
    }
    const { DeploymentId } = await apigw.send(new CreateDeploymentCommand({ ApiId: apiId }));
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: 'production', DeploymentId }));
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    apigw.destroy();
    db.destroy();
    await t.stop();
  });

  const stored = async () => ((await db.ddb.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => i['connectionId']!.S!);

  it('connects host-based and path-based, broadcasts through @connections, and runs $disconnect', async () => {
    const alice = await connect(`ws://127.0.0.1:${port}/production?name=alice`, `${apiId}.execute-api.localhost:${port}`);
    clients.push(alice);
    const bob = await connect(`ws://127.0.0.1:${port}/_aws/execute-api/${apiId}/production?name=bob`);
    clients.push(bob);
    // $connect ran (and stored the id) before each handshake completed.
    const ids = await stored();
    assert.equal(ids.length, 2);

    const item = await db.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: ids[0]! } } }));
    const event = JSON.parse(item.Item!['connectEvent']!.S!);
    assert.equal(event.requestContext.eventType, 'CONNECT');
    assert.equal(event.requestContext.routeKey, '$connect');
    assert.equal(event.requestContext.stage, 'production');
    assert.equal(event.requestContext.apiId, apiId);
    assert.equal(event.requestContext.connectionId, ids[0]);
    assert.equal(event.requestContext.messageId, null);
    assert.equal(typeof event.requestContext.connectedAt, 'number');
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    // The name a function calls back: the TLS listener, under the API's own host name.
    assert.equal(event.requestContext.domainName, `${apiId}.execute-api.localhost:${tlsPort}`);
    assert.ok(['alice', 'bob'].includes(event.queryStringParameters.name));
    assert.equal(event.multiValueHeaders['Sec-WebSocket-Version']?.[0], '13');
    assert.equal(event.isBase64Encoded, false);

    alice.ws.send(JSON.stringify({ action: 'sendmessage', data: 'hello, everyone' }));
    assert.equal(await alice.next(), 'hello, everyone');
    assert.equal(await bob.next(), 'hello, everyone');

    await bob.close();
    // ondisconnect deletes the id, then records that it ran.
    await waitFor(async () => (await stored()).some((id) => id.startsWith('gone:')), '$disconnect to run');
    assert.equal((await stored()).filter((id) => !id.startsWith('gone:')).length, 1);
    const goneItem = (await stored()).find((id) => id.startsWith('gone:'))!;
    const disconnect = JSON.parse((await db.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: goneItem } } }))).Item!['disconnectEvent']!.S!);
    assert.equal(disconnect.requestContext.eventType, 'DISCONNECT');
    assert.equal(disconnect.requestContext.routeKey, '$disconnect');
    assert.equal(disconnect.requestContext.disconnectStatusCode, 1000);

    // wss:// on the TLS listener, host-based, trusting the server's CA.
    const carol = await connect(`wss://127.0.0.1:${tlsPort}/production?name=carol`, `${apiId}.execute-api.localhost:${tlsPort}`, {}, { ca: readFileSync(t.platform.caFile!) });
    clients.push(carol);
    alice.ws.send(JSON.stringify({ action: 'sendmessage', data: 'still here?' }));
    assert.equal(await alice.next(), 'still here?');
    assert.equal(await carol.next(), 'still here?');
  });
});
