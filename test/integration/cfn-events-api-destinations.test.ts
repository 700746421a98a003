/**
 * AWS::Events::Connection and AWS::Events::ApiDestination through a stack, with a rule targeting the
 * destination: an event put reaches a local HTTP server with the connection's key; an update changes
 * the key and the rate limit; deleting the stack removes them, the connection's secret included.
 * The `aws` CLI reads the connection once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeApiDestinationCommand, DescribeConnectionCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';
import { until } from '../helpers/poll.js';
import { run } from '../helpers/run.js';
import { WebhookServer } from '../helpers/webhook-server.js';

const template = (key: string, rate: number) => ({
  Parameters: { Endpoint: { Type: 'String' } },
  Resources: {
    Hooks: {
      Type: 'AWS::Events::Connection',
      Properties: {
        Name: 'stack-hooks',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: key },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-stack', Value: 'yes', IsValueSecret: 'false' }] },
        },
      },
    },
    Orders: {
      Type: 'AWS::Events::ApiDestination',
      Properties: { Name: 'stack-orders', ConnectionArn: { 'Fn::GetAtt': ['Hooks', 'Arn'] }, InvocationEndpoint: { 'Fn::Sub': '${Endpoint}/orders/*' }, HttpMethod: 'POST', InvocationRateLimitPerSecond: rate },
    },
    OnOrder: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['stack.shop'] },
        Targets: [{ Id: 'api', Arn: { 'Fn::GetAtt': ['Orders', 'Arn'] }, HttpParameters: { PathParameterValues: ['new'] }, InputPath: '$.detail' }],
      },
    },
  },
  Outputs: {
    ConnectionRef: { Value: { Ref: 'Hooks' } },
    ConnectionArn: { Value: { 'Fn::GetAtt': ['Hooks', 'Arn'] } },
    SecretArn: { Value: { 'Fn::GetAtt': ['Hooks', 'SecretArn'] } },
    ConnectionArnForPolicy: { Value: { 'Fn::GetAtt': ['Hooks', 'ArnForPolicy'] } },
    DestinationRef: { Value: { Ref: 'Orders' } },
    DestinationArn: { Value: { 'Fn::GetAtt': ['Orders', 'Arn'] } },
  },
});

describe('CloudFormation: EventBridge connections and API destinations', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let events: EventBridgeClient;
  let sm: SecretsManagerClient;
  const web = new WebhookServer();
  cfnSuite((s) => {
    ({ t, cfn } = s);
    events = new EventBridgeClient(clientConfig(t));
    sm = new SecretsManagerClient(clientConfig(t));
  });
  before(() => web.start());
  after(async () => {
    events.destroy();
    sm.destroy();
    await web.stop();
  });

  const settle = async () => {
    const stack = await settledStack(cfn, 'webhooks', 120_000);
    const reasons = (await eventsOf(cfn, 'webhooks')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const parameters = () => [{ ParameterKey: 'Endpoint', ParameterValue: web.url }];
  const put = async (id: string) => {
    const r = await events.send(new PutEventsCommand({ Entries: [{ Source: 'stack.shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id }) }] }));
    assert.equal(r.FailedEntryCount, 0);
  };

  it('creates the connection, the destination and a rule that calls it', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'webhooks', TemplateBody: JSON.stringify(template('key-1', 20)), Parameters: parameters() }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    assert.equal(out.get('ConnectionRef'), 'stack-hooks');
    assert.equal(out.get('DestinationRef'), 'stack-orders');
    assert.match(out.get('ConnectionArn')!, /^arn:aws:events:us-east-1:000000000000:connection\/stack-hooks\/[-a-f0-9]{36}$/);
    assert.equal(out.get('ConnectionArnForPolicy'), 'arn:aws:events:us-east-1:000000000000:connection/stack-hooks');
    assert.match(out.get('DestinationArn')!, /^arn:aws:events:us-east-1:000000000000:api-destination\/stack-orders\/[-a-f0-9]{36}$/);
    const connection = await events.send(new DescribeConnectionCommand({ Name: 'stack-hooks' }));
    assert.equal(connection.SecretArn, out.get('SecretArn'));
    assert.deepEqual(connection.AuthParameters?.InvocationHttpParameters?.HeaderParameters, [{ Key: 'x-stack', Value: 'yes', IsValueSecret: false }]);

    // The aws CLI sees the same connection, without its key.
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'events', 'describe-connection', '--name', 'stack-hooks']);
    assert.equal(cli.code, 0, cli.stderr);
    const described = JSON.parse(cli.stdout) as { ConnectionArn: string; ConnectionState: string; AuthParameters: { ApiKeyAuthParameters: Record<string, string> } };
    assert.equal(described.ConnectionArn, out.get('ConnectionArn'));
    assert.equal(described.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(described.AuthParameters.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });
    assert.ok(!cli.stdout.includes('key-1'));

    await put('first');
    const [req] = await until(async () => web.to('/orders/new'), (got) => got.length >= 1, 'the stack rule calling the API');
    assert.equal(req!.headers['x-api-key'], 'key-1');
    assert.equal(req!.headers['x-stack'], 'yes');
    assert.deepEqual(JSON.parse(req!.body), { id: 'first' });
  });

  it('updates the key and the rate limit in place, then deletes everything with the stack', async () => {
    const before = await events.send(new DescribeConnectionCommand({ Name: 'stack-hooks' }));
    await cfn.send(new UpdateStackCommand({ StackName: 'webhooks', TemplateBody: JSON.stringify(template('key-2', 7)), Parameters: parameters() }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal(out.get('ConnectionArn'), before.ConnectionArn, 'updated in place');
    assert.equal((await events.send(new DescribeApiDestinationCommand({ Name: 'stack-orders' }))).InvocationRateLimitPerSecond, 7);
    await put('second');
    const got = await until(async () => web.to('/orders/new'), (r) => r.length >= 2, 'the second call');
    assert.equal(got[1]!.headers['x-api-key'], 'key-2');

    await cfn.send(new DeleteStackCommand({ StackName: 'webhooks' }));
    const gone = await settle().catch(() => undefined);
    assert.ok(gone === undefined || gone.status === 'DELETE_COMPLETE', gone?.reasons);
    await assert.rejects(events.send(new DescribeConnectionCommand({ Name: 'stack-hooks' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(events.send(new DescribeApiDestinationCommand({ Name: 'stack-orders' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: before.SecretArn })), { name: 'ResourceNotFoundException' });
  });
});
