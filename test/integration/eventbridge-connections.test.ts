/** EventBridge connections and API destinations through the SDK: CRUD, errors, and credentials kept only in Secrets Manager. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testStoreKind } from '../helpers/test-store.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure } from '../helpers/sqs.js';

describe('EventBridge connections and API destinations', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sm: SecretsManagerClient;

  before(async () => {
    t = await startTestPlatform();
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    sm = new SecretsManagerClient(config);
  });
  after(async () => {
    eb.destroy();
    sm.destroy();
    await t.stop();
  });

  it('creates an API key connection whose secrets Describe never shows, kept in an encrypted secret', async () => {
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: 'hooks',
        Description: 'webhooks',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'sk-very-secret' },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: 'x-team', Value: 'ops', IsValueSecret: false },
              { Key: 'x-signing', Value: 'hidden-header-value', IsValueSecret: true },
            ],
            QueryStringParameters: [{ Key: 'tenant', Value: 'acme', IsValueSecret: false }],
          },
        },
      }),
    );
    assert.match(created.ConnectionArn!, /^arn:aws:events:us-east-1:000000000000:connection\/hooks\/[-a-f0-9]{36}$/);
    assert.equal(created.ConnectionState, 'AUTHORIZED');

    const d = await eb.send(new DescribeConnectionCommand({ Name: 'hooks' }));
    assert.equal(d.Name, 'hooks');
    assert.equal(d.Description, 'webhooks');
    assert.equal(d.ConnectionArn, created.ConnectionArn);
    assert.equal(d.AuthorizationType, 'API_KEY');
    assert.equal(d.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(d.AuthParameters?.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });
    assert.deepEqual(d.AuthParameters?.InvocationHttpParameters?.HeaderParameters, [
      { Key: 'x-team', Value: 'ops', IsValueSecret: false },
      { Key: 'x-signing', IsValueSecret: true },
    ]);
    const raw = JSON.stringify(d);
    assert.ok(!raw.includes('sk-very-secret') && !raw.includes('hidden-header-value'), 'no secret value in Describe');

    const uuid = created.ConnectionArn!.split('/')[2];
    assert.match(d.SecretArn!, new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/hooks/${uuid}-[A-Za-z0-9]{6}$`));
    const secret = await sm.send(new DescribeSecretCommand({ SecretId: d.SecretArn }));
    assert.equal(secret.Name, `events!connection/hooks/${uuid}`);
    const value = await sm.send(new GetSecretValueCommand({ SecretId: d.SecretArn }));
    assert.ok(value.SecretString!.includes('sk-very-secret'), 'the secret holds the credentials');
    if (testStoreKind() === 'sqlite') {
      // Sealed at rest: the database files (WAL included) hold the secret's name, never its values.
      const files = readdirSync(t.dataDir, { recursive: true, encoding: 'utf8' }).map((f) => join(t.dataDir, f)).filter((f) => statSync(f).isFile());
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      assert.ok(bytes.includes(`events!connection/hooks/${uuid}`), 'the store was read');
      assert.ok(!bytes.includes('sk-very-secret') && !bytes.includes('hidden-header-value'), 'no credential in the clear on disk');
    }
  });

  it('refuses a taken name, a missing connection, and credentials that do not fit the type', async () => {
    const again = await failure(eb.send(new CreateConnectionCommand({ Name: 'hooks', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })));
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    const missing = await failure(eb.send(new DescribeConnectionCommand({ Name: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const wrong = await failure(eb.send(new CreateConnectionCommand({ Name: 'odd', AuthorizationType: 'BASIC', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })));
    assert.equal(wrong.name, 'ValidationException');
    const badName = await failure(eb.send(new CreateConnectionCommand({ Name: 'bad name!', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })));
    assert.equal(badName.name, 'ValidationException');
    const withKey = await failure(
      eb.send(new CreateConnectionCommand({ Name: 'keyed', AuthorizationType: 'BASIC', KmsKeyIdentifier: 'alias/mine', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })),
    );
    assert.equal(withKey.name, 'NotImplemented', 'a customer key is refused, not ignored');
    assert.equal((await failure(eb.send(new DescribeConnectionCommand({ Name: 'keyed' })))).name, 'ResourceNotFoundException');
  });

  it('lists by prefix and state, page by page; updates, deauthorizes and deletes', async () => {
    for (const n of ['basic-a', 'basic-b', 'basic-c']) {
      await eb.send(new CreateConnectionCommand({ Name: n, AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: `user-${n}`, Password: 'pw' } } }));
    }
    const first = await eb.send(new ListConnectionsCommand({ NamePrefix: 'basic-', Limit: 2 }));
    assert.deepEqual(first.Connections!.map((c) => c.Name), ['basic-a', 'basic-b']);
    assert.ok(first.NextToken);
    const second = await eb.send(new ListConnectionsCommand({ NamePrefix: 'basic-', Limit: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.Connections!.map((c) => c.Name), ['basic-c']);
    assert.equal(second.NextToken, undefined);

    const deauth = await eb.send(new DeauthorizeConnectionCommand({ Name: 'basic-b' }));
    assert.equal(deauth.ConnectionState, 'DEAUTHORIZED');
    const deauthorized = await eb.send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }));
    assert.deepEqual(deauthorized.Connections!.map((c) => c.Name), ['basic-b']);

    const updated = await eb.send(new UpdateConnectionCommand({ Name: 'basic-b', Description: 'again', AuthParameters: { BasicAuthParameters: { Password: 'new-pw' } } }));
    assert.equal(updated.ConnectionState, 'AUTHORIZED');
    const d = await eb.send(new DescribeConnectionCommand({ Name: 'basic-b' }));
    assert.equal(d.Description, 'again');
    assert.deepEqual(d.AuthParameters?.BasicAuthParameters, { Username: 'user-basic-b' });
    const value = await sm.send(new GetSecretValueCommand({ SecretId: d.SecretArn }));
    assert.ok(value.SecretString!.includes('new-pw') && value.SecretString!.includes('user-basic-b'), 'the password changed, the user stayed');

    const deleted = await eb.send(new DeleteConnectionCommand({ Name: 'basic-c' }));
    assert.equal(deleted.ConnectionState, 'DELETING');
    assert.equal((await failure(eb.send(new DescribeConnectionCommand({ Name: 'basic-c' })))).name, 'ResourceNotFoundException');
    assert.equal((await failure(eb.send(new DeleteConnectionCommand({ Name: 'basic-c' })))).name, 'ResourceNotFoundException');
  });

  it('creates, describes, lists, updates and deletes API destinations', async () => {
    const connection = await eb.send(new DescribeConnectionCommand({ Name: 'hooks' }));
    const created = await eb.send(
      new CreateApiDestinationCommand({ Name: 'orders', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: 'https://example.com/orders/*', HttpMethod: 'POST' }),
    );
    assert.match(created.ApiDestinationArn!, /^arn:aws:events:us-east-1:000000000000:api-destination\/orders\/[-a-f0-9]{36}$/);
    assert.equal(created.ApiDestinationState, 'ACTIVE');
    const d = await eb.send(new DescribeApiDestinationCommand({ Name: 'orders' }));
    assert.equal(d.InvocationRateLimitPerSecond, 300, 'the default rate limit');
    assert.equal(d.InvocationEndpoint, 'https://example.com/orders/*');
    assert.equal(d.HttpMethod, 'POST');
    assert.equal(d.ConnectionArn, connection.ConnectionArn);

    const other = await eb.send(new DescribeConnectionCommand({ Name: 'basic-a' }));
    await eb.send(new CreateApiDestinationCommand({ Name: 'other', ConnectionArn: other.ConnectionArn, InvocationEndpoint: 'https://example.com/x', HttpMethod: 'PUT', InvocationRateLimitPerSecond: 5 }));
    const byConnection = await eb.send(new ListApiDestinationsCommand({ ConnectionArn: other.ConnectionArn }));
    assert.deepEqual(byConnection.ApiDestinations!.map((a) => a.Name), ['other']);
    const all = await eb.send(new ListApiDestinationsCommand({}));
    assert.deepEqual(all.ApiDestinations!.map((a) => a.Name), ['orders', 'other']);

    await eb.send(new UpdateApiDestinationCommand({ Name: 'orders', InvocationRateLimitPerSecond: 10, HttpMethod: 'PUT' }));
    const u = await eb.send(new DescribeApiDestinationCommand({ Name: 'orders' }));
    assert.equal(u.InvocationRateLimitPerSecond, 10);
    assert.equal(u.HttpMethod, 'PUT');
    assert.equal(u.InvocationEndpoint, 'https://example.com/orders/*', 'what the update left out stays');

    const dup = await failure(eb.send(new CreateApiDestinationCommand({ Name: 'orders', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: 'https://example.com/', HttpMethod: 'POST' })));
    assert.equal(dup.name, 'ResourceAlreadyExistsException');
    const noConnection = await failure(
      eb.send(new CreateApiDestinationCommand({ Name: 'lost', ConnectionArn: 'arn:aws:events:us-east-1:000000000000:connection/none/0000', InvocationEndpoint: 'https://example.com/', HttpMethod: 'POST' })),
    );
    assert.equal(noConnection.name, 'ResourceNotFoundException');
    const badUrl = await failure(eb.send(new CreateApiDestinationCommand({ Name: 'bad', ConnectionArn: connection.ConnectionArn, InvocationEndpoint: 'ftp://example.com/', HttpMethod: 'POST' })));
    assert.equal(badUrl.name, 'ValidationException');

    await eb.send(new DeleteApiDestinationCommand({ Name: 'other' }));
    assert.equal((await failure(eb.send(new DescribeApiDestinationCommand({ Name: 'other' })))).name, 'ResourceNotFoundException');
    assert.equal((await failure(eb.send(new DeleteApiDestinationCommand({ Name: 'other' })))).name, 'ResourceNotFoundException');
  });
});
