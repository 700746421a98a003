/**
 * The AWS Parameters and Secrets Lambda Extension, provided by the platform to functions that list
 * its layer: code written for the extension reads secrets and parameters from its localhost
 * endpoint, with the session token, cached as the extension's settings say.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CREDENTIALS, createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const EXTENSION_LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:11';

interface Answer {
  status: number;
  body: unknown;
}

describe('the Parameters and Secrets extension endpoint', () => {
  let t: TestPlatform;
  let secrets: SecretsManagerClient;
  let ssm: SSMClient;
  const invoke = async (name: string, event: unknown): Promise<Record<string, Answer> & { port: string }> => {
    const out = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return decode(out.Payload) as Record<string, Answer> & { port: string };
  };

  before(async () => {
    // Port 0: the system picks one, as when 2773 is taken; functions learn it from the variable.
    t = await startTestPlatform({ extensionPort: 0 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS };
    secrets = new SecretsManagerClient(config);
    ssm = new SSMClient(config);
    await secrets.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'hunter2' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/key', Type: 'SecureString', Value: 'sealed-value' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/plain', Type: 'String', Value: 'v1' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/plain', Type: 'String', Value: 'v2', Overwrite: true }));
    await createFunction(t.lambda, 'reads-cached', 'params-secrets-extension', { Layers: [EXTENSION_LAYER] });
    await createFunction(t.lambda, 'reads-uncached', 'params-secrets-extension', {
      Layers: [EXTENSION_LAYER],
      Environment: { Variables: { SECRETS_MANAGER_TTL: '0' } },
    });
  });
  after(async () => {
    secrets.destroy();
    ssm.destroy();
    await t.stop();
  });

  it('accepts the layer, which Selfless provides itself: the function lists it with no package', async () => {
    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'reads-cached' }));
    assert.deepEqual(fn.Configuration?.Layers, [{ Arn: EXTENSION_LAYER, CodeSize: 0 }]);
  });

  it('serves secrets and parameters (by version, decrypted on request) to a caller with the session token', async () => {
    const out = await invoke('reads-cached', {
      get: {
        secret: '/secretsmanager/get?secretId=db-password',
        secure: '/systemsmanager/parameters/get?name=%2Fapp%2Fkey&withDecryption=true',
        sealed: '/systemsmanager/parameters/get?name=%2Fapp%2Fkey',
        first: '/systemsmanager/parameters/get?name=%2Fapp%2Fplain&version=1',
        missing: '/secretsmanager/get?secretId=no-such-secret',
      },
    });
    assert.notEqual(out.port, '2773');
    assert.equal(out['secret']!.status, 200);
    const secret = out['secret']!.body as { Name: string; SecretString: string; VersionStages: string[] };
    assert.equal(secret.Name, 'db-password');
    assert.equal(secret.SecretString, 'hunter2');
    assert.deepEqual(secret.VersionStages, ['AWSCURRENT']);
    assert.equal((out['secure']!.body as { Parameter: { Value: string } }).Parameter.Value, 'sealed-value');
    assert.notEqual((out['sealed']!.body as { Parameter: { Value: string } }).Parameter.Value, 'sealed-value');
    assert.deepEqual(
      (({ Value, Version }) => ({ Value, Version }))((out['first']!.body as { Parameter: { Value: string; Version: number } }).Parameter),
      { Value: 'v1', Version: 1 },
    );
    assert.equal(out['missing']!.status, 400);
    assert.equal((out['missing']!.body as { __type: string }).__type, 'ResourceNotFoundException');
  });

  it('refuses a request without the session token, or with another one', async () => {
    const out = await invoke('reads-cached', { withoutToken: '/secretsmanager/get?secretId=db-password', wrongToken: '/secretsmanager/get?secretId=db-password' });
    assert.equal(out['withoutToken']!.status, 401);
    assert.equal(out['wrongToken']!.status, 401);
    assert.doesNotMatch(JSON.stringify(out), /hunter2/);
  });

  it('caches a secret for SECRETS_MANAGER_TTL (300 s by default); a TTL of 0 reads the current value', async () => {
    const path = { secret: '/secretsmanager/get?secretId=db-password' };
    await invoke('reads-uncached', { get: path });
    await secrets.send(new PutSecretValueCommand({ SecretId: 'db-password', SecretString: 'rotated' }));
    const cached = await invoke('reads-cached', { get: path });
    const fresh = await invoke('reads-uncached', { get: path });
    assert.equal((cached['secret']!.body as { SecretString: string }).SecretString, 'hunter2');
    assert.equal((fresh['secret']!.body as { SecretString: string }).SecretString, 'rotated');
  });
});
