import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { createFunction, CREDENTIALS, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('Powertools Parameters inside a function, unchanged', () => {
  let t: TestPlatform;

  before(async () => {
    await ensureFixtureInstalled('powertools-parameters');
    t = await startTestPlatform();
  });
  after(async () => {
    await t.stop();
  });

  it('getSecret, getParameter (decrypted too) and getParameters (by path) read what the APIs stored', async () => {
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    const sm = new SecretsManagerClient(config);
    const ssm = new SSMClient(config);
    try {
      await sm.send(new CreateSecretCommand({ Name: 'pt/secret', SecretString: JSON.stringify({ user: 'pt', password: 'pt-pass' }) }));
      await ssm.send(new PutParameterCommand({ Name: '/pt/plain', Value: 'plain value', Type: 'String' }));
      await ssm.send(new PutParameterCommand({ Name: '/pt/secure', Value: 'secure value', Type: 'SecureString' }));
    } finally {
      sm.destroy();
      ssm.destroy();
    }
    await createFunction(t.lambda, 'powertools', 'powertools-parameters', { Timeout: 30 });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'powertools' }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    assert.deepEqual(decode(res.Payload), {
      secret: { user: 'pt', password: 'pt-pass' },
      param: 'plain value',
      secure: 'secure value',
      byPath: { plain: 'plain value', secure: 'secure value' },
    });
  });
});
