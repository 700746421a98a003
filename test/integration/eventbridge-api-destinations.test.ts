/**
 * Rules whose targets are API destinations, delivering to a local HTTP server: API key, Basic and
 * OAuth client credentials (with a token refetched after a 401), path, header and query parameters,
 * input transformers, retries of a 500, a 400 sent to the dead-letter queue, and the rate limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateConnectionCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { until } from '../helpers/poll.js';
import { sqsClient } from '../helpers/sqs.js';
import { WebhookServer, type ReceivedRequest } from '../helpers/webhook-server.js';

describe('EventBridge API destinations as rule targets', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  const web = new WebhookServer();

  before(async () => {
    await web.start();
    t = await startTestPlatform({ asyncRetryScale: 0.001 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await t.stop();
    await web.stop();
  });

  async function connection(name: string, input: Omit<ConstructorParameters<typeof CreateConnectionCommand>[0], 'Name'>): Promise<string> {
    return (await eb.send(new CreateConnectionCommand({ Name: name, ...input }))).ConnectionArn!;
  }
  async function destination(name: string, connectionArn: string, path: string, method: 'POST' | 'GET' | 'PUT' = 'POST', rate?: number): Promise<string> {
    const r = await eb.send(
      new CreateApiDestinationCommand({ Name: name, ConnectionArn: connectionArn, InvocationEndpoint: `${web.url}${path}`, HttpMethod: method, InvocationRateLimitPerSecond: rate }),
    );
    return r.ApiDestinationArn!;
  }
  async function rule(source: string, target: Omit<Target, 'Id'>): Promise<string> {
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: `to-${source}`, EventPattern: JSON.stringify({ source: [source] }) }));
    const put = await eb.send(new PutTargetsCommand({ Rule: `to-${source}`, Targets: [{ Id: 'api', ...target }] }));
    assert.equal(put.FailedEntryCount, 0, JSON.stringify(put.FailedEntries));
    return RuleArn!;
  }
  async function put(source: string, detail: object, count = 1): Promise<void> {
    const entries = Array.from({ length: count }, (_, i) => ({ Source: source, DetailType: 'test', Detail: JSON.stringify({ ...detail, n: i }) }));
    for (let i = 0; i < entries.length; i += 10) {
      const r = await eb.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      assert.equal(r.FailedEntryCount, 0);
    }
  }
  const arrived = (prefix: string, n: number, what: string): Promise<ReceivedRequest[]> =>
    until(async () => web.to(prefix), (got) => got.length >= n, what);
  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  it('sends the transformed event with the connection API key, its parameters and the target HttpParameters', async () => {
    const conn = await connection('apikey', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-123' },
        InvocationHttpParameters: {
          HeaderParameters: [{ Key: 'x-team', Value: 'ops', IsValueSecret: false }, { Key: 'x-signature', Value: 'sig-secret', IsValueSecret: true }],
          QueryStringParameters: [{ Key: 'tenant', Value: 'acme', IsValueSecret: false }],
          BodyParameters: [{ Key: 'origin', Value: 'selfless', IsValueSecret: false }],
        },
      },
    });
    const dest = await destination('orders', conn, '/orders/*/items/*');
    await rule('case.apikey', {
      Arn: dest,
      HttpParameters: {
        PathParameterValues: ['o-1', 'line 2'],
        HeaderParameters: { 'x-target': 'from-target', 'x-team': 'target-loses', 'User-Agent': 'not-allowed' },
        QueryStringParameters: { page: '2', tenant: 'target-loses' },
      },
      InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"order": <id>, "kind": "created"}' },
    });
    await put('case.apikey', { id: 'A1' });
    const [req] = await arrived('/orders/', 1, 'the API destination called');
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/orders/o-1/items/line%202');
    assert.equal(req!.query.get('page'), '2');
    assert.equal(req!.query.get('tenant'), 'acme', "the connection's value wins");
    assert.equal(req!.headers['x-api-key'], 'key-123');
    assert.equal(req!.headers['x-team'], 'ops', "the connection's header wins");
    assert.equal(req!.headers['x-signature'], 'sig-secret', 'secret parameters are sent');
    assert.equal(req!.headers['x-target'], 'from-target');
    assert.equal(req!.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations', 'User-Agent cannot be overridden');
    assert.equal(req!.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(req!.body), { order: 'A1', kind: 'created', origin: 'selfless' });
  });

  it('authenticates with Basic credentials and sends no body with GET', async () => {
    const conn = await connection('basic', { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'ana', Password: 'pw-1' } } });
    const dest = await destination('lookup', conn, '/lookup', 'GET');
    await rule('case.basic', { Arn: dest });
    await put('case.basic', { id: 'B1' });
    const [req] = await arrived('/lookup', 1, 'the GET destination called');
    assert.equal(req!.method, 'GET');
    assert.equal(req!.headers['authorization'], `Basic ${Buffer.from('ana:pw-1').toString('base64')}`);
    assert.equal(req!.body, '');
  });

  it('fetches an OAuth token, sends it, and fetches a new one when the API answers 401', async () => {
    let issued = 0;
    const revoked = new Set<string>();
    web.routes.set('/oauth/token', (r) => {
      if (r.headers['authorization'] !== `Basic ${Buffer.from('client-1:client-secret').toString('base64')}`) return { status: 401, body: { error: 'invalid_client' } };
      issued += 1;
      return { status: 200, body: { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: 3600 } };
    });
    web.routes.set('/secured', (r) => (revoked.has(String(r.headers['authorization'])) ? { status: 401 } : { status: 200 }));
    const conn = await connection('oauth', {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: {
        OAuthParameters: {
          ClientParameters: { ClientID: 'client-1', ClientSecret: 'client-secret' },
          AuthorizationEndpoint: `${web.url}/oauth/token`,
          HttpMethod: 'POST',
          OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'events', IsValueSecret: false }] },
        },
      },
    });
    const authorized = await until(() => eb.send(new DescribeConnectionCommand({ Name: 'oauth' })), (d) => d.ConnectionState === 'AUTHORIZED', 'the OAuth connection authorized');
    assert.ok(authorized.LastAuthorizedTime);
    assert.equal(issued, 1);
    const tokenRequest = web.to('/oauth/token')[0]!;
    const form = new URLSearchParams(tokenRequest.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'events');

    const dest = await destination('secured', conn, '/secured');
    await rule('case.oauth', { Arn: dest });
    await put('case.oauth', { id: 'O1' });
    const [first] = await arrived('/secured', 1, 'the OAuth destination called');
    assert.equal(first!.headers['authorization'], 'Bearer tok-1', 'the cached token');
    assert.equal(issued, 1, 'no new token while the cached one holds');

    revoked.add('Bearer tok-1');
    await put('case.oauth', { id: 'O2' });
    const calls = await until(async () => web.to('/secured'), (got) => got.some((r) => r.headers['authorization'] === 'Bearer tok-2'), 'a call with a new token');
    assert.equal(calls[1]!.headers['authorization'], 'Bearer tok-1', 'the revoked token was tried');
    assert.equal(calls[1]!.headers['authorization'] !== calls[2]!.headers['authorization'], true);
    assert.equal(issued, 2);
  });

  it('leaves a connection whose authorization fails DEAUTHORIZED with the reason', async () => {
    await connection('oauth-bad', {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'nobody', ClientSecret: 'x' }, AuthorizationEndpoint: `${web.url}/oauth/token`, HttpMethod: 'POST' } },
    });
    const d = await until(() => eb.send(new DescribeConnectionCommand({ Name: 'oauth-bad' })), (c) => c.ConnectionState === 'DEAUTHORIZED', 'the connection deauthorized');
    assert.match(d.StateReason!, /401/);
  });

  it('retries a 500 until the API answers 200', async () => {
    let calls = 0;
    web.routes.set('/flaky', () => (++calls === 1 ? { status: 500, body: { error: 'boom' } } : { status: 200 }));
    const conn = (await eb.send(new DescribeConnectionCommand({ Name: 'apikey' }))).ConnectionArn!;
    const dest = await destination('flaky', conn, '/flaky');
    const dlq = await queue('api-flaky-dlq');
    await rule('case.flaky', { Arn: dest, RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: dlq.arn } });
    await put('case.flaky', { id: 'F1' });
    const got = await arrived('/flaky', 2, 'the 500 retried');
    assert.equal(JSON.parse(got[0]!.body).id, JSON.parse(got[1]!.body).id, 'the same event again');
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
    assert.equal(r.Messages, undefined, 'no dead letter after a success');
  });

  it('sends a 400 to the dead-letter queue at once, with EventBridge attributes', async () => {
    web.routes.set('/rejects', () => ({ status: 400, body: { error: 'bad order' } }));
    const conn = (await eb.send(new DescribeConnectionCommand({ Name: 'apikey' }))).ConnectionArn!;
    const dest = await destination('rejects', conn, '/rejects');
    const dlq = await queue('api-rejects-dlq');
    const ruleArn = await rule('case.rejects', { Arn: dest, RetryPolicy: { MaximumRetryAttempts: 5 }, DeadLetterConfig: { Arn: dlq.arn } });
    await put('case.rejects', { id: 'R1' });
    const [m] = await until(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }))).Messages ?? ([] as Message[]),
      (ms) => ms.length > 0,
      'a dead letter',
    );
    assert.equal(web.to('/rejects').length, 1, 'a 400 is not retried');
    const attrs = m!.MessageAttributes!;
    assert.equal(attrs['RULE_ARN']?.StringValue, ruleArn);
    assert.equal(attrs['TARGET_ARN']?.StringValue, dest);
    assert.equal(attrs['ERROR_CODE']?.StringValue, 'SDK_CLIENT_ERROR');
    assert.match(attrs['ERROR_MESSAGE']!.StringValue!, /400/);
    assert.equal(attrs['RETRY_ATTEMPTS']?.StringValue, '0');
    assert.equal(JSON.parse(m!.Body!).detail.id, 'R1', 'the original event');
  });

  it('sends nothing through a deauthorized connection until it is updated', async () => {
    const conn = await connection('gated', { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'old' } } });
    const dest = await destination('gated', conn, '/gated');
    const dlq = await queue('api-gated-dlq');
    await rule('case.gated', { Arn: dest, DeadLetterConfig: { Arn: dlq.arn } });
    await eb.send(new DeauthorizeConnectionCommand({ Name: 'gated' }));
    await put('case.gated', { id: 'G1' });
    const [m] = await until(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }))).Messages ?? ([] as Message[]),
      (ms) => ms.length > 0,
      'a dead letter for the deauthorized connection',
    );
    assert.match(m!.MessageAttributes!['ERROR_MESSAGE']!.StringValue!, /not authorized/);
    assert.equal(web.to('/gated').length, 0, 'no call made');

    await eb.send(new UpdateConnectionCommand({ Name: 'gated', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'new' } } }));
    await put('case.gated', { id: 'G2' });
    const [req] = await arrived('/gated', 1, 'the call after the update');
    assert.equal(req!.headers['x-api-key'], 'new');
  });

  it('holds invocations to the destination rate limit', async () => {
    const limit = 2;
    const events = 8;
    const conn = (await eb.send(new DescribeConnectionCommand({ Name: 'apikey' }))).ConnectionArn!;
    const dest = await destination('limited', conn, '/limited', 'POST', limit);
    await rule('case.limited', { Arn: dest });
    await put('case.limited', { id: 'L' }, events);
    const got = await arrived('/limited', events, 'every limited event delivered');
    const times = got.map((r) => r.at).sort((a, b) => a - b);
    // At most `limit` start in any second; 800 ms windows leave room for delays on the way.
    for (const start of times) {
      const inWindow = times.filter((x) => x >= start && x < start + 800).length;
      assert.ok(inWindow <= limit, `${inWindow} requests within 800 ms of ${start - times[0]!} ms (limit ${limit}/s)`);
    }
  });
});
